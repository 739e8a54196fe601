//! The seeded generator against the emulator: every supply type × document type, and every
//! feature a scenario can ask for, is generated, sealed and sent to Generate IRN through the
//! emulator in-process, and must come back `Status 1` (with an e-way bill when one
//! was asked for). A rejection prints the IRP's errors and the invoice, so a failure says
//! at once whether the generator or the emulator misread NIC's rules.
//!
//! The calls go through the `irp-client` crate (RustCrypto, not the emulator's code).

use irp_client::{Client, Session};
use irp_conformance::{
    generator::{Generator, Parties},
    local::LocalEmulator,
    profile::Profile,
    scenario::{EwbSpec, InvoiceSpec},
};
use irp_emulator::clock::Clock;

use crate::cli::supplier_at;
use serde_json::{Value, json};
use time::{Date, Duration, OffsetDateTime, macros::datetime};

/// The emulator's clock: 2026-03-31 10:00 IST.
const NOW: OffsetDateTime = datetime!(2026-03-31 10:00:00 +5:30);

/// A logged-in supplier session on an in-process emulator, through the harness's client.
struct Irp {
    _emulator: LocalEmulator,
    client: Client,
    profile: Profile,
    session: Session,
}

impl Irp {
    async fn start() -> Self {
        let emulator = LocalEmulator::start_at(Clock::fixed(NOW)).await.unwrap();
        let profile = Profile::emulator();
        let (client, _, session) = supplier_at(&emulator.base, &profile).await;
        Self {
            _emulator: emulator,
            client,
            profile,
            session,
        }
    }

    /// Generate IRN for `invoice`; the answer with `Data` opened.
    async fn generate_irn(&self, invoice: &Value) -> Value {
        let answer = self.client.generate_irn(&self.session, invoice).await;
        answer.unwrap().doc
    }

    /// Generate e-way bill by IRN with `details`; the answer with `Data` opened.
    async fn generate_ewb(&self, details: &Value) -> Value {
        let answer = self.client.generate_ewb(&self.session, details).await;
        answer.unwrap().doc
    }

    fn invoice(&self, seed: u64, case: &Case, doc_no: &str, date: Date) -> Value {
        let parties = Parties {
            seller: self.profile.party("supplier").unwrap(),
            buyer: case.buyer.map(|role| self.profile.party(role).unwrap()),
        };
        Generator::new(seed, &case.name).invoice(&case.spec, parties, doc_no, date)
    }
}

/// One generated shape: a spec and the buyer role (`None`: a foreign buyer).
struct Case {
    name: String,
    spec: InvoiceSpec,
    buyer: Option<&'static str>,
}

fn case(spec: Value, buyer: Option<&'static str>) -> Case {
    let name = format!("{spec} to {}", buyer.unwrap_or("URP"));
    Case {
        spec: serde_json::from_value(spec).unwrap(),
        name,
        buyer,
    }
}

/// Every supply type with the buyer role it is usually made out to (both states for the
/// domestic ones).
const SUPPLIES: &[(&str, Option<&str>)] = &[
    ("B2B", Some("buyer_same_state")),
    ("B2B", Some("buyer_other_state")),
    ("SEZWP", Some("sez_unit")),
    ("SEZWOP", Some("sez_unit")),
    ("EXPWP", None),
    ("EXPWOP", None),
    ("DEXP", Some("buyer_same_state")),
    ("DEXP", Some("buyer_other_state")),
];

fn matrix() -> Vec<Case> {
    let mut cases = Vec::new();
    for &(supply, buyer) in SUPPLIES {
        for doc_type in ["INV", "CRN", "DBN"] {
            cases.push(case(
                json!({ "supply": supply, "doc_type": doc_type }),
                buyer,
            ));
        }
        cases.push(case(json!({ "supply": supply, "items": 5 }), buyer));
        cases.push(case(
            json!({ "supply": supply, "items": 3, "services": true }),
            buyer,
        ));
        cases.push(case(
            json!({ "supply": supply, "items": 2, "dispatch_ship": true }),
            buyer,
        ));
        cases.push(case(
            json!({ "supply": supply, "items": 2, "ewb": { "mode": 1, "distance": 0 } }),
            buyer,
        ));
    }
    for buyer in ["buyer_same_state", "buyer_other_state"] {
        cases.push(case(
            json!({ "reverse_charge": true, "items": 2 }),
            Some(buyer),
        ));
        cases.push(case(
            json!({ "reverse_charge": true, "services": true, "doc_type": "DBN" }),
            Some(buyer),
        ));
    }
    cases.push(case(
        json!({ "igst_on_intra": true, "items": 3 }),
        Some("buyer_same_state"),
    ));
    cases.push(case(
        json!({ "igst_on_intra": true, "supply": "DEXP", "doc_type": "CRN" }),
        Some("buyer_same_state"),
    ));
    cases.push(case(json!({ "items": 40 }), Some("buyer_other_state")));
    for (supply, buyer, ewb) in ewb_variants() {
        cases.push(case(
            json!({ "supply": supply, "items": 2, "ewb": ewb }),
            buyer,
        ));
        cases.push(case(
            json!({ "supply": supply, "items": 2, "dispatch_ship": true, "ewb": ewb }),
            buyer,
        ));
    }
    cases
}

/// Every e-way bill shape, to buyers in both states, abroad and in an SEZ.
fn ewb_variants() -> Vec<(&'static str, Option<&'static str>, Value)> {
    let mut variants = Vec::new();
    for (supply, buyer) in [
        ("B2B", Some("buyer_other_state")),
        ("B2B", Some("buyer_same_state")),
        ("EXPWP", None),
        ("SEZWOP", Some("sez_unit")),
    ] {
        for ewb in [
            json!({ "mode": 1, "distance": 950 }),
            json!({ "mode": 1, "distance": 0, "transporter": true }),
            json!({ "mode": 2, "distance": 1020 }),
            json!({ "mode": 3, "distance": 0 }),
            json!({ "mode": 4, "distance": 1300, "transporter": true }),
            json!({ "distance": 0, "transporter": true }),
            json!({ "distance": 845, "transporter": true }),
        ] {
            variants.push((supply, buyer, ewb));
        }
    }
    variants
}

fn has_info(answer: &Value, code: &str) -> bool {
    answer["InfoDtls"]
        .as_array()
        .is_some_and(|info| info.iter().any(|i| i["InfCd"] == code))
}

/// What is wrong with the answer to `case`, if anything.
fn verdict(case: &Case, answer: &Value) -> Option<String> {
    if answer["Status"] != 1 {
        return Some(format!("rejected: {}", answer["ErrorDetails"]));
    }
    let data = &answer["Data"];
    let Some(ewb) = &case.spec.ewb else {
        return data["EwbNo"]
            .is_number()
            .then(|| "unasked e-way bill".to_owned());
    };
    if has_info(answer, "EWBERR") || !data["EwbNo"].is_number() {
        return Some(format!("no e-way bill: {}", answer["InfoDtls"]));
    }
    if (ewb.distance == 0) != has_info(answer, "EWBPPD") {
        return Some(format!(
            "distance {} but InfoDtls {}",
            ewb.distance, answer["InfoDtls"]
        ));
    }
    // Part-B (a transport mode) is what gives an e-way bill its validity.
    if ewb.mode.is_some() != data["EwbValidTill"].is_string() {
        return Some(format!(
            "mode {:?} but EwbValidTill {}",
            ewb.mode, data["EwbValidTill"]
        ));
    }
    None
}

#[tokio::test]
async fn every_generated_shape_is_accepted() {
    let irp = Irp::start().await;
    let cases = matrix();
    let mut failures = Vec::new();
    let mut sent = 0;
    for seed in [1_u64, 2, 3] {
        for (n, case) in cases.iter().enumerate() {
            let doc_no = format!("G{seed}/{n}");
            let date = NOW.date() - Duration::days((n % 29) as i64);
            let invoice = irp.invoice(seed, case, &doc_no, date);
            let answer = irp.generate_irn(&invoice).await;
            sent += 1;
            if let Some(problem) = verdict(case, &answer) {
                failures.push(format!(
                    "seed {seed}, {} ({doc_no}): {problem}\nInfoDtls: {}\ninvoice: {invoice:#}",
                    case.name, answer["InfoDtls"]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {sent} invoices not accepted as expected:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[tokio::test]
async fn ewb_details_make_an_e_way_bill_for_a_registered_irn() {
    let irp = Irp::start().await;
    let plain = case(json!({ "items": 3 }), Some("buyer_other_state"));
    for (n, ewb) in [
        json!({ "mode": 1, "distance": 950 }),
        json!({ "mode": 1, "distance": 0 }),
        json!({ "mode": 2, "distance": 1020, "transporter": true }),
        json!({ "mode": 3, "distance": 0 }),
        json!({ "mode": 4, "distance": 1300 }),
        json!({ "distance": 0, "transporter": true }),
    ]
    .into_iter()
    .enumerate()
    {
        let date = NOW.date() - Duration::days(2);
        let invoice = irp.invoice(7, &plain, &format!("EWB/{n}"), date);
        let generated = irp.generate_irn(&invoice).await;
        assert_eq!(generated["Status"], 1, "{generated}");
        let spec: EwbSpec = serde_json::from_value(ewb).unwrap();
        let mut body = json!({ "Irn": generated["Data"]["Irn"] });
        let details = Generator::new(7, "ewb").ewb_details(&spec, date);
        body.as_object_mut()
            .unwrap()
            .extend(details.as_object().unwrap().clone());
        let answer = irp.generate_ewb(&body).await;
        assert_eq!(answer["Status"], 1, "{spec:?}: {answer}\nbody: {body:#}");
        assert!(answer["Data"]["EwbNo"].is_number(), "{answer}");
        assert_eq!(spec.distance == 0, has_info(&answer, "EWBPPD"), "{answer}");
    }
}
