//! What real IRP answers look like, pinned against the recorded samples of the reference
//! pack: the e-way bill system's number as a string both ways, and the timestamps NIC prints
//! to the minute (`EwbDt`, `CancelDate`, DUPIRN `AckDt`, the e-way bill `cancelDate`) next to
//! those it prints to the second (`AckDt`, `TokenExpiry`); and requests read as NIC's .NET
//! stack reads them: keys and coded values in any case, signed under canonical names.

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

/// Every key of `value`, at any depth, renamed by `rename`.
fn rekey(value: &Value, rename: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (rename(k), rekey(v, rename)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| rekey(v, rename)).collect()),
        other => other.clone(),
    }
}

/// The `data` text of a compact JWS.
fn signed_data(jws: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = jws.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    claims["data"].as_str().unwrap().to_owned()
}

/// The sample invoice with every optional block NIC's published sample fills in.
fn full_sample(doc_no: &str) -> Value {
    let mut invoice = sample(doc_no);
    invoice["PayDtls"] = json!({"Nm": "ABCDE", "AccDet": "5697389713210", "Mode": "Cash",
        "FinInsBr": "SBIN11000", "PayTerm": "100", "PayInstr": "Gift", "CrTrn": "test",
        "DirDr": "test", "CrDay": 100, "PaidAmt": 10000, "PaymtDue": 5000});
    invoice["RefDtls"] = json!({"InvRm": "TEST",
        "DocPerdDtls": {"InvStDt": "01/03/2026", "InvEndDt": "30/03/2026"},
        "ContrDtls": [{"RecAdvRefr": "Doc/003", "RecAdvDt": "01/03/2026", "TendRefr": "Abc001",
            "ContrRefr": "Co123", "ExtRefr": "Yo456", "ProjRefr": "Doc-456", "PORefr": "Doc-789",
            "PORefDt": "01/03/2026"}]});
    invoice["ItemList"][0]["BchDtls"] =
        json!({"Nm": "123456", "ExpDt": "01/08/2027", "WrDt": "01/09/2027"});
    invoice
}

/// Generates `invoice` and answers its decrypted `Data`.
async fn generate(
    state: &irp_emulator::state::AppState,
    session: &Login,
    invoice: &Value,
) -> Value {
    open(
        session,
        &oneshot(state, authed_post(session, GENERATE, invoice)).await,
    )
}

/// The signed `data` of `made`, with its IRN, AckNo and document number replaced by those
/// of `like`, so two registrations of one invoice compare byte for byte.
fn signed_as(made: &Value, doc_no: &str, like: &Value, like_doc_no: &str) -> String {
    signed_data(made["SignedInvoice"].as_str().unwrap())
        .replace(made["Irn"].as_str().unwrap(), like["Irn"].as_str().unwrap())
        .replace(&made["AckNo"].to_string(), &like["AckNo"].to_string())
        .replace(doc_no, like_doc_no)
}

/// NIC's published sample invoice spells `Accdet`, `Fininsbr`, `Payterm`, `Crday`,
/// `Paidamt`, `Tendrefr`, `Porefr`, `Expdt`, `wrDt` (and sends a top-level `itemList` in
/// client code); NIC signed DOC1/60951 with every one of them under its canonical name.
/// Sent so, or with every key and code in lower case, the signed `data` is byte-identical
/// to the canonical invoice's apart from the number, IRN and AckNo.
#[tokio::test]
async fn nic_sample_spellings_are_signed_under_canonical_names() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let canonical = generate(&state, &session, &full_sample("FID/CANON")).await;
    let canonical_data = signed_data(canonical["SignedInvoice"].as_str().unwrap());
    for name in [
        "AccDet", "FinInsBr", "CrDay", "TendRefr", "PORefr", "ExpDt", "WrDt",
    ] {
        assert!(canonical_data.contains(&format!("\"{name}\":")), "{name}");
    }

    let nic = rekey(&full_sample("FID/NICSP"), &|k| {
        match k {
            "AccDet" => "Accdet",
            "FinInsBr" => "Fininsbr",
            "PayTerm" => "Payterm",
            "PayInstr" => "Payinstr",
            "CrTrn" => "Crtrn",
            "DirDr" => "Dirdr",
            "CrDay" => "Crday",
            "PaidAmt" => "Paidamt",
            "PaymtDue" => "Paymtdue",
            "TendRefr" => "Tendrefr",
            "ContrRefr" => "Contrrefr",
            "ExtRefr" => "Extrefr",
            "ProjRefr" => "Projrefr",
            "PORefr" => "Porefr",
            "PORefDt" => "PoRefDt",
            "ExpDt" => "Expdt",
            "WrDt" => "wrDt",
            "ItemList" => "itemList",
            other => other,
        }
        .to_owned()
    });
    let made = generate(&state, &session, &nic).await;
    assert_eq!(
        signed_as(&made, "FID/NICSP", &canonical, "FID/CANON"),
        canonical_data
    );

    let mut lower = rekey(&full_sample("FID/LOWER"), &str::to_ascii_lowercase);
    lower["docdtls"]["typ"] = json!("inv");
    lower["trandtls"]["suptyp"] = json!("b2b");
    lower["trandtls"]["taxsch"] = json!("gst");
    for item in lower["itemlist"].as_array_mut().unwrap() {
        item["isservc"] = json!(item["isservc"].as_str().unwrap().to_ascii_lowercase());
        if let Some(unit) = item.get("unit").and_then(Value::as_str) {
            item["unit"] = json!(unit.to_ascii_lowercase());
        }
    }
    let made = generate(&state, &session, &lower).await;
    assert_eq!(
        signed_as(&made, "FID/LOWER", &canonical, "FID/CANON"),
        canonical_data
    );
}

/// `"Typ": "inv"` is `INV`: accepted, the QR says `INV`, and the IRN is the one of `INV`
/// (the same document sent as `INV` is its duplicate, 2150 naming the same IRN).
#[tokio::test]
async fn lower_case_doc_type_is_inv_in_the_qr_and_the_irn() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let mut invoice = sample("FID/TYP");
    invoice["DocDtls"]["Typ"] = json!("inv");
    let made = generate(&state, &session, &invoice).await;
    let qr: Value =
        serde_json::from_str(&signed_data(made["SignedQRCode"].as_str().unwrap())).unwrap();
    assert_eq!(qr["DocTyp"], "INV");
    let duplicate = oneshot(&state, authed_post(&session, GENERATE, &sample("FID/TYP"))).await;
    duplicate.assert_error("2150");
    assert_eq!(duplicate.body["InfoDtls"][0]["Desc"]["Irn"], made["Irn"]);
}

/// A field that breaks two schema keywords (`enum` and `pattern`) is one 2140 entry;
/// two keys folding to one name are one entry naming both spellings.
#[tokio::test]
async fn one_error_per_bad_field_and_per_colliding_key() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let messages = |answer: &Answer| -> Vec<String> {
        assert!(
            answer.body["ErrorDetails"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["ErrorCode"] == "2140")
        );
        answer.body["ErrorDetails"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["ErrorMessage"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut invoice = sample("FID/BAD");
    invoice["DocDtls"]["Typ"] = json!("XYZ");
    invoice["TranDtls"]["SupTyp"] = json!("B2C");
    let bad = oneshot(&state, authed_post(&session, GENERATE, &invoice)).await;
    let bad = messages(&bad);
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(
        bad.iter().any(|m| m.starts_with("#/DocDtls/Typ")),
        "{bad:?}"
    );
    assert!(
        bad.iter().any(|m| m.starts_with("#/TranDtls/SupTyp")),
        "{bad:?}"
    );

    let mut twice = sample("FID/TWICE");
    twice["DocDtls"]["typ"] = json!("CRN");
    let twice = oneshot(&state, authed_post(&session, GENERATE, &twice)).await;
    assert_eq!(
        messages(&twice),
        ["#/DocDtls/Typ: duplicate property (Typ, typ)"]
    );
}

/// India Compliance cancels with `Cnlrsn`/`Cnlrem` (recorded sample `cancel_e_invoice`);
/// NIC cancelled it.
#[tokio::test]
async fn india_compliance_cancel_with_cnlrsn_and_cnlrem() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let made = generate(&state, &session, &sample("FID/ICCNL")).await;
    let cancel = json!({"Cnlrem": "Data Entry Mistake", "Cnlrsn": "2", "Irn": made["Irn"]});
    let cancelled = open(
        &session,
        &oneshot(
            &state,
            authed_post(&session, "/eicore/v1.03/Invoice/Cancel", &cancel),
        )
        .await,
    );
    assert_eq!(cancelled["Irn"], made["Irn"]);
}

/// The credentials JSON read in any case: `username`, `PASSWORD`, `appkey`.
#[tokio::test]
async fn credentials_in_any_case() {
    let (state, _) = state();
    let credentials = rekey(&credentials(LARGE_USER, PASSWORD, false), &|k| match k {
        "UserName" => "username".to_owned(),
        "Password" => "PASSWORD".to_owned(),
        "AppKey" => "appkey".to_owned(),
        other => other.to_ascii_lowercase(),
    });
    let answer = oneshot(
        &state,
        auth_request(LARGE, encrypt_credentials(&credentials)),
    )
    .await;
    assert_eq!(answer.body["Status"], json!(1), "{answer:?}");
    assert_eq!(answer.body["Data"]["UserName"], LARGE_USER);

    let mut twice = credentials.clone();
    twice["UserName"] = json!(LARGE_USER);
    oneshot(&state, auth_request(LARGE, encrypt_credentials(&twice)))
        .await
        .assert_error("1007");
}

/// The e-way bill by IRN request and the e-way bill system's cancel with re-cased keys (and
/// `VehType` in lower case).
#[tokio::test]
async fn ewb_request_and_cancel_with_recased_keys() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let made = generate(&state, &session, &sample("FID/EWBCASE")).await;
    let request = json!({"irn": made["Irn"], "DISTANCE": 10, "transmode": "1",
        "vehNo": "KA01AB1234", "vehtype": "r"});
    let bill = open(
        &session,
        &oneshot(
            &state,
            authed_post(&session, "/eiewb/v1.03/ewaybill", &request),
        )
        .await,
    );
    let ewb_no = bill["EwbNo"].as_u64().unwrap();
    let plain = json!({"EwbNo": ewb_no, "CANCELRSNCODE": 2, "CancelRmrk": "Order cancelled"});
    let data = STANDARD.encode(aes_encrypt(&session.sek, plain.to_string().as_bytes()));
    let mut cancel = authed_post(&session, "/ewaybillapi/v1.03/ewayapi", &json!({}));
    *cancel.body_mut() =
        axum::body::Body::from(json!({"Action": "CANEWB", "Data": data}).to_string());
    let answer = oneshot(&state, cancel).await;
    assert_eq!(answer.body["status"], "1", "{:?}", answer.body);
}

/// `[rules] coerce_scalars`: off (the default), `"Pin": "560001"` and `"Stcd": 29` are one
/// 2140 entry each; on, they are read as Newtonsoft.Json binds them and signed canonically
/// (`"Pin":560001`, `"Stcd":"29"`).
#[tokio::test]
async fn scalars_sent_in_the_other_type_follow_the_knob() {
    let mut invoice = sample("FID/SCALAR");
    let pin = invoice["SellerDtls"]["Pin"].clone();
    invoice["SellerDtls"]["Pin"] = json!(pin.to_string());
    invoice["SellerDtls"]["Stcd"] = json!(29);

    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let refused = oneshot(&state, authed_post(&session, GENERATE, &invoice)).await;
    refused.assert_error("2140");
    assert_eq!(
        refused.body["ErrorDetails"].as_array().unwrap().len(),
        2,
        "{:?}",
        refused.body
    );

    let mut settings = irp_emulator::config::Settings::default();
    settings.rules.coerce_scalars = true;
    let (state, _) = state_with(settings);
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let made = generate(&state, &session, &invoice).await;
    let data = signed_data(made["SignedInvoice"].as_str().unwrap());
    assert!(
        data.contains(&format!("\"Pin\":{pin},\"Stcd\":\"29\"")),
        "{data}"
    );
}

/// NIC's own published sample invoice, as a PHP client sent it to NIC's sandbox in March
/// 2025 (mis-cased keys, explicit nulls, 4-digit HSN 1001, `TotAmt` 10 below `Qty ×
/// UnitPrice`), is accepted on the defaults, as the sandbox accepted it.
#[tokio::test]
async fn nic_sample_invoice_is_accepted_on_defaults() {
    let recorded: Value = serde_json::from_str(include_str!(
        "../fixtures/real-samples/nic-sandbox-2025.taxpro-php.json"
    ))
    .unwrap();
    let mut invoice = recorded["request_verbatim_APIPost1"].clone();
    invoice["DocDtls"]["No"] = json!("DOC1/60951");
    invoice.as_object_mut().unwrap().remove("EwbDtls");
    let (state, _) = state();
    let session = login(&state, "34AACCC1596Q002", "nic_sample", false).await;
    let answer = oneshot(&state, authed_post(&session, GENERATE, &invoice)).await;
    assert_eq!(answer.body["Status"], 1, "{:?}", answer.body);
}
