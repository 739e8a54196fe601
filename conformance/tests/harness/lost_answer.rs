//! The lost answer end to end: a fault replaces the answer of a Generate IRN after its IRN
//! was committed. A client that retries and reconciles the 2150 through the DUPIRN block
//! ends with one IRN per invoice and passes the audit; a client that registers the invoice
//! again under a new number ends with two IRNs for one invoice and is flagged.

use irp_client::{Client, Endpoint, Login, RetryPolicy, Session};
use irp_conformance::{
    generator::{Generator, Parties},
    local::LocalEmulator,
    profile::Profile,
};
use irp_emulator::clock::Clock;
use serde_json::{Value, json};
use time::{OffsetDateTime, macros::datetime};

use crate::cli::{audit_journal, finding_names, supplier_at};

const NOW: OffsetDateTime = datetime!(2026-03-31 10:00:00 +5:30);

struct Erp {
    emulator: LocalEmulator,
    client: Client,
    profile: Profile,
    login: Login,
    session: Session,
}

impl Erp {
    /// A supplier logged in on a fresh emulator whose 2nd Generate IRN loses its answer.
    async fn start() -> Self {
        let emulator = LocalEmulator::start_at(Clock::fixed(NOW)).await.unwrap();
        let profile = Profile::emulator();
        let (client, login, session) = supplier_at(&emulator.base, &profile).await;
        let rule = json!({"name": "lose-the-answer", "match": {"api": "generate_irn", "nth": 2},
            "phase": "after_commit", "action": {"type": "http_status", "status": 504},
            "times": 1});
        let added = client
            .control(reqwest::Method::POST, "/faults", Some(&rule))
            .await
            .unwrap();
        assert_eq!(added.http_status, 201, "{}", added.doc);
        Self {
            emulator,
            client,
            profile,
            login,
            session,
        }
    }

    /// Invoice `n` of the batch.
    fn invoice(&self, n: u32, doc_no: &str) -> Value {
        let spec = serde_json::from_value(json!({"items": 2})).unwrap();
        let parties = Parties {
            seller: self.profile.party("supplier").unwrap(),
            buyer: Some(self.profile.party("buyer_same_state").unwrap()),
        };
        Generator::new(u64::from(n), "lost-answer").invoice(&spec, parties, doc_no, NOW.date())
    }

    /// Audits the emulator's journal; the exit code and `audit.json`.
    async fn audit(self) -> (Option<i32>, Value) {
        let audited = audit_journal(&self.emulator.base).await;
        self.emulator.stop().await;
        audited
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_reconciles_passes_and_one_that_registers_again_is_flagged() {
    // The careful client: the retry policy reconciles the lost answer.
    let mut erp = Erp::start().await;
    let mut irns = Vec::new();
    for n in 1..=3 {
        let invoice = erp.invoice(n, &format!("LA/{n}"));
        let answer = erp
            .client
            .call_retrying(
                &mut erp.session,
                &erp.login,
                &Endpoint::generate_irn(),
                Some(&invoice),
                &RetryPolicy::default(),
            )
            .await
            .unwrap();
        assert_eq!(answer.status(), Some(1), "{}", answer.doc);
        assert_eq!(answer.reconciled, n == 2, "{n}: {:?}", answer.retries);
        irns.push(answer.data()["Irn"].as_str().unwrap().to_owned());
    }
    irns.dedup();
    assert_eq!(irns.len(), 3);
    let (code, audit) = erp.audit().await;
    assert_eq!(code, Some(0), "{audit}");
    assert_eq!(audit["summary"]["documents_with_irn"], 3, "{audit}");

    // The naive client: no answer, so the same invoice goes again, meets 2150, and is then
    // registered under a new number.
    let erp = Erp::start().await;
    for n in 1..=3 {
        let invoice = erp.invoice(n, &format!("LA/{n}"));
        if erp
            .client
            .generate_irn(&erp.session, &invoice)
            .await
            .is_ok()
        {
            continue;
        }
        let again = erp
            .client
            .generate_irn(&erp.session, &invoice)
            .await
            .unwrap();
        assert_eq!(again.error_codes(), ["2150"], "{}", again.doc);
        let mut renumbered = invoice.clone();
        renumbered["DocDtls"]["No"] = json!(format!("LA/{n}-R"));
        let answer = erp
            .client
            .generate_irn(&erp.session, &renumbered)
            .await
            .unwrap();
        assert_eq!(answer.status(), Some(1), "{}", answer.doc);
    }
    let (code, audit) = erp.audit().await;
    assert_eq!(code, Some(1), "{audit}");
    let names = finding_names(&audit);
    for name in ["duplicate_not_reconciled", "two_irns_for_one_invoice"] {
        assert!(names.iter().any(|n| n == name), "{name} not in {names:?}");
    }
}
