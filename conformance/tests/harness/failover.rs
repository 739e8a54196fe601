//! Failover between two IRPs end to end, on one emulator serving `nic1` and `nic2`: NIC-1
//! registers an invoice and loses its answer, then goes down. The harness's client, carrying
//! each invoice to NIC-2 (`scenarios/failover/`), ends with one IRN per document and passes
//! the audit; a naive client that registers the lost invoice again under a new number at
//! NIC-2, and drops the invoice NIC-1 refused, is flagged for both (`abandoned_after_failover`).

use std::time::Duration as Timeout;

use irp_client::{Client, Session};
use irp_conformance::{
    generator::{Generator, Parties},
    local::LocalEmulator,
    profile::Profile,
    target::Target,
};
use irp_emulator::{clock::Clock, config::Settings};
use serde_json::{Value, json};
use time::{OffsetDateTime, macros::datetime};

use crate::cli::{audit_journal, conformance, finding_names, json, supplier_at, text};

const NOW: OffsetDateTime = datetime!(2026-03-31 10:00:00 +5:30);

/// `nic1` and `nic2` of one emulator.
async fn two_irps() -> Vec<(String, LocalEmulator)> {
    let names = ["nic1".to_owned(), "nic2".to_owned()];
    LocalEmulator::start_irps(&names, Settings::default(), Clock::fixed(NOW))
        .await
        .unwrap()
}

/// Registrations as the control namespace lists them: (document number, IRN).
async fn registrations(client: &Client) -> Vec<(String, String)> {
    let listed = client
        .control(reqwest::Method::GET, "/registrations", None)
        .await
        .unwrap();
    listed.doc["Data"]["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let text = |key: &str| r[key].as_str().unwrap().to_owned();
            (text("doc_no"), text("irn"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_harness_fails_over_with_one_irn_per_document_and_passes_the_audit() {
    let irps = two_irps().await;
    let (nic1, nic2) = (&irps[0].1.base, &irps[1].1.base);
    let out = tempfile::tempdir().unwrap();
    let args = [
        "run".to_owned(),
        "--scenarios".to_owned(),
        "scenarios/failover".to_owned(),
        "--irp".to_owned(),
        format!("nic1={nic1}"),
        "--irp".to_owned(),
        format!("nic2={nic2}"),
        "--out".to_owned(),
        out.path().to_str().unwrap().to_owned(),
        "--overwrite".to_owned(),
    ];
    let output = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        conformance(&args)
    })
    .await
    .unwrap();
    let report = json(&out.path().join("report.json"));
    let outcomes = report["outcomes"].as_array().unwrap();
    assert!(outcomes.len() >= 10, "{}", text(&output));
    for outcome in outcomes {
        assert_eq!(
            outcome["verdict"],
            "passed",
            "{outcome:#}\n{}",
            text(&output)
        );
        assert!(outcome["irp"].is_string(), "{outcome}");
    }
    let carried = outcomes
        .iter()
        .find(|o| o["step"] == "registered_but_answer_lost")
        .unwrap();
    assert!(
        carried["actual"]
            .as_str()
            .unwrap()
            .contains("failed over from NIC1"),
        "{carried}"
    );

    // One IRN per document, whichever IRP holds it.
    let profile = Profile::emulator();
    let target = Target::resolve(&profile, nic1).await.unwrap();
    let control = target.client(Timeout::from_secs(30)).unwrap();
    let held = registrations(&control).await;
    assert_eq!(held.len(), 2, "{held:?}");
    assert_ne!(held[0].0, held[1].0);

    let (code, audit) = audit_journal(nic1).await;
    assert_eq!(code, Some(0), "{audit:#}");
    assert_eq!(audit["summary"]["documents_with_irn"], 2, "{audit:#}");
    for (_, irp) in irps {
        irp.stop().await;
    }
}

/// A supplier logged in at one IRP.
struct Desk {
    client: Client,
    session: Session,
}

impl Desk {
    async fn open(base: &str, profile: &Profile) -> Self {
        let (client, _, session) = supplier_at(base, profile).await;
        Self { client, session }
    }

    async fn add_fault(&self, rule: Value) {
        let added = self
            .client
            .control(reqwest::Method::POST, "/faults", Some(&rule))
            .await
            .unwrap();
        assert_eq!(added.http_status, 201, "{}", added.doc);
    }
}

fn invoice(profile: &Profile, n: u32, doc_no: &str) -> Value {
    let spec = serde_json::from_value(json!({"items": 2})).unwrap();
    let parties = Parties {
        seller: profile.party("supplier").unwrap(),
        buyer: Some(profile.party("buyer_same_state").unwrap()),
    };
    Generator::new(u64::from(n), "failover").invoice(&spec, parties, doc_no, NOW.date())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_renumbers_or_drops_after_failing_over_is_flagged() {
    let irps = two_irps().await;
    let profile = Profile::emulator();
    let nic1 = Desk::open(&irps[0].1.base, &profile).await;
    let nic2 = Desk::open(&irps[1].1.base, &profile).await;
    nic1.add_fault(json!({"name": "lost", "match": {"api": "generate_irn"},
        "phase": "after_commit", "action": {"type": "reset"}, "times": 1}))
        .await;
    nic1.add_fault(json!({"name": "down", "phase": "before",
        "action": {"type": "http_status", "status": 503}}))
        .await;

    // FO/1: NIC-1 registers it and the answer is lost; the naive client gives it a new
    // number at NIC-2.
    let first = invoice(&profile, 1, "FO/1");
    assert!(
        nic1.client
            .generate_irn(&nic1.session, &first)
            .await
            .is_err()
    );
    let mut renumbered = first.clone();
    renumbered["DocDtls"]["No"] = json!("FO/1-B");
    let again = nic2
        .client
        .generate_irn(&nic2.session, &renumbered)
        .await
        .unwrap();
    assert_eq!(again.status(), Some(1), "{}", again.doc);

    // FO/2: NIC-1 is down; the naive client moves on to FO/3 at NIC-2 and never sends FO/2.
    let second = invoice(&profile, 2, "FO/2");
    // The gateway's 503 is an HTML page, not an IRP answer.
    let refused = nic1.client.generate_irn(&nic1.session, &second).await;
    assert!(
        matches!(
            refused,
            Err(irp_client::ClientError::NotJson { status: 503, .. })
        ),
        "{refused:?}"
    );
    let third = invoice(&profile, 3, "FO/3");
    let answer = nic2
        .client
        .generate_irn(&nic2.session, &third)
        .await
        .unwrap();
    assert_eq!(answer.status(), Some(1), "{}", answer.doc);

    // Two IRNs for FO/1's invoice, none for FO/2. The journal shows FO/1's registration at
    // NIC-1 only as a call whose answer was lost, so for the auditor the client dropped FO/1
    // as it dropped FO/2. The journal shows FO/1's registration at
    // NIC-1 only as a call whose answer was lost, so for the auditor the client dropped FO/1
    // as it dropped FO/2.
    let held = registrations(&nic1.client).await;
    let numbers: Vec<&str> = held.iter().map(|(no, _)| no.as_str()).collect();
    assert_eq!(numbers, ["FO/3", "FO/1-B", "FO/1"], "{held:?}");

    let (code, audit) = audit_journal(&irps[0].1.base).await;
    assert_eq!(code, Some(1), "{audit:#}");
    let names = finding_names(&audit);
    assert_eq!(names, ["abandoned_after_failover"; 2], "{audit:#}");
    let subjects: Vec<&str> = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["subject"].as_str().unwrap())
        .collect();
    assert!(subjects.iter().any(|s| s.contains("FO/1 ")), "{subjects:?}");
    assert!(subjects.iter().any(|s| s.contains("FO/2 ")), "{subjects:?}");
    for (_, irp) in irps {
        irp.stop().await;
    }
}
