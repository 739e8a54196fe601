//! What real IRP answers look like, pinned against the recorded samples of the reference
//! pack: the e-way bill system's number as a string both ways, and the timestamps NIC prints
//! to the minute (`EwbDt`, `CancelDate`, DUPIRN `AckDt`, the e-way bill `cancelDate`) next to
//! those it prints to the second (`AckDt`, `TokenExpiry`).

use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};
use time::Duration;

use crate::{
    helpers::*,
    invoice::{GENERATE, sample},
};

/// India Compliance sends `ewbNo` as a string (`"391009149369"`) and NIC answers
/// `ewayBillNo` as a string; the sandbox refused the string and answered a number.
#[tokio::test]
async fn ewb_cancel_takes_the_number_as_a_string_and_answers_one() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let irn = open(
        &session,
        &oneshot(&state, authed_post(&session, GENERATE, &sample("FID/EWB"))).await,
    )["Irn"]
        .as_str()
        .unwrap()
        .to_owned();
    let made = open(
        &session,
        &oneshot(
            &state,
            authed_post(
                &session,
                "/eiewb/v1.03/ewaybill",
                &json!({"Irn": irn, "Distance": 10, "TransMode": "1", "VehNo": "KA01AB1234",
                        "VehType": "R"}),
            ),
        )
        .await,
    );
    let ewb_no = made["EwbNo"].as_u64().unwrap();
    let plain = json!({"ewbNo": ewb_no.to_string(), "cancelRsnCode": "3",
                       "cancelRmrk": "Order cancelled"});
    let data = STANDARD.encode(aes_encrypt(&session.sek, plain.to_string().as_bytes()));
    let mut request = authed_post(&session, "/ewaybillapi/v1.03/ewayapi", &json!({}));
    *request.body_mut() =
        axum::body::Body::from(json!({"action": "CANEWB", "data": data}).to_string());
    let answer = oneshot(&state, request).await;
    assert_eq!(answer.body["status"], "1", "{:?}", answer.body);
    let sealed = STANDARD
        .decode(answer.body["data"].as_str().unwrap())
        .unwrap();
    let result: Value = serde_json::from_slice(&aes_decrypt(&session.sek, &sealed)).unwrap();
    assert_eq!(result["ewayBillNo"], json!(ewb_no.to_string()));
}

/// Real samples print `EwbDt`, `CancelDate`, the DUPIRN `AckDt` and the e-way bill
/// `cancelDate` to the minute (`19:29:00`), while `AckDt` (`2025-03-15 19:59:08`) and
/// `TokenExpiry` (`22:06:02`) keep their seconds.
#[tokio::test]
async fn minute_and_second_precision_as_nic_prints_them() {
    let (state, clock) = state();
    clock.advance(Duration::seconds(8));
    let session = login(&state, LARGE, LARGE_USER, true).await;
    assert_eq!(session.expiry, "2026-03-31 11:00:08");
    let mut invoice = sample("FID/TIME");
    invoice["EwbDtls"] = json!({"TransMode": "1", "Distance": 10, "VehNo": "KA01AB1234",
                                "VehType": "R"});
    let made = open(
        &session,
        &oneshot(&state, authed_post(&session, GENERATE, &invoice)).await,
    );
    assert_eq!(made["AckDt"], "2026-03-31 10:00:08");
    assert_eq!(made["EwbDt"], "2026-03-31 10:00:00");
    assert_eq!(made["EwbValidTill"], "2026-04-01 23:59:00");

    let duplicate = oneshot(&state, authed_post(&session, GENERATE, &invoice)).await;
    duplicate.assert_error("2150");
    let desc = &duplicate.body["InfoDtls"][0]["Desc"];
    assert_eq!(desc["AckDt"], "2026-03-31 10:00:00");
    assert_eq!(desc["AckNo"], made["AckNo"]);

    let plain = open(
        &session,
        &oneshot(
            &state,
            authed_post(&session, GENERATE, &sample("FID/TIME2")),
        )
        .await,
    );
    clock.advance(Duration::seconds(50));
    let cancelled = open(
        &session,
        &oneshot(
            &state,
            authed_post(
                &session,
                "/eicore/v1.03/Invoice/Cancel",
                &json!({"Irn": plain["Irn"], "CnlRsn": "1", "CnlRem": "Duplicate"}),
            ),
        )
        .await,
    );
    assert_eq!(cancelled["CancelDate"], "2026-03-31 10:00:00");
}

/// A services invoice, a credit note and a debit note sent with `EwbDtls {Distance: 0}` and
/// no transporter: NIC registered each and answered `EWBERR` with 4019 alone (sandbox
/// 2022-09), not 4009/4010.
#[tokio::test]
async fn ewberr_for_part_a_without_transporter_is_4019_alone() {
    use irp_emulator::{
        invoice::DocType,
        samples::{self, InvoiceSpec, ItemSpec},
    };

    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let date = time::macros::date!(2026 - 03 - 30);
    let mut services = InvoiceSpec::simple("FID/SRV", date);
    services.items = vec![ItemSpec::service("998314", 1000.0, 18.0)];
    let mut credit = InvoiceSpec::simple("FID/CRN", date);
    credit.doc_type = DocType::CreditNote;
    let mut debit = InvoiceSpec::simple("FID/DBN", date);
    debit.doc_type = DocType::DebitNote;
    for spec in [services, credit, debit] {
        let mut invoice = samples::invoice(&spec);
        invoice["EwbDtls"] = json!({"Distance": 0});
        let answer = oneshot(&state, authed_post(&session, GENERATE, &invoice)).await;
        let data = open(&session, &answer);
        assert_eq!(data["EwbNo"], Value::Null);
        let info = &answer.body["InfoDtls"][0];
        assert_eq!(info["InfCd"], "EWBERR", "{}", spec.doc_no);
        let codes: Vec<&str> = info["Desc"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["ErrorCode"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["4019"], "{}", spec.doc_no);
    }
}

/// The e-commerce operator reaches an IRN it is named on by sending `sup_gstin` with the
/// supplier's GSTIN (Get IRN, Get by document, e-way bill, Cancel IRN); without it, or for
/// a document it is not named on, the answer is "not yours".
#[tokio::test]
async fn sup_gstin_lets_the_operator_act_for_its_supplier() {
    const OPERATOR: &str = "29AAACE1414M1ZP";
    const SMALL: &str = "29AAACS2222B1ZY";
    let with_sup = |mut request: axum::http::Request<axum::body::Body>, sup: &str| {
        request
            .headers_mut()
            .insert("sup_gstin", sup.parse().unwrap());
        request
    };
    let (state, _) = state();
    let supplier = login(&state, LARGE, LARGE_USER, false).await;
    let operator = login(&state, OPERATOR, "ecom_operator", false).await;
    let stranger = login(&state, SMALL, "small_supplier", false).await;
    let mut invoice = sample("FID/ECOM");
    invoice["TranDtls"]["EcmGstin"] = json!(OPERATOR);
    let made = open(
        &supplier,
        &oneshot(&state, authed_post(&supplier, GENERATE, &invoice)).await,
    );
    let irn = made["Irn"].as_str().unwrap();
    let get = format!("/eicore/v1.03/Invoice/irn/{irn}");
    let by_doc = "/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV&docnum=FID%2FECOM&docdate=30%2F03%2F2026";

    oneshot(&state, authed_get(&operator, &get))
        .await
        .assert_error("2143");
    let seen = open(
        &operator,
        &oneshot(&state, with_sup(authed_get(&operator, &get), LARGE)).await,
    );
    assert_eq!(seen["AckNo"], made["AckNo"]);
    let found = open(
        &operator,
        &oneshot(&state, with_sup(authed_get(&operator, by_doc), LARGE)).await,
    );
    assert_eq!(found["Irn"], irn);
    // Another taxpayer naming the supplier is still a stranger; a malformed header is 3028.
    oneshot(&state, with_sup(authed_get(&stranger, &get), LARGE))
        .await
        .assert_error("2143");
    oneshot(&state, with_sup(authed_get(&operator, &get), "NOT-A-GSTIN"))
        .await
        .assert_error("3028");

    let cancel = json!({"Irn": irn, "CnlRsn": "2", "CnlRem": "Order cancelled"});
    let path = "/eicore/v1.03/Invoice/Cancel";
    oneshot(&state, authed_post(&operator, path, &cancel))
        .await
        .assert_error("2143");
    let cancelled = open(
        &operator,
        &oneshot(
            &state,
            with_sup(authed_post(&operator, path, &cancel), LARGE),
        )
        .await,
    );
    assert_eq!(cancelled["Irn"], irn);
}
