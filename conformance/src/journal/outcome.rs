//! One journal entry → one report outcome.
//!
//! The journal holds no expectations: the team's own ERP made each call. So an ordinary
//! IRP answer always *passes*; it counts as a success case when the IRP accepted it
//! (`Status` 1) and as a failure case when it rejected it (`Status` 0), and the case id
//! says which feature or rule the call showed.
//!
//! # Choices
//!
//! - A success is matched to the catalogue by what the request shows. A call that shows
//!   several features is counted once, under the most specific case the journal has not
//!   shown yet (else the most specific one), and its feature text names every feature.
//!   So a first multi-item B2B invoice fills G-11 and a second one G-1 (or G-2).
//! - A rejection is matched by its codes through [`catalogue::failure_candidates`], with
//!   the same preference for a case not shown yet. A duplicate (2150) whose number differs
//!   only in case from a number registered earlier in the journal is GF-2, else GF-1.
//! - A rejection the catalogue has no case for is counted as a failure case of its API
//!   under [`catalogue::unmatched_id`] (`GF-other`), feature `Rejected with CODE`: NIC
//!   counts every deliberate rejection, and the id keeps it out of the catalogue's rows.
//! - Header and token codes (1005 AU-11, 1010 AU-5, 1004/1011/1012 AU-7) count toward the
//!   API that was called, under the AU case id (see [`catalogue`]).
//! - An answer with HTTP status 500 or more, or without an IRP `Status`, is a *failed*
//!   outcome (the IRP failed, not the client) with case id [`IRP_ERROR`]; it counts toward
//!   neither minimum.
//! - A call the emulator answered with an injected fault is *skipped*: the answer is the
//!   fault's, not the IRP's.
//! - A path that is no IRP API (`unknown`) is not an outcome at all.

use serde_json::Value;

use super::{
    JournalEntry,
    entry::{flag, text},
    ewaybill,
    history::History,
    invoice::Invoice,
};
use crate::{
    api::Api,
    catalogue::{self, CatalogueCase},
    report::{Exchange, Kind, Outcome, Verdict},
};

/// The scenario name of every journal outcome.
pub const SCENARIO: &str = "journal";

/// The case id of an answer in which the IRP itself failed (HTTP 5xx, no `Status`).
pub const IRP_ERROR: &str = "IRP-error";

/// How much of a request or answer an exchange keeps.
const EXCHANGE_LIMIT: usize = 8 * 1024;

/// How much of one error message the `actual` column keeps.
const MESSAGE_LIMIT: usize = 200;

/// The outcome of `entry` (the `position`-th, from 1), or `None` when it is no IRP call.
pub(super) fn classify(
    entry: &JournalEntry,
    position: usize,
    history: &mut History,
) -> Option<Outcome> {
    let api = entry.api()?;
    let number = if entry.id > 0 {
        entry.id.to_string()
    } else {
        position.to_string()
    };
    let mut outcome = Outcome {
        scenario: SCENARIO.to_owned(),
        step: format!("{}#{number}", api.name()),
        api: Some(api),
        case: None,
        feature: String::new(),
        kind: Kind::Success,
        expected: String::new(),
        actual: actual(entry),
        verdict: Verdict::Passed,
        reasons: Vec::new(),
        millis: entry.latency_us.div_ceil(1000),
        exchange: Some(exchange(entry)),
        irp: entry.irp.clone(),
        reply: None,
    };
    if let Some(fault) = &entry.fault {
        outcome.verdict = Verdict::Skipped;
        outcome.feature = format!("Fault injected: {fault}");
        outcome.reasons.push(format!(
            "the emulator answered with an injected fault ({fault}), not as the IRP"
        ));
        return Some(outcome);
    }
    match entry.status {
        _ if entry.http_status >= 500 => irp_error(&mut outcome, entry),
        None => irp_error(&mut outcome, entry),
        Some(1) => success(&mut outcome, api, entry, history),
        Some(_) => failure(&mut outcome, api, entry, history),
    }
    Some(outcome)
}

fn irp_error(outcome: &mut Outcome, entry: &JournalEntry) {
    outcome.case = Some(IRP_ERROR.to_owned());
    outcome.verdict = Verdict::Failed;
    outcome.expected = "An IRP answer with Status 1 or 0".to_owned();
    let (feature, reason) = if entry.http_status >= 500 {
        (
            format!("IRP failure (HTTP {})", entry.http_status),
            format!("the IRP answered HTTP {}", entry.http_status),
        )
    } else {
        (
            format!("Answer without an IRP Status (HTTP {})", entry.http_status),
            "the answer carried no IRP Status".to_owned(),
        )
    };
    outcome.feature = feature;
    outcome.reasons.push(reason);
}

fn success(outcome: &mut Outcome, api: Api, entry: &JournalEntry, history: &mut History) {
    let (candidates, feature) = success_cases(api, entry, history);
    let id = history.pick(&candidates).unwrap_or(fallback(api));
    let case = catalogue::find(id);
    outcome.feature =
        feature.unwrap_or_else(|| case.map_or_else(String::new, |c| c.feature.to_owned()));
    outcome.expected = case.map_or_else(|| "Status 1".to_owned(), |c| c.expected.to_owned());
    outcome.case = Some(id.to_owned());
}

/// The success case of an API when nothing more specific is known.
fn fallback(api: Api) -> &'static str {
    match api {
        Api::Auth => "AU-1",
        Api::GenerateIrn => "G-1",
        Api::CancelIrn => "C-1",
        Api::GenerateEwb => "E-1",
        Api::GetIrn => "R-1",
        Api::GstinDetails => "GS-2",
        Api::GetIrnByDocument => "RD-1",
        Api::SyncGstin => "GS-6",
        Api::GetEwb => "E-10",
        Api::CancelEwb => "E-11",
        Api::RejectedIrns => "RJ-1",
    }
}

/// Candidate ids, most specific first, and a feature text when the call says more than the
/// catalogue's words.
fn success_cases(
    api: Api,
    entry: &JournalEntry,
    history: &mut History,
) -> (Vec<&'static str>, Option<String>) {
    let data = entry.data();
    match api {
        Api::Auth => auth(entry, history),
        Api::GenerateIrn => {
            let invoice = Invoice::read(&entry.request, &entry.info_codes);
            history.register(&invoice.seller, &invoice.doc_type, &invoice.number);
            (invoice.cases, Some(invoice.feature))
        }
        Api::GenerateEwb => {
            let (cases, feature) = ewaybill::read(&entry.request, &entry.info_codes);
            (cases, Some(feature))
        }
        Api::GetIrn => {
            let cancelled = text(data.get("Status")).is_some_and(|s| s.eq_ignore_ascii_case("CNL"));
            (vec![if cancelled { "R-2" } else { "R-1" }], None)
        }
        Api::GstinDetails => {
            let target = entry.path_tail();
            let status = text(data.get("Status"))
                .unwrap_or_default()
                .to_ascii_uppercase();
            let own = entry
                .gstin
                .as_deref()
                .is_some_and(|g| g.trim().eq_ignore_ascii_case(target));
            let mut cases = Vec::new();
            if status == "CNL" || status == "INA" {
                cases.push("GS-5");
            }
            cases.push(if own { "GS-1" } else { "GS-2" });
            let whose = if own {
                "Own GSTIN"
            } else {
                "Another party's GSTIN"
            };
            let feature = if status.is_empty() {
                format!("{whose} {target}")
            } else {
                format!("{whose} {target} (status {status})")
            };
            (cases, Some(feature))
        }
        Api::CancelIrn => {
            let reason = text(entry.request.get("CnlRsn")).unwrap_or_default();
            let words = match reason.as_str() {
                "1" => "duplicate",
                "2" => "data entry mistake",
                "3" => "order cancelled",
                "4" => "other",
                _ => "reason not given",
            };
            (
                vec!["C-1"],
                Some(format!("Own IRN within 24 h, reason {reason} ({words})")),
            )
        }
        Api::GetIrnByDocument
        | Api::SyncGstin
        | Api::GetEwb
        | Api::CancelEwb
        | Api::RejectedIrns => (vec![fallback(api)], None),
    }
}

/// AU-2 when the user was given the same token before, AU-3 when a forced refresh gave a
/// new one, else AU-1.
fn auth(entry: &JournalEntry, history: &mut History) -> (Vec<&'static str>, Option<String>) {
    let data = entry.data();
    let user = entry
        .user_name
        .clone()
        .or_else(|| text(entry.request.get("UserName")))
        .or_else(|| text(data.get("UserName")))
        .unwrap_or_default();
    let gstin = entry.gstin.clone().unwrap_or_default();
    let forced = flag(entry.request.get("ForceRefreshAccessToken"));
    let Some(token) = text(data.get("AuthToken")) else {
        return (
            vec!["AU-1"],
            Some(format!("Valid credentials ({user}, {gstin})")),
        );
    };
    let before = history.issue_token(&gstin, &user, &token);
    match before {
        Some(old) if old == token => (
            vec!["AU-2"],
            Some(format!(
                "Same token again inside its validity ({user}, {gstin})"
            )),
        ),
        Some(_) if forced => (
            vec!["AU-3"],
            Some(format!("Forced refresh: new token ({user}, {gstin})")),
        ),
        _ => (
            vec!["AU-1"],
            Some(format!("Valid credentials ({user}, {gstin})")),
        ),
    }
}

fn failure(outcome: &mut Outcome, api: Api, entry: &JournalEntry, history: &mut History) {
    outcome.kind = Kind::Failure;
    let mut candidates = catalogue::failure_candidates(api, &entry.error_codes);
    if api == Api::GenerateIrn && differs_only_in_case(entry, history) {
        for case in &mut candidates {
            if case.id == "GF-1"
                && let Some(gf2) = catalogue::find("GF-2")
            {
                *case = gf2;
            }
        }
    }
    let ids: Vec<&'static str> = candidates.iter().map(|c| c.id).collect();
    let chosen: Option<&CatalogueCase> = history.pick(&ids).and_then(catalogue::find);
    match chosen {
        Some(case) => {
            outcome.case = Some(case.id.to_owned());
            outcome.feature = case.feature.to_owned();
            outcome.expected = case.expected.to_owned();
        }
        None => {
            let codes = if entry.error_codes.is_empty() {
                "no error code".to_owned()
            } else {
                entry.error_codes.join(" / ")
            };
            outcome.case = Some(catalogue::unmatched_id(api).to_owned());
            outcome.feature = format!("Rejected with {codes}");
            outcome.expected = "Status 0".to_owned();
        }
    }
}

/// A duplicate whose number differs only in case from the registered one (GF-2).
fn differs_only_in_case(entry: &JournalEntry, history: &History) -> bool {
    if !entry.error_codes.iter().any(|c| c.trim() == "2150") {
        return false;
    }
    let invoice = Invoice::read(&entry.request, &[]);
    history
        .registered(&invoice.seller, &invoice.doc_type, &invoice.number)
        .is_some_and(|first| first != invoice.number)
}

/// `Status 1` / `Status 0: 2150 Duplicate IRN; …`, with the HTTP status when not 200.
fn actual(entry: &JournalEntry) -> String {
    let http = if entry.http_status == 200 {
        String::new()
    } else {
        format!("HTTP {}, ", entry.http_status)
    };
    let status = match entry.status {
        Some(status) => format!("Status {status}"),
        None => "no Status".to_owned(),
    };
    let mut details: Vec<String> = entry
        .error_codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            // The how-many-th error with this code: its own message, not the first one's.
            let nth = entry
                .error_codes
                .iter()
                .take(i)
                .filter(|earlier| *earlier == code)
                .count();
            match entry.message_of(code.trim(), nth) {
                Some(message) => format!("{code} {}", clip(message, MESSAGE_LIMIT)),
                None => code.clone(),
            }
        })
        .collect();
    if !entry.info_codes.is_empty() {
        details.push(format!("InfoDtls {}", entry.info_codes.join(", ")));
    }
    if details.is_empty() {
        format!("{http}{status}")
    } else {
        format!("{http}{status}: {}", details.join("; "))
    }
}

fn exchange(entry: &JournalEntry) -> Exchange {
    Exchange {
        call: format!("{} {}", entry.method, entry.path),
        request: pretty(&entry.request),
        response: pretty(&entry.response),
    }
}

/// Pretty JSON, at most [`EXCHANGE_LIMIT`] bytes; null is empty.
fn pretty(value: &Value) -> String {
    if value.is_null() {
        return String::new();
    }
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    if text.len() <= EXCHANGE_LIMIT {
        return text;
    }
    format!(
        "{}\n… (truncated: {} bytes in all)",
        clip(&text, EXCHANGE_LIMIT),
        text.len()
    )
}

/// The longest prefix of `text` of at most `limit` bytes ending on a character boundary.
fn clip(text: &str, limit: usize) -> &str {
    let mut end = text.len().min(limit);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}
