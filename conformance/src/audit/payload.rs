//! `payload_changed_on_retry`: a retry must carry the request that failed, unchanged.
//!
//! After a timeout, a reset or a 5xx the client cannot know whether the IRP registered the
//! invoice. If it then sends the same document number with other content, the IRP either
//! answers 2150 for an invoice the ERP no longer holds, or (when the first never arrived)
//! registers a version nobody approved. After a rejection (IRP `Status` 0 with a rule's
//! code) nothing was registered and correcting the invoice is exactly right, so only
//! retries after transient failures and 1005 are compared.

use super::{
    Traffic,
    attempts::Target,
    call::Outcome,
    document::payload,
    finding::{Check, Finding},
};

/// One finding per document resent with other content after a transient failure.
pub(super) fn payload_changed_on_retry(traffic: &Traffic<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for stream in &traffic.streams {
        if !matches!(stream.target, Target::Document(_)) {
            continue;
        }
        // The last request read, and whether only transient failures or 1005 followed it.
        let mut last: Option<(String, i64)> = None;
        let mut open = false;
        let mut changes: Vec<(i64, i64)> = Vec::new();
        for call in &stream.calls {
            let request = call.request();
            if let Some(request) = request {
                let sent = payload(request);
                match &last {
                    Some((before, id)) if open && *before != sent => changes.push((*id, call.id())),
                    _ => {}
                }
                last = Some((sent, call.id()));
            }
            let undecided = call.outcome.transient() || call.outcome == Outcome::InvalidToken;
            // An unreadable attempt may already carry new content: it keeps the state.
            open = if undecided {
                open || request.is_some()
            } else {
                false
            };
        }
        let Some((from, to)) = changes.first().copied() else {
            continue;
        };
        let entries: Vec<i64> = changes.iter().flat_map(|(a, b)| [*a, *b]).collect();
        let message = format!(
            "resent with other content after a failure that may have registered it \
             ({} time(s); first: entry {from}, then entry {to})",
            changes.len()
        );
        findings.push(Finding::new(
            Check::PayloadChangedOnRetry,
            &stream.caller,
            stream.subject(),
            message,
            entries,
        ));
    }
    findings
}
