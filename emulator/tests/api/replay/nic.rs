//! The in-repo fixtures: NIC's own sample invoice sent to NIC's sandbox in March 2025 (with
//! NIC's success, duplicate and auth answers), and NIC's error texts quoted in public issues.

use serde_json::{Value, json};

use super::{Replayer, claims, ledger::Ledger, signed_data, with_ack_no};

const SELLER: &str = "34AACCC1596Q002";
/// The built-in taxpayer for NIC's sample seller (`emulator/data/taxpayers.json`).
const USER: &str = "nic_sample";

fn recorded() -> Value {
    serde_json::from_str(include_str!(
        "../../fixtures/real-samples/nic-sandbox-2025.taxpro-php.json"
    ))
    .unwrap()
}

/// The GSP's rendering read back into NIC's: `Status` `"1"` → 1, `Remarks` `"None"` → null
/// (the fixture's notes: the GSP prints NIC's answer decrypted, Python-style).
fn as_nic(mut answer: Value) -> Value {
    if let Some(status) = answer["Status"].as_str() {
        answer["Status"] = json!(status.parse::<u8>().unwrap());
    }
    if answer["Data"]["Remarks"] == "None" {
        answer["Data"]["Remarks"] = Value::Null;
    }
    answer
}

pub(crate) async fn replay(ledger: &mut Ledger) {
    let recorded = recorded();
    let app = Replayer::start(irp_emulator::config::Settings::default()).await;

    // Auth: the login instant is not recorded, only TokenExpiry; the clock is set to
    // TokenExpiry minus the emulator's token life, so what is checked is the shape and the
    // seconds precision of TokenExpiry, not NIC's token life.
    let sample = "nic-2025/auth";
    ledger.sample(sample);
    let nic_auth = &recorded["auth_response_via_gsp"];
    let expiry =
        irp_emulator::clock::parse_ist(nic_auth["Data"]["TokenExpiry"].as_str().unwrap()).unwrap();
    let life = irp_emulator::config::Settings::default().token_lifetime;
    app.freeze_at(&irp_emulator::clock::format_ist(expiry - life))
        .await;
    let (auth, _) = app.login(SELLER, USER).await;
    let keys = |v: &Value| v.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>());
    ledger.check(sample, "Status", &auth.doc["Status"], &nic_auth["Status"]);
    ledger.check(
        sample,
        "Data keys",
        &keys(&auth.doc["Data"]),
        &keys(&nic_auth["Data"]),
    );
    ledger.check(
        sample,
        "TokenExpiry",
        &auth.doc["Data"]["TokenExpiry"],
        &nic_auth["Data"]["TokenExpiry"],
    );
    ledger.check(
        sample,
        "ErrorDetails",
        &auth.doc["ErrorDetails"],
        &nic_auth["ErrorDetails"],
    );
    ledger.check(
        sample,
        "InfoDtls",
        &auth.doc["InfoDtls"],
        &nic_auth["InfoDtls"],
    );

    // Generate IRN: the request literal as sent, with the number of the accepted run
    // (the notes: the developer re-sent it as DOC1/60936-10, DOC1/60938-8, DOC1/60951; the
    // success answer is DOC1/60951's, and its IRN is that number's hash).
    let sample = "nic-2025/generate";
    ledger.sample(sample);
    let nic = as_nic(recorded["success_response_raw"].clone());
    let mut invoice = recorded["request_verbatim_APIPost1"].clone();
    invoice["DocDtls"]["No"] = json!("DOC1/60951");
    let at = nic["Data"]["AckDt"].as_str().unwrap();
    let (session, ours) = app.generate_at(at, (SELLER, USER), &invoice).await;
    compare_registration(ledger, sample, &ours, &nic);

    // The same invoice again: 2150 with DUPIRN. The recorded DUPIRN names an earlier
    // registration of another number (its IRN is none of the three numbers' hashes), so
    // its Desc is compared with the registration this replay duplicates; AckDt in Desc is
    // printed to the minute as NIC prints it (recorded "2025-03-08 12:24:00").
    let sample = "nic-2025/duplicate";
    ledger.sample(sample);
    let nic_dup = as_nic(recorded["duplicate_response_devtools"].clone());
    let again = app
        .client()
        .generate_irn(&session, &invoice)
        .await
        .unwrap()
        .doc;
    ledger.check(sample, "Status", &again["Status"], &nic_dup["Status"]);
    ledger.check(sample, "Data", &again["Data"], &nic_dup["Data"]);
    ledger.check(
        sample,
        "ErrorDetails",
        &again["ErrorDetails"],
        &nic_dup["ErrorDetails"],
    );
    let first = &ours["Data"];
    let mut expected_info = nic_dup["InfoDtls"].clone();
    let ack_dt = first["AckDt"].as_str().unwrap_or_default();
    expected_info[0]["Desc"] = json!({
        "AckNo": first["AckNo"],
        "AckDt": format!("{}00", ack_dt.get(..17).unwrap_or_default()),
        "Irn": first["Irn"],
    });
    ledger.check(sample, "InfoDtls", &again["InfoDtls"], &expected_info);
}

/// Compares a Generate IRN answer with NIC's success answer.
pub(crate) fn compare_registration(
    ledger: &mut Ledger,
    sample: &'static str,
    ours: &Value,
    nic: &Value,
) {
    ledger.check(sample, "Status", &ours["Status"], &nic["Status"]);
    ledger.check(
        sample,
        "ErrorDetails",
        &ours["ErrorDetails"],
        &nic["ErrorDetails"],
    );
    ledger.check(sample, "InfoDtls", &ours["InfoDtls"], &nic["InfoDtls"]);
    let (data, nic_data) = (&ours["Data"], &nic["Data"]);
    for field in ["Irn", "AckDt", "Status", "EwbDt", "EwbValidTill", "Remarks"] {
        ledger.check(sample, field, &data[field], &nic_data[field]);
    }
    ledger.check(
        sample,
        "EwbNo issued",
        &data["EwbNo"].is_null(),
        &nic_data["EwbNo"].is_null(),
    );
    let (Some(invoice), Some(qr)) = (
        data["SignedInvoice"].as_str(),
        data["SignedQRCode"].as_str(),
    ) else {
        ledger.check(
            sample,
            "signed",
            &"nothing signed",
            &"SignedInvoice, SignedQRCode",
        );
        return;
    };
    let (nic_invoice, nic_qr) = (
        nic_data["SignedInvoice"].as_str().unwrap(),
        nic_data["SignedQRCode"].as_str().unwrap(),
    );
    ledger.check(
        sample,
        "SignedInvoice data",
        &with_ack_no(&signed_data(invoice), &data["AckNo"], &nic_data["AckNo"]),
        &signed_data(nic_invoice),
    );
    ledger.check(
        sample,
        "SignedQRCode data",
        &signed_data(qr),
        &signed_data(nic_qr),
    );
    ledger.check(
        sample,
        "iss",
        &claims(invoice)["iss"],
        &claims(nic_invoice)["iss"],
    );
}

/// NIC's error texts quoted in public issues: no request was recorded with them, so each
/// is compared with the emulator's catalogue entry for its code (`{0}` stands for the
/// value NIC puts in the text).
pub(crate) fn error_messages(ledger: &mut Ledger) {
    let recorded: Value = serde_json::from_str(include_str!(
        "../../fixtures/real-samples/real-error-messages.json"
    ))
    .unwrap();
    let catalogue = irp_emulator::error::catalogue();
    let sample = "real-error-messages";
    ledger.sample(sample);
    for entry in recorded["errors"].as_array().unwrap() {
        let code = entry["code"].as_str().unwrap();
        let message = entry["message"].as_str().unwrap();
        // `EWBPPD` is an info code, and NIC's 2023 advisory is not an answer.
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let ours = catalogue
            .get(code)
            .map_or("(not in the catalogue)", String::as_str);
        let matches = match ours.split_once("{0}") {
            Some((head, tail)) => message.starts_with(head) && message.ends_with(tail),
            None => message == ours,
        };
        let what = format!("message of {code}: {message}");
        ledger.check(sample, &what, &(matches, ours), &(true, ours));
    }
}
