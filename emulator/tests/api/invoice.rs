//! Generate IRN, Get IRN, Cancel IRN over the wire: signatures verified with the published
//! certificate by an independent JWT library, duplicates, concurrency, and the clock windows.

use std::collections::HashSet;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use irp_emulator::samples::{self, InvoiceSpec, ItemSpec};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::{Value, json};
use time::{Duration, macros::date};
use x509_parser::pem::parse_x509_pem;

use crate::helpers::*;

pub(crate) const GENERATE: &str = "/eicore/v1.03/Invoice";
pub(crate) const CANCEL: &str = "/eicore/v1.03/Invoice/Cancel";

#[derive(Debug, Deserialize)]
struct Claims {
    data: String,
    iss: String,
}

/// The RSA public key (PKCS#1 DER) of the certificate the emulator publishes.
async fn published_key(state: &irp_emulator::state::AppState) -> Vec<u8> {
    let request = axum::http::Request::get("/__emulator__/sandbox")
        .body(axum::body::Body::empty())
        .unwrap();
    let sandbox = oneshot(state, request).await.body;
    let pem = sandbox["signing_certificate_pem"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, pem) = parse_x509_pem(pem.as_bytes()).unwrap();
    let cert = pem.parse_x509().unwrap();
    cert.public_key().subject_public_key.data.to_vec()
}

/// Verifies an RS256 JWS with jsonwebtoken and returns its `data` parsed.
pub(crate) fn verify(jws: &str, key_der: &[u8]) -> (Value, Value) {
    let mut validation = Validation::new(Algorithm::RS256);
    validation.required_spec_claims = HashSet::new();
    validation.validate_exp = false;
    validation.set_issuer(&["NIC Sandbox"]);
    let token =
        jsonwebtoken::decode::<Claims>(jws, &DecodingKey::from_rsa_der(key_der), &validation)
            .unwrap_or_else(|e| panic!("signature does not verify: {e}"));
    assert_eq!(token.claims.iss, "NIC Sandbox");
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(jws.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    (header, serde_json::from_str(&token.claims.data).unwrap())
}

pub(crate) fn keys_of(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

pub(crate) fn sample(doc_no: &str) -> Value {
    samples::invoice(&InvoiceSpec::simple(doc_no, date!(2026 - 03 - 30)))
}

#[tokio::test]
async fn generate_answers_signed_invoice_and_qr_that_verify_independently() {
    let (state, _) = state();
    let key = published_key(&state).await;
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let mut spec = InvoiceSpec::simple("Inv/2026/001", date!(2026 - 03 - 30));
    spec.items = vec![
        ItemSpec::goods("84713010", 2.0, 100.0, 18.0),
        ItemSpec::goods("85171300", 1.0, 5000.0, 18.0),
        ItemSpec::service("998314", 300.0, 18.0),
    ];
    let request = samples::invoice(&spec);
    let answer = oneshot(&state, authed_post(&session, GENERATE, &request)).await;
    assert_eq!(answer.body["InfoDtls"], Value::Null);
    let data = open(&session, &answer);
    assert_eq!(
        keys_of(&data),
        [
            "AckNo",
            "AckDt",
            "Irn",
            "SignedInvoice",
            "SignedQRCode",
            "Status",
            "EwbNo",
            "EwbDt",
            "EwbValidTill",
            "Remarks"
        ]
    );
    assert_eq!(data["Status"], "ACT");
    assert_eq!(data["AckDt"], "2026-03-31 10:00:00");
    let ack_no = data["AckNo"].as_u64().unwrap();
    assert_eq!(ack_no.to_string().len(), 15);
    // IRN = SHA-256(GSTIN + FY + type + upper-cased number), computed here independently.
    let irn = data["Irn"].as_str().unwrap();
    let expected = {
        use rsa::sha2::Digest;
        let digest = rsa::sha2::Sha256::digest(format!("{LARGE}2025-26INVINV/2026/001").as_bytes());
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_eq!(irn, expected);

    let (header, invoice) = verify(data["SignedInvoice"].as_str().unwrap(), &key);
    assert_eq!(keys_of(&header), ["alg", "kid", "x5t", "typ"]);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(
        keys_of(&invoice),
        [
            "AckNo",
            "AckDt",
            "Irn",
            "Version",
            "TranDtls",
            "DocDtls",
            "SellerDtls",
            "BuyerDtls",
            "ItemList",
            "ValDtls"
        ]
    );
    assert_eq!(invoice["AckNo"], data["AckNo"]);
    assert_eq!(invoice["AckDt"], data["AckDt"]);
    assert_eq!(invoice["Irn"], data["Irn"]);
    assert_eq!(
        invoice["DocDtls"]["No"], "Inv/2026/001",
        "number kept as sent"
    );
    assert_eq!(keys_of(&invoice["BuyerDtls"]).last(), Some(&"Stcd"));
    for item in invoice["ItemList"].as_array().unwrap() {
        assert_eq!(keys_of(item)[..2], ["ItemNo", "SlNo"]);
    }
    assert_eq!(invoice["ValDtls"], request["ValDtls"]);

    let (qr_header, qr) = verify(data["SignedQRCode"].as_str().unwrap(), &key);
    assert_eq!(qr_header, header);
    assert_eq!(
        keys_of(&qr),
        [
            "SellerGstin",
            "BuyerGstin",
            "DocNo",
            "DocTyp",
            "DocDt",
            "TotInvVal",
            "ItemCnt",
            "MainHsnCode",
            "Irn",
            "IrnDt"
        ]
    );
    assert_eq!(qr["SellerGstin"], invoice["SellerDtls"]["Gstin"]);
    assert_eq!(qr["BuyerGstin"], invoice["BuyerDtls"]["Gstin"]);
    assert_eq!(qr["DocNo"], invoice["DocDtls"]["No"]);
    assert_eq!(qr["DocTyp"], invoice["DocDtls"]["Typ"]);
    assert_eq!(qr["DocDt"], invoice["DocDtls"]["Dt"]);
    assert_eq!(qr["TotInvVal"], invoice["ValDtls"]["TotInvVal"]);
    assert_eq!(qr["ItemCnt"], 3);
    assert_eq!(
        qr["MainHsnCode"], "85171300",
        "the item with the largest AssAmt"
    );
    assert_eq!(qr["Irn"], invoice["Irn"]);
    assert_eq!(qr["IrnDt"], invoice["AckDt"]);
}

#[tokio::test]
async fn a_tampered_signature_fails_independent_verification() {
    let (state, _) = state();
    let key = published_key(&state).await;
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let data = open(
        &session,
        &oneshot(&state, authed_post(&session, GENERATE, &sample("T-1"))).await,
    );
    let jws = data["SignedQRCode"].as_str().unwrap();
    let mut parts: Vec<String> = jws.split('.').map(str::to_owned).collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
    payload["data"] = json!(
        payload["data"]
            .as_str()
            .unwrap()
            .replace("\"ItemCnt\":1", "\"ItemCnt\":2")
    );
    parts[1] = URL_SAFE_NO_PAD.encode(payload.to_string());
    let forged = parts.join(".");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.required_spec_claims = HashSet::new();
    validation.validate_exp = false;
    assert!(
        jsonwebtoken::decode::<Claims>(&forged, &DecodingKey::from_rsa_der(&key), &validation)
            .is_err()
    );
}

#[tokio::test]
async fn duplicate_answers_2150_with_the_original_and_ignores_case() {
    let (state, clock) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let first = open(
        &session,
        &oneshot(&state, authed_post(&session, GENERATE, &sample("abc-1"))).await,
    );
    clock.advance(Duration::minutes(5));
    let again = oneshot(&state, authed_post(&session, GENERATE, &sample("ABC-1"))).await;
    again.assert_error("2150");
    assert_eq!(
        again.body["ErrorDetails"][0]["ErrorMessage"],
        "Duplicate IRN"
    );
    assert_eq!(
        again.body["InfoDtls"],
        json!([{"InfCd": "DUPIRN", "Desc": {
            "AckNo": first["AckNo"], "AckDt": first["AckDt"], "Irn": first["Irn"]}}])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_concurrent_submissions_register_exactly_once() {
    let app = spawn_app().await;
    // Log in over the socket so every request shares one session.
    let wire = crate::wire::Wire::login(&format!("http://{}", app.addr)).await;
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let wire = wire.clone();
            tokio::spawn(async move { wire.post(GENERATE, &sample("RACE-64")).await.unwrap() })
        })
        .collect();
    let mut successes = Vec::new();
    let mut duplicates = Vec::new();
    for task in tasks {
        let answer = task.await.unwrap();
        if answer["Status"] == json!(1) {
            successes.push(wire.open(&answer));
        } else {
            assert_eq!(answer["ErrorDetails"][0]["ErrorCode"], "2150", "{answer}");
            duplicates.push(answer["InfoDtls"][0]["Desc"].clone());
        }
    }
    assert_eq!(successes.len(), 1);
    assert_eq!(duplicates.len(), 63);
    let original = &successes[0];
    for desc in &duplicates {
        assert_eq!(desc["Irn"], original["Irn"]);
        assert_eq!(desc["AckNo"], original["AckNo"]);
    }
}

#[tokio::test]
async fn get_irn_returns_the_same_documents_inside_the_window_only() {
    let (state, clock) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let generated = open(
        &session,
        &oneshot(&state, authed_post(&session, GENERATE, &sample("GET/1"))).await,
    );
    let irn = generated["Irn"].as_str().unwrap();
    let by_irn = format!("/eicore/v1.03/Invoice/irn/{irn}");
    let by_doc =
        "/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV&docnum=GET%2F1&docdate=30%2F03%2F2026";
    for path in [by_irn.as_str(), by_doc] {
        let got = open(&session, &oneshot(&state, authed_get(&session, path)).await);
        assert_eq!(got, generated, "{path}");
    }
    // Day 2 (47 h 59 min) still answers; past 48 h it is 2283.
    clock.advance(Duration::hours(47) + Duration::minutes(59));
    let session = login(&state, LARGE, LARGE_USER, false).await;
    assert_eq!(
        open(
            &session,
            &oneshot(&state, authed_get(&session, &by_irn)).await
        )["Irn"],
        irn
    );
    clock.advance(Duration::minutes(2));
    oneshot(&state, authed_get(&session, &by_irn))
        .await
        .assert_error("2283");
    oneshot(&state, authed_get(&session, by_doc))
        .await
        .assert_error("2283");
}

#[tokio::test]
async fn get_irn_errors() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let irn = open(
        &session,
        &oneshot(&state, authed_post(&session, GENERATE, &sample("GET/2"))).await,
    )["Irn"]
        .as_str()
        .unwrap()
        .to_owned();
    let unknown = "0".repeat(64);
    oneshot(
        &state,
        authed_get(&session, &format!("/eicore/v1.03/Invoice/irn/{unknown}")),
    )
    .await
    .assert_error("2148");
    oneshot(
        &state,
        authed_get(&session, "/eicore/v1.03/Invoice/irn/not-an-irn"),
    )
    .await
    .assert_error("2148");
    oneshot(
        &state,
        authed_get(
            &session,
            "/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV&docnum=GET%2F2",
        ),
    )
    .await
    .assert_error("2142");
    let other = login(&state, "29AAACS2222B1ZY", "small_supplier", false).await;
    oneshot(
        &state,
        authed_get(&other, &format!("/eicore/v1.03/Invoice/irn/{irn}")),
    )
    .await
    .assert_error("2143");
}

pub(crate) async fn generate(
    state: &irp_emulator::state::AppState,
    session: &Login,
    doc_no: &str,
) -> String {
    open(
        session,
        &oneshot(state, authed_post(session, GENERATE, &sample(doc_no))).await,
    )["Irn"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(crate) fn cancel_body(irn: &str) -> Value {
    json!({"Irn": irn, "CnlRsn": "2", "CnlRem": "Data entry mistake"})
}

#[tokio::test]
async fn cancel_inside_24_hours_then_9999_and_2278_and_cnl_status() {
    let (state, clock) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let irn = generate(&state, &session, "CNL/1").await;
    clock.advance(Duration::hours(23) + Duration::minutes(59));
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let cancelled = open(
        &session,
        &oneshot(&state, authed_post(&session, CANCEL, &cancel_body(&irn))).await,
    );
    assert_eq!(keys_of(&cancelled), ["Irn", "CancelDate"]);
    assert_eq!(cancelled["Irn"], irn.as_str());
    assert_eq!(cancelled["CancelDate"], "2026-04-01 09:59:00");
    oneshot(&state, authed_post(&session, CANCEL, &cancel_body(&irn)))
        .await
        .assert_error("9999");
    let status = open(
        &session,
        &oneshot(
            &state,
            authed_get(&session, &format!("/eicore/v1.03/Invoice/irn/{irn}")),
        )
        .await,
    );
    assert_eq!(status["Status"], "CNL");
    oneshot(&state, authed_post(&session, GENERATE, &sample("cnl/1")))
        .await
        .assert_error("2278");
}

#[tokio::test]
async fn cancel_after_24_hours_is_2270_and_others_get_2143() {
    let (state, clock) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let irn = generate(&state, &session, "CNL/2").await;
    let other = login(&state, "29AAACS2222B1ZY", "small_supplier", false).await;
    oneshot(&state, authed_post(&other, CANCEL, &cancel_body(&irn)))
        .await
        .assert_error("2143");
    oneshot(
        &state,
        authed_post(&session, CANCEL, &cancel_body(&"1".repeat(64))),
    )
    .await
    .assert_error("2148");
    for bad in [
        json!({"Irn": irn, "CnlRsn": "5", "CnlRem": "x"}),
        json!({"Irn": irn, "CnlRsn": "1", "CnlRem": "x".repeat(101)}),
        json!({"Irn": "short", "CnlRsn": "1", "CnlRem": "x"}),
    ] {
        oneshot(&state, authed_post(&session, CANCEL, &bad))
            .await
            .assert_error("2140");
    }
    clock.advance(Duration::hours(24) + Duration::minutes(1));
    let session = login(&state, LARGE, LARGE_USER, false).await;
    oneshot(&state, authed_post(&session, CANCEL, &cancel_body(&irn)))
        .await
        .assert_error("2270");
}

#[tokio::test]
async fn business_errors_of_one_stage_come_together() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let mut request = sample("MULTI/1");
    request["ValDtls"]["AssVal"] = json!(1);
    request["ValDtls"]["TotInvVal"] = json!(1);
    let answer = oneshot(&state, authed_post(&session, GENERATE, &request)).await;
    let codes: Vec<&str> = answer.body["ErrorDetails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["ErrorCode"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["2182", "2189"]);
    // Schema errors name each path.
    let mut request = sample("MULTI/2");
    request["DocDtls"]["No"] = json!("0STARTS-WITH-ZERO");
    request["ItemList"][0]["HsnCd"] = json!("1");
    let answer = oneshot(&state, authed_post(&session, GENERATE, &request)).await;
    answer.assert_error("2140");
    let text = answer.body["ErrorDetails"].to_string();
    assert!(text.contains("#/DocDtls/No"), "{text}");
    assert!(text.contains("#/ItemList/0/HsnCd"), "{text}");
}

#[tokio::test]
async fn malformed_payloads_get_the_irp_envelope() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let mut request = authed_post(&session, GENERATE, &json!({}));
    *request.body_mut() = axum::body::Body::from(r#"{"Data":"not base64!!"}"#);
    oneshot(&state, request).await.assert_error("2140");
    let mut request = authed_post(&session, GENERATE, &json!({}));
    *request.body_mut() = axum::body::Body::from(r#"{"Data":""}"#);
    oneshot(&state, request).await.assert_error("2255");
    let mut request = authed_post(&session, GENERATE, &json!({}));
    // A valid base64 block that is not a ciphertext under this SEK.
    *request.body_mut() = axum::body::Body::from(r#"{"Data":"AAAAAAAAAAAAAAAAAAAAAA=="}"#);
    oneshot(&state, request).await.assert_error("2140");
    oneshot(&state, authed_post(&session, GENERATE, &json!([1, 2])))
        .await
        .assert_error("2140");
    // And the server still registers a good invoice afterwards.
    let data = open(
        &session,
        &oneshot(&state, authed_post(&session, GENERATE, &sample("AFTER/1"))).await,
    );
    assert_eq!(data["Status"], "ACT");
}
