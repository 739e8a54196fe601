//! Several IRPs in one process: a document registered at one is a duplicate at the other
//! (with the cross-IRP marker, and listed by "Get rejected IRNs"); the `irp` header lets
//! NIC-1 and NIC-2 act on each other's IRNs ("criss-cross"); each IRP has its own tokens,
//! certificate, AckNo digit, journal name, faults and answer time.

use std::time::{Duration, Instant};

use axum::{
    body::Body,
    http::{HeaderValue, Request},
};
use irp_client::request;
use irp_emulator::{
    clock::Clock,
    config::Settings,
    faults::FaultFile,
    irp::{AnswerTime, CrossIrpDuplicate, Irp, IrpName},
    keys::{KeyPems, KeySet},
    state::{AppState, IrpSpec},
    store::Store,
};
use rsa::{RsaPublicKey, pkcs8::DecodePublicKey};
use serde_json::{Value, json};
use time::macros::datetime;

use crate::{
    helpers::*,
    invoice::{CANCEL, GENERATE, sample},
};

/// One process's IRPs: `names` in order, the built-in key sets, a fixed clock at `T0`.
fn irps_with(
    settings: Settings,
    names: &[&str],
    answer_time: AnswerTime,
) -> (Vec<AppState>, Clock) {
    let names: Vec<IrpName> = names.iter().map(|n| IrpName::parse(n).unwrap()).collect();
    let specs = Irp::numbered(&names)
        .into_iter()
        .enumerate()
        .map(|(i, irp)| IrpSpec {
            irp,
            keys: KeySet::from_pems(KeyPems::embedded_set(i)).unwrap(),
            profile: None,
            answer_time: if i == 1 {
                answer_time
            } else {
                AnswerTime::default()
            },
        })
        .collect();
    let clock = Clock::fixed(T0);
    let states =
        AppState::open_irps(settings, specs, clock.clone(), Store::in_memory().unwrap()).unwrap();
    (states, clock)
}

/// NIC-1 and NIC-2.
fn nic1_nic2(settings: Settings) -> (AppState, AppState, Clock) {
    let (mut states, clock) = irps_with(settings, &["nic1", "nic2"], AnswerTime::default());
    let nic2 = states.pop().unwrap();
    (states.pop().unwrap(), nic2, clock)
}

/// Logs in at `state` with the credential key it publishes (each IRP has its own).
async fn login_at(state: &AppState) -> Login {
    let key = RsaPublicKey::from_public_key_pem(&state.keys.pems.auth_public).unwrap();
    let login = login_of(LARGE, LARGE_USER, PASSWORD, false);
    let outgoing = request::auth_request(&caller(), &login, &key).unwrap();
    let answer = oneshot(state, in_process(&outgoing)).await;
    assert_eq!(answer.body["Status"], json!(1), "{answer:?}");
    irp_client::answer::open_login(&login, &answer.body)
        .unwrap()
        .1
        .unwrap()
}

fn with_irp(mut request: Request<Body>, irp: &str) -> Request<Body> {
    request
        .headers_mut()
        .insert("irp", HeaderValue::from_str(irp).unwrap());
    request
}

async fn generate(state: &AppState, session: &Login, doc_no: &str) -> Answer {
    oneshot(state, authed_post(session, GENERATE, &sample(doc_no))).await
}

async fn get_irn(state: &AppState, session: &Login, irn: &str, irp: Option<&str>) -> Answer {
    let request = authed_get(session, &format!("/eicore/v1.03/Invoice/irn/{irn}"));
    let request = match irp {
        Some(header) => with_irp(request, header),
        None => request,
    };
    oneshot(state, request).await
}

async fn rejected(state: &AppState, session: &Login, date: &str) -> Answer {
    let path = format!("/eicore/v1.03/Invoice/rejectedirns?date={date}");
    oneshot(state, authed_get(session, &path)).await
}

#[tokio::test]
async fn a_document_registered_at_nic1_is_a_dupirnglp_duplicate_at_nic2() {
    let (nic1, nic2, _) = nic1_nic2(Settings::default());
    let (at1, at2) = (login_at(&nic1).await, login_at(&nic2).await);
    let first = open(&at1, &generate(&nic1, &at1, "X/001").await);
    let ack = first["AckNo"].as_u64().unwrap();
    assert!(ack.to_string().starts_with('1'), "NIC-1's AckNo: {ack}");

    let again = generate(&nic2, &at2, "X/001").await;
    again.assert_error("2150");
    let info = &again.body["InfoDtls"][0];
    assert_eq!(info["InfCd"], "DUPIRNGLP", "{again:?}");
    assert_eq!(info["Desc"]["Irn"], first["Irn"]);
    assert_eq!(info["Desc"]["AckNo"], json!(ack));
    assert!(info["Desc"].get("IrnDtl").is_none());

    // At the IRP that holds it, the duplicate is the ordinary one.
    let same = generate(&nic1, &at1, "X/001").await;
    same.assert_error("2150");
    assert_eq!(same.body["InfoDtls"][0]["InfCd"], "DUPIRN");
}

#[tokio::test]
async fn the_regirp_setting_answers_dupirn_naming_the_holding_irp() {
    for (setting, code, reg_irp) in [
        (CrossIrpDuplicate::Regirp, "DUPIRN", Some("NIC1")),
        (CrossIrpDuplicate::Both, "DUPIRNGLP", Some("NIC1")),
        (CrossIrpDuplicate::Dupirnglp, "DUPIRNGLP", None),
    ] {
        let mut settings = Settings::default();
        settings.rules.cross_irp_duplicate = setting;
        let (nic1, nic2, _) = nic1_nic2(settings);
        let (at1, at2) = (login_at(&nic1).await, login_at(&nic2).await);
        open(&at1, &generate(&nic1, &at1, "R/001").await);
        let again = generate(&nic2, &at2, "R/001").await;
        again.assert_error("2150");
        let info = &again.body["InfoDtls"][0];
        assert_eq!(info["InfCd"], code, "{setting:?}");
        assert_eq!(
            info["Desc"]["IrnDtl"]["RegIrp"].as_str(),
            reg_irp,
            "{setting:?}"
        );
    }
}

#[tokio::test]
async fn each_irp_numbers_its_acknowledgements_with_its_own_first_digit() {
    let (nic1, nic2, _) = nic1_nic2(Settings::default());
    let (at1, at2) = (login_at(&nic1).await, login_at(&nic2).await);
    let one = open(&at1, &generate(&nic1, &at1, "A/001").await)["AckNo"].to_string();
    let two = open(&at2, &generate(&nic2, &at2, "A/002").await)["AckNo"].to_string();
    assert_eq!((one.len(), two.len()), (15, 15));
    assert!(
        one.starts_with("15") && two.starts_with("25"),
        "{one} {two}"
    );
}

#[tokio::test]
async fn a_token_from_one_irp_is_refused_at_the_other() {
    let (nic1, nic2, _) = nic1_nic2(Settings::default());
    let at1 = login_at(&nic1).await;
    let crossed = oneshot(
        &nic2,
        authed_get(&at1, "/eivital/v1.03/Master/gstin/29AAACL1111A1ZD"),
    )
    .await;
    crossed.assert_error("1005");
    let home = oneshot(
        &nic1,
        authed_get(&at1, "/eivital/v1.03/Master/gstin/29AAACL1111A1ZD"),
    )
    .await;
    assert_eq!(home.body["Status"], json!(1), "{home:?}");
    // Logging in at NIC-2 with NIC-1's credential key fails: NIC-2 cannot decrypt it.
    let login = login_of(LARGE, LARGE_USER, PASSWORD, false);
    let nic1_key = RsaPublicKey::from_public_key_pem(&nic1.keys.pems.auth_public).unwrap();
    let outgoing = request::auth_request(&caller(), &login, &nic1_key).unwrap();
    let answer = oneshot(&nic2, in_process(&outgoing)).await;
    assert_eq!(answer.body["Status"], json!(0), "{answer:?}");
}

#[tokio::test]
async fn the_signed_invoice_of_nic2_verifies_with_nic2s_certificate_only() {
    let (nic1, nic2, _) = nic1_nic2(Settings::default());
    let at2 = login_at(&nic2).await;
    let answer = open(&at2, &generate(&nic2, &at2, "S/001").await);
    let jws = answer["SignedInvoice"].as_str().unwrap();
    let key_of = |state: &AppState| {
        let pem = state.keys.pems.signing_cert.clone();
        let (_, pem) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).unwrap();
        let cert = pem.parse_x509().unwrap();
        cert.public_key().subject_public_key.data.to_vec()
    };
    let (header, data) = crate::invoice::verify(jws, &key_of(&nic2));
    assert_eq!(header["kid"], json!(nic2.keys.kid));
    assert_eq!(data["Irn"], answer["Irn"]);
    assert_ne!(nic1.keys.kid, nic2.keys.kid);
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.required_spec_claims = std::collections::HashSet::new();
    validation.validate_exp = false;
    let with_nic1 = jsonwebtoken::decode::<Value>(
        jws,
        &jsonwebtoken::DecodingKey::from_rsa_der(&key_of(&nic1)),
        &validation,
    );
    assert!(
        with_nic1.is_err(),
        "NIC-1's certificate must not verify NIC-2's signature"
    );
}

#[tokio::test]
async fn criss_cross_get_and_cancel_need_the_irp_header() {
    let (nic1, nic2, _) = nic1_nic2(Settings::default());
    let (at1, at2) = (login_at(&nic1).await, login_at(&nic2).await);
    let first = open(&at1, &generate(&nic1, &at1, "C/001").await);
    let irn = first["Irn"].as_str().unwrap();

    get_irn(&nic2, &at2, irn, None).await.assert_error("2148");
    get_irn(&nic2, &at2, irn, Some("NIC2"))
        .await
        .assert_error("2148");
    let fetched = open(&at2, &get_irn(&nic2, &at2, irn, Some("NIC1")).await);
    assert_eq!(fetched["AckNo"], first["AckNo"]);
    assert_eq!(fetched["SignedInvoice"], first["SignedInvoice"]);

    let by_doc =
        "/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV&docnum=C%2F001&docdate=30%2F03%2F2026";
    oneshot(&nic2, authed_get(&at2, by_doc))
        .await
        .assert_error("2148");
    let found = oneshot(&nic2, with_irp(authed_get(&at2, by_doc), "nic1")).await;
    assert_eq!(open(&at2, &found)["Irn"], first["Irn"]);

    let cancel = json!({"Irn": irn, "CnlRsn": "1", "CnlRem": "failover duplicate"});
    oneshot(&nic2, authed_post(&at2, CANCEL, &cancel))
        .await
        .assert_error("2148");
    let cancelled = oneshot(&nic2, with_irp(authed_post(&at2, CANCEL, &cancel), "NIC1")).await;
    assert_eq!(open(&at2, &cancelled)["Irn"], first["Irn"]);
    let now = open(&at1, &get_irn(&nic1, &at1, irn, None).await);
    assert_eq!(now["Status"], "CNL");
}

#[tokio::test]
async fn private_irps_do_not_criss_cross() {
    let (states, _) = irps_with(
        Settings::default(),
        &["nic1", "cygnet"],
        AnswerTime::default(),
    );
    let (nic1, cygnet) = (&states[0], &states[1]);
    let (at1, atc) = (login_at(nic1).await, login_at(cygnet).await);
    let held = open(&atc, &generate(cygnet, &atc, "P/001").await);
    assert!(held["AckNo"].to_string().starts_with('3'), "{held}");
    let irn = held["Irn"].as_str().unwrap();
    get_irn(nic1, &at1, irn, Some("CYGNET"))
        .await
        .assert_error("2148");
    let again = generate(nic1, &at1, "P/001").await;
    again.assert_error("2150");
    assert_eq!(again.body["InfoDtls"][0]["InfCd"], "DUPIRNGLP");
}

#[tokio::test]
async fn rejected_irns_lists_what_cross_irp_deduplication_refused_that_day() {
    let (nic1, nic2, clock) = nic1_nic2(Settings::default());
    let (at1, at2) = (login_at(&nic1).await, login_at(&nic2).await);
    let first = open(&at1, &generate(&nic1, &at1, "D/001").await);
    generate(&nic2, &at2, "D/001").await.assert_error("2150");
    // A duplicate at the IRP that holds it is not a cross-IRP refusal.
    generate(&nic1, &at1, "D/001").await.assert_error("2150");

    let list = open(&at2, &rejected(&nic2, &at2, "31/03/2026").await);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    let entry = &list[0];
    assert_eq!(entry["Irn"], first["Irn"]);
    assert_eq!(entry["AckNo"], first["AckNo"]);
    assert_eq!(entry["RegIrp"], "NIC1");
    assert_eq!(entry["DocNo"], "D/001");
    assert_eq!(entry["DocTyp"], "INV");
    assert_eq!(entry["DocDt"], "30/03/2026");
    assert_eq!(entry["RejDt"], "2026-03-31 10:00:00");

    assert_eq!(
        open(&at1, &rejected(&nic1, &at1, "31/03/2026").await),
        json!([])
    );
    assert_eq!(
        open(&at2, &rejected(&nic2, &at2, "30/03/2026").await),
        json!([])
    );
    clock.freeze_at(datetime!(2026-04-01 10:00:00 +5:30));
    let at2 = login_at(&nic2).await;
    assert_eq!(
        open(&at2, &rejected(&nic2, &at2, "01/04/2026").await),
        json!([])
    );
    for bad in ["", "2026-03-31", "32/03/2026"] {
        rejected(&nic2, &at2, bad).await.assert_error("2142");
    }
}

#[tokio::test]
async fn the_journal_names_the_irp_and_filters_by_it() {
    let (nic1, nic2, _) = nic1_nic2(Settings::default());
    let (at1, at2) = (login_at(&nic1).await, login_at(&nic2).await);
    open(&at1, &generate(&nic1, &at1, "J/001").await);
    generate(&nic2, &at2, "J/001").await.assert_error("2150");
    let journal = |state: AppState, query: &'static str| async move {
        let request = Request::get(format!("/__emulator__/journal{query}"))
            .body(Body::empty())
            .unwrap();
        oneshot(&state, request).await.body["entries"].clone()
    };
    let all = journal(nic1.clone(), "").await;
    let names: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["irp"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["nic1", "nic2", "nic1", "nic2"], "{all}");
    let only = journal(nic1.clone(), "?irp=NIC2&api=generate_irn").await;
    assert_eq!(only.as_array().unwrap().len(), 1, "{only}");
    assert_eq!(only[0]["irp"], "nic2");
    assert_eq!(only[0]["info_codes"], json!(["DUPIRNGLP"]));
}

#[tokio::test]
async fn the_failover_example_takes_nic1_down_from_16_to_18_and_leaves_nic2_serving() {
    let file = FaultFile::parse(include_str!("../../../examples/faults/failover.toml")).unwrap();
    let settings = Settings {
        token_lifetime: time::Duration::hours(6),
        ..Settings::default()
    };
    let (nic1, nic2, clock) = nic1_nic2(settings);
    for state in [&nic1, &nic2] {
        let mut file = file.clone();
        // The slow-NIC-2 rule is about wall time; this test is about the outage.
        file.fault
            .retain(|rule| rule.name.as_deref() != Some("nic2-slow"));
        state.load_faults(file);
    }
    let gstin = "/eivital/v1.03/Master/gstin/29AAACL1111A1ZD";
    clock.freeze_at(datetime!(2026-04-30 15:00:00 +5:30));
    let (at1, at2) = (login_at(&nic1).await, login_at(&nic2).await);
    for (at, status, nic1_up) in [
        (datetime!(2026-04-30 15:59:59 +5:30), 200, true),
        (datetime!(2026-04-30 16:00:00 +5:30), 503, false),
        (datetime!(2026-04-30 17:59:59 +5:30), 503, false),
        (datetime!(2026-04-30 18:00:00 +5:30), 200, true),
    ] {
        clock.freeze_at(at);
        let one = oneshot_raw(&nic1, authed_get(&at1, gstin)).await;
        assert_eq!(one.status.as_u16(), status, "nic1 at {at}");
        if nic1_up {
            assert_eq!(one.json()["Status"], json!(1), "nic1 at {at}");
        }
        let two = oneshot(&nic2, authed_get(&at2, gstin)).await;
        assert_eq!(two.body["Status"], json!(1), "nic2 at {at}: {two:?}");
    }
}

#[tokio::test]
async fn the_answer_time_delays_only_its_irp() {
    let slow = AnswerTime {
        fixed_ms: Some(300),
        ..AnswerTime::default()
    };
    let (states, _) = irps_with(Settings::default(), &["nic1", "nic2"], slow);
    let (nic1, nic2) = (&states[0], &states[1]);
    let (at1, at2) = (login_at(nic1).await, login_at(nic2).await);
    let gstin = "/eivital/v1.03/Master/gstin/29AAACL1111A1ZD";
    let started = Instant::now();
    let answer = oneshot(nic2, authed_get(&at2, gstin)).await;
    assert_eq!(answer.body["Status"], json!(1));
    assert!(started.elapsed() >= Duration::from_millis(300));
    // The control namespace is never delayed.
    let started = Instant::now();
    let health = Request::get("/__emulator__/health")
        .body(Body::empty())
        .unwrap();
    assert_eq!(oneshot(nic2, health).await.body["irp"], "nic2");
    assert!(started.elapsed() < Duration::from_millis(300));
    let _ = oneshot(nic1, authed_get(&at1, gstin)).await;
}

#[tokio::test]
async fn criss_cross_reaches_the_e_way_bill_apis_too() {
    let (nic1, nic2, _) = nic1_nic2(Settings::default());
    let (at1, at2) = (login_at(&nic1).await, login_at(&nic2).await);
    let irn = open(&at1, &generate(&nic1, &at1, "E/001").await)["Irn"]
        .as_str()
        .unwrap()
        .to_owned();
    let road = json!({"Irn": irn, "Distance": 120, "TransMode": "1", "VehNo": "KA01AB1234",
                      "VehType": "R", "TransId": null, "TransName": null});
    let ewb = "/eiewb/v1.03/ewaybill";
    oneshot(&nic2, authed_post(&at2, ewb, &road))
        .await
        .assert_error("4003");
    let made = open(
        &at2,
        &oneshot(&nic2, with_irp(authed_post(&at2, ewb, &road), "NIC1")).await,
    );
    let get = format!("{ewb}/irn/{irn}");
    oneshot(&nic2, authed_get(&at2, &get))
        .await
        .assert_error("4005");
    let got = open(
        &at2,
        &oneshot(&nic2, with_irp(authed_get(&at2, &get), "NIC1")).await,
    );
    assert_eq!(got["EwbNo"], made["EwbNo"]);
    // NIC-1 sees the e-way bill made through NIC-2 on its own IRN.
    let home = open(&at1, &oneshot(&nic1, authed_get(&at1, &get)).await);
    assert_eq!(home["EwbNo"], made["EwbNo"]);
}

#[tokio::test]
async fn one_user_holds_a_token_at_each_irp_and_each_works_only_at_home() {
    let (nic1, nic2, _) = nic1_nic2(Settings::default());
    let (at1, at2) = (login_at(&nic1).await, login_at(&nic2).await);
    assert_ne!(at1.token, at2.token);
    let gstin = "/eivital/v1.03/Master/gstin/29AAACL1111A1ZD";
    for (state, session, works) in [
        (&nic1, &at1, true),
        (&nic2, &at2, true),
        (&nic1, &at2, false),
        (&nic2, &at1, false),
    ] {
        let answer = oneshot(state, authed_get(session, gstin)).await;
        assert_eq!(answer.body["Status"] == json!(1), works, "{answer:?}");
    }
    // Logging in again at NIC-1 reuses NIC-1's token, not NIC-2's.
    assert_eq!(login_at(&nic1).await.token, at1.token);
}

/// The dashboard's registrations name the IRP that holds each one, at either IRP's
/// control namespace (the documents are GSTN-wide).
#[tokio::test]
async fn the_dashboard_lists_each_registration_with_the_irp_that_holds_it() {
    let (nic1, nic2, _) = nic1_nic2(Settings::default());
    let (at1, at2) = (login_at(&nic1).await, login_at(&nic2).await);
    let first = open(&at1, &generate(&nic1, &at1, "D/001").await);
    let second = open(&at2, &generate(&nic2, &at2, "D/002").await);
    for state in [&nic1, &nic2] {
        let listed = oneshot(
            state,
            Request::get("/__emulator__/registrations")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let rows = listed.body["registrations"].as_array().unwrap();
        let held: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r["irn"].as_str().unwrap(), r["irp"].as_str().unwrap()))
            .collect();
        assert_eq!(
            held,
            [
                (second["Irn"].as_str().unwrap(), "nic2"),
                (first["Irn"].as_str().unwrap(), "nic1")
            ]
        );
    }
}
