//! The runner's `qr_matches_invoice` expectation against the emulator's signed QR code.
//!
//! The emulator's side of the `MainHsnCode` tie is pinned by the emulator's `golden` tests;
//! this pins that the harness reads the QR the same way, so a tie cannot fail a run.

use std::time::Duration;

use irp_conformance::{
    local::LocalEmulator,
    profile::Profile,
    report::{Outcome, Verdict},
    run::{DocNumbers, Progress, Runner},
    scenario::Scenario,
    target::Target,
};
use irp_emulator::{
    clock::Clock,
    samples::{self, InvoiceSpec, ItemSpec},
};
use serde_json::{Value, json};
use time::macros::{date, datetime};

struct Quiet;

impl Progress for Quiet {
    fn start(&self, _: u64) {}
    fn step(&self, _: &Outcome) {}
    fn scenario(&self, _: &str, _: &[Outcome]) {}
    fn finish(&self) {}
}

/// Generates `invoice` through the runner, expecting the QR code to match it.
async fn run_generate(invoice: Value) -> Vec<Outcome> {
    let emulator = LocalEmulator::start_at(Clock::fixed(datetime!(2026-03-31 10:00:00 +5:30)))
        .await
        .unwrap();
    let profile = Profile::emulator();
    let target = Target::resolve(&profile, &emulator.base).await.unwrap();
    let client = target.client(Duration::from_secs(30)).unwrap();
    let scenario: Scenario = serde_json::from_value(json!({
        "name": "qr_tie",
        "steps": [{
            "name": "generate", "call": "generate_irn", "body": invoice,
            "expect": { "status": 1, "signature_valid": true, "qr_matches_invoice": true }
        }]
    }))
    .unwrap();
    let mut runner = Runner::new(target, client, profile, 1, DocNumbers::new(1));
    runner.run(&[scenario], &Quiet).await
}

/// Two goods items of the same `AssAmt` with different HSN codes.
fn tied_items(doc_no: &str) -> Value {
    let mut spec = InvoiceSpec::simple(doc_no, date!(2026 - 03 - 30));
    spec.items = vec![
        ItemSpec::goods("84713010", 2.0, 500.0, 18.0),
        ItemSpec::goods("85171300", 4.0, 250.0, 18.0),
    ];
    let invoice = samples::invoice(&spec);
    let items = invoice["ItemList"].as_array().unwrap();
    assert_eq!(items[0]["AssAmt"], items[1]["AssAmt"], "the items must tie");
    assert_ne!(items[0]["HsnCd"], items[1]["HsnCd"]);
    invoice
}

#[tokio::test]
async fn qr_matches_invoice_passes_when_items_tie_on_assamt() {
    let outcomes = run_generate(tied_items("QRTIE/1")).await;
    assert_eq!(outcomes.len(), 1);
    let outcome = &outcomes[0];
    assert_eq!(outcome.verdict, Verdict::Passed, "{:?}", outcome.reasons);
}
