//! E-way bill by IRN: in the Generate call and on its own, the computed distance, validity,
//! Get EWB, the sandbox-only cancel in the e-way bill system's envelope, and the rules.

use base64::{Engine, engine::general_purpose::STANDARD};
use irp_emulator::{
    invoice::DocType,
    samples::{self, InvoiceSpec, ItemSpec},
};
use serde_json::{Value, json};
use time::{Duration, macros::date};

use crate::{
    helpers::*,
    invoice::{GENERATE, keys_of, sample},
};

const EWB: &str = "/eiewb/v1.03/ewaybill";
const EWB_CANCEL: &str = "/ewaybillapi/v1.03/ewayapi";

fn road(irn: &str, distance: u32) -> Value {
    json!({"Irn": irn, "Distance": distance, "TransMode": "1", "VehNo": "KA01AB1234",
           "VehType": "R", "TransId": null, "TransName": null})
}

async fn register(state: &irp_emulator::state::AppState, session: &Login, body: &Value) -> Value {
    open(
        session,
        &oneshot(state, authed_post(session, GENERATE, body)).await,
    )
}

fn cancel_ewb_request(session: &Login, ewb_no: u64) -> axum::http::Request<axum::body::Body> {
    let plain = json!({"ewbNo": ewb_no, "cancelRsnCode": 2, "cancelRmrk": "Cancelled the order"});
    let data = STANDARD.encode(aes_encrypt(&session.sek, plain.to_string().as_bytes()));
    let mut request = authed_post(session, EWB_CANCEL, &json!({}));
    *request.body_mut() =
        axum::body::Body::from(json!({"action": "CANEWB ", "data": data}).to_string());
    request
}

#[tokio::test]
async fn ewb_by_irn_then_get_then_cancel_then_irn_cancel() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let irn = register(&state, &session, &sample("EWB/1")).await["Irn"]
        .as_str()
        .unwrap()
        .to_owned();
    let answer = oneshot(&state, authed_post(&session, EWB, &road(&irn, 450))).await;
    assert_eq!(answer.body["InfoDtls"], Value::Null);
    let ewb = open(&session, &answer);
    assert_eq!(keys_of(&ewb), ["EwbNo", "EwbDt", "EwbValidTill", "Remarks"]);
    assert_eq!(ewb["EwbNo"].as_u64().unwrap().to_string().len(), 12);
    assert_eq!(ewb["EwbDt"], "2026-03-31 10:00:00");
    // 450 km → 3 days, ending 23:59.
    assert_eq!(ewb["EwbValidTill"], "2026-04-03 23:59:00");

    oneshot(&state, authed_post(&session, EWB, &road(&irn, 450)))
        .await
        .assert_error("4002");
    let got = open(
        &session,
        &oneshot(&state, authed_get(&session, &format!("{EWB}/irn/{irn}"))).await,
    );
    assert_eq!(got["EwbNo"], ewb["EwbNo"]);
    assert_eq!(got["Status"], "ACT");
    assert_eq!(got["GenGstin"], LARGE);
    // The IRN now shows its e-way bill, and cannot be cancelled while it is active.
    let details = open(
        &session,
        &oneshot(
            &state,
            authed_get(&session, &format!("/eicore/v1.03/Invoice/irn/{irn}")),
        )
        .await,
    );
    assert_eq!(details["EwbNo"], ewb["EwbNo"]);
    let cancel_irn = json!({"Irn": irn, "CnlRsn": "1", "CnlRem": "dup"});
    oneshot(
        &state,
        authed_post(&session, "/eicore/v1.03/Invoice/Cancel", &cancel_irn),
    )
    .await
    .assert_error("2230");

    let ewb_no = ewb["EwbNo"].as_u64().unwrap();
    let answer = oneshot(&state, cancel_ewb_request(&session, ewb_no)).await;
    assert_eq!(answer.body["status"], "1", "{:?}", answer.body);
    let plain: Value = serde_json::from_slice(&aes_decrypt(
        &session.sek,
        &STANDARD
            .decode(answer.body["data"].as_str().unwrap())
            .unwrap(),
    ))
    .unwrap();
    // NIC answers the number as a string.
    assert_eq!(plain["ewayBillNo"], ewb_no.to_string());
    assert_eq!(plain["cancelDate"], "31/03/2026 10:00:00 AM");
    // A second cancel is refused in the e-way bill system's own form.
    let again = oneshot(&state, cancel_ewb_request(&session, ewb_no)).await;
    assert_eq!(again.body["status"], "0");
    let error: Value = serde_json::from_slice(
        &STANDARD
            .decode(again.body["error"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(error, json!({"errorCodes": "312"}));

    let got = open(
        &session,
        &oneshot(&state, authed_get(&session, &format!("{EWB}/irn/{irn}"))).await,
    );
    assert_eq!(got["Status"], "CNL");
    let cancelled = open(
        &session,
        &oneshot(
            &state,
            authed_post(&session, "/eicore/v1.03/Invoice/Cancel", &cancel_irn),
        )
        .await,
    );
    assert_eq!(cancelled["Irn"], irn.as_str());
    oneshot(&state, authed_post(&session, EWB, &road(&irn, 450)))
        .await
        .assert_error("4000");
}

#[tokio::test]
async fn ewb_in_the_generate_call_with_computed_distance() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let mut spec = InvoiceSpec::simple("EWB/2", date!(2026 - 03 - 30));
    spec.inter_state = true; // Bengaluru 560001 → Mumbai 400021
    spec.ewb_distance = Some(0);
    let answer = oneshot(
        &state,
        authed_post(&session, GENERATE, &samples::invoice(&spec)),
    )
    .await;
    let info = &answer.body["InfoDtls"];
    assert_eq!(info[0]["InfCd"], "EWBPPD", "{answer:?}");
    let text = info[0]["Desc"].as_str().unwrap();
    let km: u32 = text
        .strip_prefix("Pin-Pin calc distance: ")
        .and_then(|t| t.strip_suffix("KM"))
        .unwrap()
        .parse()
        .unwrap();
    // Road distance Bengaluru–Mumbai is about 980 km; the estimate must be in range.
    assert!((800..=1300).contains(&km), "{km}");
    let data = open(&session, &answer);
    assert_eq!(data["Status"], "ACT");
    assert!(data["EwbNo"].as_u64().is_some());
    let days = i64::from(km.div_ceil(200));
    let till = (date!(2026 - 03 - 31) + Duration::days(days)).to_string();
    assert_eq!(data["EwbValidTill"], format!("{till} 23:59:00"));
}

#[tokio::test]
async fn ewb_failure_inside_generate_is_ewberr_not_an_error() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let mut request = sample("EWB/3");
    request["EwbDtls"] = json!({"Distance": 100}); // no mode and no transporter: 4019
    let answer = oneshot(&state, authed_post(&session, GENERATE, &request)).await;
    assert_eq!(answer.body["Status"], 1);
    assert_eq!(
        answer.body["InfoDtls"],
        json!([{"InfCd": "EWBERR", "Desc": [{"ErrorCode": "4019",
            "ErrorMessage": "Provide Transporter ID in order to generate Part A of e-Way Bill"}]}])
    );
    let data = open(&session, &answer);
    assert_eq!(data["EwbNo"], Value::Null);
    // Part-A only with a transporter id: an e-way bill without validity.
    let irn = data["Irn"].as_str().unwrap();
    let part_a = json!({"Irn": irn, "Distance": 100, "TransId": "29AAACB3333C1Z7"});
    let ewb = open(
        &session,
        &oneshot(&state, authed_post(&session, EWB, &part_a)).await,
    );
    assert_eq!(ewb["EwbValidTill"], Value::Null);
}

#[tokio::test]
async fn ewb_rules_table() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let goods = register(&state, &session, &sample("EWB/T1")).await["Irn"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut spec = InvoiceSpec::simple("EWB/T2", date!(2026 - 03 - 30));
    spec.items = vec![ItemSpec::service("998314", 1000.0, 18.0)];
    let services = register(&state, &session, &samples::invoice(&spec)).await["Irn"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut spec = InvoiceSpec::simple("EWB/T3", date!(2026 - 03 - 30));
    spec.doc_type = DocType::CreditNote;
    let credit = register(&state, &session, &samples::invoice(&spec)).await["Irn"]
        .as_str()
        .unwrap()
        .to_owned();
    let with = |irn: &str, extra: Value| {
        let mut body = road(irn, 100);
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        ("services only", road(&services, 100), "4009"),
        ("credit note", road(&credit, 100), "4010"),
        (
            "road without vehicle",
            with(&goods, json!({"VehNo": null})),
            "4011",
        ),
        (
            "road without vehicle type",
            with(&goods, json!({"VehType": null})),
            "4022",
        ),
        (
            "rail without document",
            with(
                &goods,
                json!({"TransMode": "2", "VehNo": null, "VehType": null}),
            ),
            "4012",
        ),
        (
            "air without document date",
            with(
                &goods,
                json!({"TransMode": "3", "TransDocNo": "AWB1", "VehNo": null, "VehType": null}),
            ),
            "4023",
        ),
        (
            "ship without vehicle or document",
            with(
                &goods,
                json!({"TransMode": "4", "VehNo": null, "VehType": null}),
            ),
            "4040",
        ),
        (
            "bad vehicle number",
            with(&goods, json!({"VehNo": "12-AB"})),
            "4014",
        ),
        (
            "bad vehicle type",
            with(&goods, json!({"VehType": "X"})),
            "4020",
        ),
        (
            "future transport document",
            with(&goods, json!({"TransDocDt": "01/04/2026"})),
            "4016",
        ),
        (
            "transport document before invoice",
            with(&goods, json!({"TransDocDt": "29/03/2026"})),
            "4021",
        ),
        (
            "transport document date format",
            with(&goods, json!({"TransDocDt": "2026-03-30"})),
            "4017",
        ),
        (
            "vehicle without mode",
            with(&goods, json!({"TransMode": null})),
            "4028",
        ),
        (
            "bad transporter id",
            with(&goods, json!({"TransId": "NOT-A-GSTIN"})),
            "4018",
        ),
        (
            "same PIN with distance 0",
            with(
                &goods,
                json!({"Distance": 0,
            "DispDtls": {"Nm": "Depot", "Addr1": "x", "Loc": "x", "Pin": 560068, "Stcd": "29"}}),
            ),
            "4029",
        ),
        (
            "dispatch from abroad",
            with(
                &goods,
                json!({
            "DispDtls": {"Nm": "Depot", "Addr1": "x", "Loc": "x", "Pin": 999999, "Stcd": "96"}}),
            ),
            "4035",
        ),
        ("unknown IRN", road(&"2".repeat(64), 100), "4003"),
        (
            "distance beyond the schema limit",
            with(&goods, json!({"Distance": 1e12})),
            "4038",
        ),
        (
            "negative distance",
            with(&goods, json!({"Distance": -5})),
            "4013",
        ),
    ];
    for (name, body, code) in cases {
        let answer = oneshot(&state, authed_post(&session, EWB, &body)).await;
        let codes: Vec<&str> = answer.body["ErrorDetails"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: accepted {answer:?}"))
            .iter()
            .map(|d| d["ErrorCode"].as_str().unwrap())
            .collect();
        assert!(
            codes.contains(&code),
            "{name}: expected {code}, got {codes:?}"
        );
    }
    let other = login(&state, "29AAACS2222B1ZY", "small_supplier", false).await;
    oneshot(&state, authed_post(&other, EWB, &road(&goods, 100)))
        .await
        .assert_error("4037");
    oneshot(&state, authed_get(&session, &format!("{EWB}/irn/{goods}")))
        .await
        .assert_error("4005");
}

#[tokio::test]
async fn ewb_cancel_envelope_errors() {
    let (state, clock) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let irn = register(&state, &session, &sample("EWB/C1")).await["Irn"]
        .as_str()
        .unwrap()
        .to_owned();
    let ewb = open(
        &session,
        &oneshot(&state, authed_post(&session, EWB, &road(&irn, 10))).await,
    );
    let decode = |body: &Value| -> Value {
        serde_json::from_slice(&STANDARD.decode(body["error"].as_str().unwrap()).unwrap()).unwrap()
    };
    let answer = oneshot(&state, cancel_ewb_request(&session, 999_999_999_999)).await;
    assert_eq!(decode(&answer.body), json!({"errorCodes": "325"}));
    let mut bad = authed_post(&session, EWB_CANCEL, &json!({}));
    *bad.body_mut() = axum::body::Body::from(r#"{"action":"CANEWB","data":"%%%"}"#);
    assert_eq!(
        decode(&oneshot(&state, bad).await.body),
        json!({"errorCodes": "109"})
    );
    clock.advance(Duration::hours(25));
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let late = oneshot(
        &state,
        cancel_ewb_request(&session, ewb["EwbNo"].as_u64().unwrap()),
    )
    .await;
    assert_eq!(decode(&late.body), json!({"errorCodes": "315"}));
}
