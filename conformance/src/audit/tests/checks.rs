//! Every check against the journals that should and should not trigger it, and the facts
//! the checks stand on.

use super::{CLIENT, SELLER, at, journal, journals::*};
use crate::{
    audit::{Audit, Check, Options, Severity, audit, markdown},
    journal::JournalEntry,
};

type Journal = fn() -> Vec<JournalEntry>;

/// (check, journal, whether the check must fire). A well-behaved journal must not trigger
/// any check at all.
const CASES: &[(Check, Journal, bool)] = &[
    (Check::RetryAfterIgnored, retry_after_bad, true),
    (Check::RetryAfterIgnored, retry_after_bad_503, true),
    (Check::RetryAfterIgnored, retry_after_good, false),
    (Check::NoBackoff, no_backoff_bad_immediate, true),
    (Check::NoBackoff, no_backoff_bad_fixed_pace, true),
    (Check::NoBackoff, no_backoff_bad_timeouts, true),
    (Check::NoBackoff, no_backoff_good, false),
    (Check::UnboundedRetries, unbounded_bad, true),
    (Check::UnboundedRetries, unbounded_good, false),
    (Check::PayloadChangedOnRetry, payload_bad, true),
    (Check::PayloadChangedOnRetry, payload_good, false),
    (Check::ReauthEveryCall, reauth_bad, true),
    (Check::ReauthEveryCall, reauth_good, false),
    (Check::NoReauthAfter1005, reauth_1005_bad, true),
    (Check::NoReauthAfter1005, reauth_1005_bad_stuck, true),
    (Check::NoReauthAfter1005, reauth_1005_good, false),
    (
        Check::DuplicateNotReconciled,
        duplicate_bad_renumbered,
        true,
    ),
    (
        Check::DuplicateNotReconciled,
        duplicate_bad_never_looked_up,
        true,
    ),
    (Check::DuplicateNotReconciled, duplicate_good, false),
    (Check::TwoIrnsForOneInvoice, two_irns_bad, true),
    // The first IRN is seen only in the 2150's DUPIRN block: its answer was lost.
    (Check::TwoIrnsForOneInvoice, duplicate_bad_renumbered, true),
    (Check::TwoIrnsForOneInvoice, two_irns_bad_same_number, true),
    (Check::TwoIrnsForOneInvoice, two_irns_good, false),
    (Check::RegisteredAtTwoIrps, two_irps_bad, true),
    (Check::RegisteredAtTwoIrps, two_irps_good, false),
    (Check::AbandonedAfterFailover, abandoned_bad, true),
    (Check::AbandonedAfterFailover, abandoned_good, false),
    (Check::LateSubmission, late_bad, true),
    (Check::LateSubmission, late_good, false),
];

fn run(entries: &[JournalEntry]) -> Audit {
    audit(entries, &Options::default())
}

#[test]
fn every_check_fires_on_its_journal_and_well_behaved_journals_pass() {
    for (check, journal, fires) in CASES {
        let audit = run(&journal());
        let found: Vec<_> = audit.findings.iter().filter(|f| f.name == *check).collect();
        if *fires {
            assert!(!found.is_empty(), "{check:?} missed: {:#?}", audit.findings);
            for finding in found {
                assert_eq!(finding.severity, check.severity());
                assert_eq!(
                    (finding.client_id.as_str(), finding.gstin.as_str()),
                    (CLIENT, SELLER)
                );
                assert!(!finding.entries.is_empty() && !finding.message.is_empty());
            }
        } else {
            assert!(
                audit.passed,
                "{check:?} good journal: {:#?}",
                audit.findings
            );
        }
    }
    for check in Check::ALL {
        assert!(
            CASES.iter().any(|(c, _, fires)| *c == check && *fires),
            "{check:?}"
        );
        assert!(
            CASES.iter().any(|(c, _, fires)| *c == check && !*fires),
            "{check:?}"
        );
    }
}

#[test]
fn findings_name_the_entries_behind_them() {
    let rows: [(Journal, Check, &[i64]); 6] = [
        (retry_after_bad, Check::RetryAfterIgnored, &[2, 3]),
        (no_backoff_bad_immediate, Check::NoBackoff, &[2, 3, 4, 5]),
        (payload_bad, Check::PayloadChangedOnRetry, &[2, 3]),
        (reauth_1005_bad, Check::NoReauthAfter1005, &[2, 3]),
        (
            duplicate_bad_renumbered,
            Check::DuplicateNotReconciled,
            &[3, 4],
        ),
        (two_irns_bad, Check::TwoIrnsForOneInvoice, &[2, 3]),
    ];
    for (journal, check, entries) in rows {
        let audit = run(&journal());
        let finding = audit.findings.iter().find(|f| f.name == check).unwrap();
        assert_eq!(finding.entries, entries, "{check:?}: {finding:#?}");
    }
}

#[test]
fn unbounded_retries_follows_the_limit() {
    let flagged = |max: usize| {
        let options = Options {
            max_retries: max,
            ..Options::default()
        };
        let audit = audit(&unbounded_good(), &options);
        audit
            .findings
            .iter()
            .any(|f| f.name == Check::UnboundedRetries)
    };
    assert!(flagged(9));
    assert!(!flagged(10));
}

#[test]
fn calls_are_read_in_order_of_arrival_not_of_the_journal() {
    // The journal is in completion order: a slow call comes after its own retry.
    let mut entries = no_backoff_bad_timeouts();
    entries.reverse();
    let audit = run(&entries);
    assert!(audit.findings.iter().any(|f| f.name == Check::NoBackoff));
    assert_eq!(audit.summary.retries, 4);
}

#[test]
fn an_unreadable_call_is_attributed_by_its_request_id() {
    // A 503 on A/2 (same requestid as its retry) right after A/1's second failure: read by
    // request id, A/1's pauses grow (1, 2, 4 s); read as A/1's, a retry came in 18 ms.
    let mut calls = vec![
        at(0).auth(),
        at(1000).generate("A/1").fault("http_status", 503),
        at(2001).generate("A/1").fault("http_status", 503),
        at(2020).generate("A/2").fault("http_status", 503),
        at(4002).generate("A/1").fault("http_status", 503),
        at(8003).generate("A/1").ok(),
        at(9000).generate("A/2").ok(),
    ];
    calls[3].0.request_id = "r-a2".to_owned();
    calls[6].0.request_id = "r-a2".to_owned();
    let by_request_id = run(&journal(calls.clone()));
    assert!(by_request_id.passed, "{:#?}", by_request_id.findings);
    calls[3].0.request_id = String::new();
    let audit = run(&journal(calls));
    assert!(audit.findings.iter().any(|f| f.name == Check::NoBackoff));
}

#[test]
fn filters_keep_one_client_and_gstin() {
    let mut entries = reauth_bad();
    for entry in &mut entries {
        entry.client_id = Some("other".to_owned());
    }
    entries.extend(late_good());
    let only = |client: Option<&str>, gstin: Option<&str>| {
        let options = Options {
            client_id: client.map(str::to_owned),
            gstin: gstin.map(str::to_owned),
            ..Options::default()
        };
        let audit = audit(&entries, &options);
        (audit.summary.calls, audit.passed)
    };
    assert_eq!(only(None, None), (15, false));
    assert_eq!(only(Some(CLIENT), None), (3, true));
    assert_eq!(
        only(Some("other"), Some(&SELLER.to_lowercase())),
        (12, false)
    );
    assert_eq!(only(Some(CLIENT), Some("27AAACB4444D1Z3")), (0, true));
}

#[test]
fn the_summary_counts_calls_logins_retries_documents_and_ages() {
    let summary = run(&no_backoff_good()).summary;
    assert_eq!(summary.calls, 8);
    assert_eq!(summary.clients, [CLIENT]);
    assert_eq!(summary.logins, 1);
    assert_eq!((summary.retries, summary.failures), (5, 5));
    assert_eq!((summary.documents, summary.irns_generated), (2, 2));
    assert_eq!(run(&duplicate_good()).summary.documents_with_irn, 2);
    assert_eq!(run(&unbounded_bad()).summary.documents_with_irn, 0);
    let ages = summary.age_days.unwrap();
    assert_eq!((ages.min, ages.median, ages.max), (1, 1.0, 1));
    let summary = run(&late_good()).summary;
    let ages = summary.age_days.unwrap();
    assert_eq!((ages.min, ages.median, ages.max), (1, 13.0, 25));
    assert_eq!(summary.irn_success_rate, Some(1.0));
    assert_eq!(run(&[]).summary.irn_success_rate, None);
}

#[test]
fn the_json_and_markdown_carry_the_findings_and_the_rules() {
    let audit = run(&retry_after_bad());
    let json = serde_json::to_value(&audit).unwrap();
    let finding = &json["findings"][0];
    assert_eq!(finding["name"], "retry_after_ignored");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["entries"], serde_json::json!([2, 3]));
    assert_eq!(json["passed"], false);
    assert_eq!(json["summary"]["calls"], 3);
    assert_eq!(json["options"]["max_retries"], 10);
    let md = markdown(&audit);
    assert!(md.contains("### `retry_after_ignored` (error)"), "{md}");
    for check in Check::ALL {
        assert!(md.contains(&format!("| `{}` |", check.name())), "{md}");
    }
    assert_eq!(Check::LateSubmission.severity(), Severity::Warning);
}

#[test]
fn the_module_doc_states_every_rule_as_audit_md_does() {
    let doc = include_str!("../mod.rs");
    for check in Check::ALL {
        let severity = match check.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let row = format!("//! | `{}` | {severity} | {} |", check.name(), check.rule());
        assert!(doc.contains(&row), "the module doc lacks {row}");
        assert_eq!(serde_json::to_value(check).unwrap(), check.name());
    }
}

#[test]
fn a_slow_body_fails_a_call_only_when_the_client_tried_again() {
    let slow = |call: super::Call| call.fault_after_commit("slow_body");
    let read_in_full = journal(vec![at(0).auth(), slow(at(1000).generate("A/1").ok())]);
    let summary = run(&read_in_full).summary;
    assert_eq!((summary.irns_generated, summary.failures), (1, 0));
    let given_up = journal(vec![
        at(0).auth(),
        slow(at(1000).generate("A/1").ok()),
        at(9000).generate("A/1").duplicate(true),
    ]);
    let summary = run(&given_up).summary;
    assert_eq!((summary.irns_generated, summary.retries), (0, 1));
    // A reset after the commit is a failure whatever the client did next.
    let reset = journal(vec![
        at(0).auth(),
        at(1000).generate("A/1").ok().fault_after_commit("reset"),
    ]);
    assert_eq!(run(&reset).summary.failures, 1);
}

/// A journal naming one IRP reads as a journal of one IRP: findings name none; one naming
/// two keeps each finding's IRP.
#[test]
fn findings_name_the_irp_only_in_a_journal_of_several() {
    let tagged = |irp: &str| -> Vec<JournalEntry> {
        retry_after_bad()
            .into_iter()
            .map(|mut entry| {
                entry.irp = Some(irp.to_owned());
                entry
            })
            .collect()
    };
    let one = run(&tagged("nic1"));
    assert!(!one.findings.is_empty());
    assert!(
        one.findings.iter().all(|f| f.irp.is_empty()),
        "{:#?}",
        one.findings
    );
    let mut two = tagged("nic2");
    let mut other = at(50_000).gstin_details().irp("nic1").0;
    other.id = 99;
    two.push(other);
    let several = run(&two);
    let throttled = several
        .findings
        .iter()
        .find(|f| f.name == Check::RetryAfterIgnored)
        .unwrap();
    assert_eq!(throttled.irp, "nic2");
}
