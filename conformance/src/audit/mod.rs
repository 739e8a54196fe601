//! Retry audit: how a client behaves when the IRP fails, graded from the emulator's journal
//! of its run (`irp-conformance audit --journal URL|FILE`).
//!
//! NIC's onboarding checks that a client sends valid invoices; it does not check what the
//! client does when the IRP is slow, throttles, drops the connection or answers "duplicate".
//! Those are the moments that cost a business registrations (an invoice registered twice,
//! or never) or get its API user blocked. Run the client against the emulator with faults
//! and rate limits switched on, then audit the journal: every call is there, with its
//! timing, the fault that answered it and the answer.
//!
//! # Layout
//!
//! How calls are read: `call.rs` (what the client got; calls in order of arrival, since the
//! journal is in order of completion), `fault.rs` (the journal's `fault` field; a
//! connection-level fault fails a call whatever its HTTP status), `document.rs` (same
//! document, same invoice), `attempts.rs` (calls grouped into attempts at one thing; a retry
//! follows a failed attempt). One file per family of checks: `throttle.rs`, `backoff.rs`,
//! `payload.rs`, `session.rs`, `duplicate.rs`, `window.rs`; then `summary.rs`, `finding.rs`
//! and `render.rs` (`audit.json`, `audit.md`). Wall time spaces retries; virtual time (the
//! emulator's clock, IST) dates submissions.
//!
//! # Findings
//!
//! | Name | Severity | Rule |
//! |---|---|---|
//! | `retry_after_ignored` | error | After an HTTP 429 or 503 with a Retry-After of N s, the same client (client id and GSTIN) called the same API less than N s after the answer left (wall time, 10 ms tolerance). A call that arrived before the answer left is no reaction to it and is not counted. |
//! | `no_backoff` | error | After a transient failure without Retry-After (5xx, 408, a connection-level fault, or a call the client stopped waiting for: its retry arrived before the answer left), a retry of the same document or call came under 100 ms after the failure, the first retry of a run excepted (a stale pooled connection is commonly retried at once); or over 3 or more consecutive such retries no pause was at least 1.5 times the first (an immediate first retry left out). A pause runs from the answer, or from the arrival of a call the client stopped waiting for. |
//! | `unbounded_retries` | error | More than --max-retries (default 10) consecutive failed attempts at the same document or call by the same client, whether or not it got through in the end. |
//! | `payload_changed_on_retry` | error | The same document (seller GSTIN, type, number, date) was resent with other content (key order, whitespace and number spelling aside) after a transient failure or 1005, when the first attempt may already be registered. Changing an invoice after a rejection is the fix and is not flagged. |
//! | `reauth_every_call` | warning | Logins are at least half of the client's other calls (at least 5 of them), not counting logins that follow a 1005. |
//! | `no_reauth_after_1005` | error | After a 1005 answer the client made another call (arriving after that answer left) with no login in between; or 3 or more 1005 answers in a row, each after a successful login that followed the one before and none injected by a fault: the client logs in but keeps the old token. |
//! | `duplicate_not_reconciled` | error | After a 2150 answer the client sent the same invoice content under a new document number; or the answer had no DUPIRN block and no later call with the same GSTIN asked for the original (Get IRN by document for that document, or Get IRN of an IRN the journal shows for it). A DUPIRN block is taken as used: its use cannot be seen in the journal. |
//! | `two_irns_for_one_invoice` | error | Identical invoice content holding IRNs under different numbers (a successful Generate IRN, whether or not the client waited for its answer, or a 2150 whose DUPIRN block names the IRN an unseen answer gave), or two successful Generate IRN answers for the same document at one IRP. |
//! | `registered_at_two_irps` | error | The same document (seller GSTIN, type, number, date) was registered at two or more IRPs: their Generate IRN answers said so, whether or not the client saw them (an answer lost to a fault counts). |
//! | `abandoned_after_failover` | error | A Generate IRN for a document failed transiently at one IRP (5xx, 408, 429, a connection-level fault, or a call the client stopped waiting for), the same client then called another IRP, and the document never got an IRN the client saw at any IRP: no successful Generate IRN, no 2150 for it, no successful Get IRN by document. |
//! | `late_submission` | warning | An invoice first submitted more than 25 days after its document date (the emulator's clock, IST): under 5 days of the 30-day reporting window left. |
//!
//! "Same invoice content" is the request with `DocDtls.No` removed: two genuinely separate
//! invoices identical in every field but the number (same buyer, date, items and values)
//! read as one invoice.
//!
//! In a journal of several IRPs (entries with `irp`, from an emulator serving several), a
//! caller is a client at one IRP for the checks of retries, waits and tokens (`attempts.rs`),
//! and a client anywhere for the checks of documents, which are GSTN-wide: the duplicate
//! checks and `failover.rs`. A 2150's `DUPIRNGLP` block (the original held at another IRP)
//! counts as a `DUPIRN` block.

mod attempts;
mod backoff;
mod call;
mod document;
mod duplicate;
mod failover;
mod fault;
mod finding;
mod payload;
mod render;
mod session;
mod summary;
mod throttle;
mod window;

#[cfg(test)]
mod tests;

use serde::Serialize;

pub use self::finding::{Check, Finding, Severity};
pub use self::render::{
    JSON_FILE, MARKDOWN_FILE, WriteError, Written, markdown, summary_line, write_all,
};
pub use self::summary::{Ages, Summary};
use crate::journal::JournalEntry;

/// What to audit and how strictly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Options {
    /// Only calls with this `client_id` header.
    pub client_id: Option<String>,
    /// Only calls with this `Gstin` header (ASCII case ignored).
    pub gstin: Option<String>,
    /// Consecutive failed attempts allowed before `unbounded_retries`.
    pub max_retries: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            client_id: None,
            gstin: None,
            max_retries: 10,
        }
    }
}

/// The audit of one journal: what `audit.json` holds.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// The tool and its version.
    pub tool: String,
    /// When the audit ran (RFC 3339, IST); empty when not stamped.
    pub generated_at: String,
    /// The journal read (URL or file).
    pub journal: String,
    /// The options used.
    pub options: Options,
    /// No finding at all.
    pub passed: bool,
    /// The figures of the run.
    pub summary: Summary,
    /// What was found, by check, then by caller and subject.
    pub findings: Vec<Finding>,
}

/// The calls of a journal read for the checks.
struct Traffic<'a> {
    /// Every audited call, in order of arrival.
    calls: Vec<call::Call<'a>>,
    /// The calls grouped into attempts at one thing.
    streams: Vec<attempts::Stream<'a>>,
}

/// Audits `entries` (calls filtered by `options`); the journal name and stamp are left
/// empty for the caller to fill in.
pub fn audit(entries: &[JournalEntry], options: &Options) -> Audit {
    let wanted = |entry: &&JournalEntry| {
        let client = options.client_id.as_deref().map(str::trim);
        let gstin = options.gstin.as_deref().map(str::trim);
        client.is_none_or(|c| entry.client_id.as_deref().map(str::trim) == Some(c))
            && gstin.is_none_or(|g| {
                entry
                    .gstin
                    .as_deref()
                    .is_some_and(|h| h.trim().eq_ignore_ascii_case(g))
            })
    };
    let mut calls = call::calls(entries.iter().filter(wanted));
    let streams = attempts::streams(&mut calls);
    let traffic = Traffic { calls, streams };
    let mut findings = Vec::new();
    findings.extend(throttle::retry_after_ignored(&traffic));
    findings.extend(backoff::no_backoff(&traffic));
    findings.extend(backoff::unbounded_retries(&traffic, options.max_retries));
    findings.extend(payload::payload_changed_on_retry(&traffic));
    findings.extend(session::reauth_every_call(&traffic));
    findings.extend(session::no_reauth_after_1005(&traffic));
    findings.extend(duplicate::duplicate_not_reconciled(&traffic));
    findings.extend(duplicate::two_irns_for_one_invoice(&traffic));
    findings.extend(failover::registered_at_two_irps(&traffic));
    findings.extend(failover::abandoned_after_failover(&traffic));
    let (late, ages) = window::late_submission(&traffic);
    findings.extend(late);
    findings.sort_by(|a, b| {
        (a.name, &a.client_id, &a.gstin, &a.subject).cmp(&(
            b.name,
            &b.client_id,
            &b.gstin,
            &b.subject,
        ))
    });
    Audit {
        tool: String::new(),
        generated_at: String::new(),
        journal: String::new(),
        options: options.clone(),
        passed: findings.is_empty(),
        summary: summary::summarise(&traffic, &ages),
        findings,
    }
}
