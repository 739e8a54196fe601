//! One function per journal: `<check>_bad…` triggers the check, `<check>_good…` is a
//! client doing the same thing right (and triggers nothing at all).

use super::{at, invoice, journal, value};
use crate::journal::JournalEntry;

/// A 429 asking for 2 s, and the call again 0.2 s later.
pub(super) fn retry_after_bad() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).generate("A/1").throttled(2),
        at(1200).generate("A/1").ok(),
    ])
}

/// A 503 with `Retry-After: 1` (the journaled header), and the call again 0.5 s later.
pub(super) fn retry_after_bad_503() -> Vec<JournalEntry> {
    let mut refused = at(1000).generate("A/1").fault("http_status", 503);
    refused.0.retry_after = Some(1);
    journal(vec![at(0).auth(), refused, at(1500).generate("A/1").ok()])
}

/// The same 429, waited out.
pub(super) fn retry_after_good() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).generate("A/1").throttled(2),
        at(3100).generate("A/1").ok(),
    ])
}

/// 503s retried 20 ms apart.
pub(super) fn no_backoff_bad_immediate() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).generate("A/1").fault("http_status", 503),
        at(1020).generate("A/1").fault("http_status", 503),
        at(1040).generate("A/1").fault("http_status", 503),
        at(1060).generate("A/1").ok(),
    ])
}

/// Resets retried once a second, four times.
pub(super) fn no_backoff_bad_fixed_pace() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).generate("A/1").fault("reset", 200),
        at(2000).generate("A/1").fault("reset", 200),
        at(3000).generate("A/1").fault("reset", 200),
        at(4000).generate("A/1").fault("reset", 200),
        at(5000).generate("A/1").ok(),
    ])
}

/// A 30 s latency fault; the client times out after 2 s and resends at once, every time.
pub(super) fn no_backoff_bad_timeouts() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).generate("A/1").latency(30_000),
        at(3000).generate("A/1").latency(30_000),
        at(5000).generate("A/1").latency(30_000),
        at(7000).generate("A/1").latency(30_000),
        at(9000).generate("A/1").duplicate(true),
    ])
}

/// 503s retried after 0.5, 1 and 2 s; then one reset retried at once, then after 0.5 s.
pub(super) fn no_backoff_good() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).generate("A/1").fault("http_status", 503),
        at(1501).generate("A/1").fault("http_status", 503),
        at(2502).generate("A/1").fault("http_status", 503),
        at(4503).generate("A/1").ok(),
        at(5000).generate("A/2").fault("reset", 200),
        at(5002).generate("A/2").fault("reset", 200),
        at(5503).generate("A/2").ok(),
    ])
}

/// `failures` 503s with doubling pauses from 0.1 s, then (if `success`) a success.
fn failing(failures: u32, success: bool) -> Vec<JournalEntry> {
    let mut calls = vec![at(0).auth()];
    let mut when = 1000;
    let mut pause = 100;
    for _ in 0..failures {
        calls.push(at(when).generate("A/1").fault("http_status", 503));
        when += pause + 1;
        pause *= 2;
    }
    if success {
        calls.push(at(when).generate("A/1").ok());
    }
    journal(calls)
}

/// Twelve failures in a row, never giving up.
pub(super) fn unbounded_bad() -> Vec<JournalEntry> {
    failing(12, false)
}

/// Ten failures, then through.
pub(super) fn unbounded_good() -> Vec<JournalEntry> {
    failing(10, true)
}

/// The invoice changed after a reset that came after it was registered.
pub(super) fn payload_bad() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000)
            .generate_invoice(invoice("A/1", "30/03/2026", 100))
            .ok()
            .fault_after_commit("reset"),
        at(2000)
            .generate_invoice(invoice("A/1", "30/03/2026", 250))
            .duplicate(true),
    ])
}

/// The invoice corrected after a rejection; another resent unchanged (key order and
/// whitespace aside) after a reset, and reconciled from DUPIRN.
pub(super) fn payload_good() -> Vec<JournalEntry> {
    let mut reordered = invoice("A/2", "30/03/2026", value("A/2"));
    reordered["BuyerDtls"] = serde_json::json!({"Pos": "27", "Gstin": " 27AAACB4444D1Z3 "});
    journal(vec![
        at(0).auth(),
        at(1000)
            .generate_invoice(invoice("A/1", "30/03/2026", 100))
            .rejected(&["2172"]),
        at(2000)
            .generate_invoice(invoice("A/1", "30/03/2026", 250))
            .ok(),
        at(3000).generate("A/2").ok().fault_after_commit("reset"),
        at(4000).generate_invoice(reordered).duplicate(true),
    ])
}

/// A login before each of six calls.
pub(super) fn reauth_bad() -> Vec<JournalEntry> {
    let calls = (0..6)
        .flat_map(|i| [at(i * 1000).auth(), at(i * 1000 + 100).gstin_details().ok()])
        .collect();
    journal(calls)
}

/// One login for six calls, and a second one only after a 1005.
pub(super) fn reauth_good() -> Vec<JournalEntry> {
    let mut calls = vec![at(0).auth()];
    calls.extend((1..=6).map(|i| at(i * 1000).gstin_details().ok()));
    calls.push(at(7000).gstin_details().rejected(&["1005"]));
    calls.push(at(7100).auth());
    calls.push(at(7200).gstin_details().ok());
    journal(calls)
}

/// After 1005, called again without logging in.
pub(super) fn reauth_1005_bad() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).gstin_details().rejected(&["1005"]),
        at(1500).gstin_details().rejected(&["1005"]),
    ])
}

/// Logs in after every 1005, yet every next call is 1005 again: the new token is not used.
pub(super) fn reauth_1005_bad_stuck() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).gstin_details().rejected(&["1005"]),
        at(1100).auth(),
        at(1200).gstin_details().rejected(&["1005"]),
        at(1300).auth(),
        at(1400).gstin_details().rejected(&["1005"]),
    ])
}

/// Three calls in flight get 1005 together; one login; through.
pub(super) fn reauth_1005_good() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).gstin_details().rejected(&["1005"]).latency(50),
        at(1001).generate("A/1").rejected(&["1005"]).latency(50),
        at(1002).gstin_details().rejected(&["1005"]).latency(50),
        at(1100).auth(),
        at(1200).generate("A/1").ok(),
    ])
}

/// Registered despite a reset, 2150 on the retry, then the same invoice as A/2.
pub(super) fn duplicate_bad_renumbered() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).generate("A/1").ok().fault_after_commit("reset"),
        at(2000).generate("A/1").duplicate(true),
        at(3000)
            .generate_invoice(invoice("A/2", "30/03/2026", value("A/1")))
            .ok(),
    ])
}

/// 2150 without DUPIRN, and no lookup.
pub(super) fn duplicate_bad_never_looked_up() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).generate("A/1").ok().fault_after_commit("reset"),
        at(2000).generate("A/1").duplicate(false),
    ])
}

/// 2150 without DUPIRN, then Get IRN by document; and 2150 with DUPIRN.
pub(super) fn duplicate_good() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).generate("A/1").ok().fault_after_commit("reset"),
        at(2000).generate("A/1").duplicate(false),
        at(2100).lookup("A%2F1").ok(),
        at(3000).generate("B/1").ok().fault_after_commit("close"),
        at(4000).generate("B/1").duplicate(true),
    ])
}

/// One invoice registered as A/1 and as A/2.
pub(super) fn two_irns_bad() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).generate("A/1").ok(),
        at(2000)
            .generate_invoice(invoice("A/2", "30/03/2026", value("A/1")))
            .ok(),
    ])
}

/// One document registered twice (a journal edited by hand, or an IRP gone wrong).
pub(super) fn two_irns_bad_same_number() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).generate("A/1").ok(),
        at(2000).generate("a/1").ok(),
    ])
}

/// Two invoices that differ in more than the number.
pub(super) fn two_irns_good() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000).generate("A/1").ok(),
        at(2000).generate("A/2").ok(),
    ])
}

/// An invoice of 1 March submitted on 31 March (IST).
pub(super) fn late_bad() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000)
            .generate_invoice(invoice("A/1", "01/03/2026", 100))
            .ok(),
    ])
}

/// Invoices 25 days and 1 day old.
pub(super) fn late_good() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth(),
        at(1000)
            .generate_invoice(invoice("A/1", "06/03/2026", 100))
            .ok(),
        at(2000).generate("A/2").ok(),
    ])
}

/// nic1 registers A/1 but its answer is lost; the client fails over to nic2, which
/// registers it again (an IRP that de-duplicates across IRPs only later).
pub(super) fn two_irps_bad() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth().irp("nic1"),
        at(1000)
            .generate("A/1")
            .ok()
            .fault_after_commit("reset")
            .irp("nic1"),
        at(1100).auth().irp("nic2"),
        at(1200).generate("A/1").ok().irp("nic2"),
    ])
}

/// The same failover, and nic2 answers 2150 with `DUPIRNGLP`: the client takes that IRN.
pub(super) fn two_irps_good() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth().irp("nic1"),
        at(1000)
            .generate("A/1")
            .ok()
            .fault_after_commit("reset")
            .irp("nic1"),
        at(1100).auth().irp("nic2"),
        at(1200).generate("A/1").duplicate_elsewhere().irp("nic2"),
    ])
}

/// nic1 answers 503 for A/1; the client moves to nic2 and sends only the next invoice.
pub(super) fn abandoned_bad() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth().irp("nic1"),
        at(1000).generate("A/1").unavailable().irp("nic1"),
        at(1100).auth().irp("nic2"),
        at(1200).generate("A/2").ok().irp("nic2"),
    ])
}

/// The same outage, and A/1 goes to nic2 at once (no pause needed: another IRP).
pub(super) fn abandoned_good() -> Vec<JournalEntry> {
    journal(vec![
        at(0).auth().irp("nic1"),
        at(1000)
            .generate("A/1")
            .fault("http_status", 503)
            .irp("nic1"),
        at(1010).auth().irp("nic2"),
        at(1020).generate("A/1").ok().irp("nic2"),
        at(1030).generate("A/2").ok().irp("nic2"),
    ])
}
