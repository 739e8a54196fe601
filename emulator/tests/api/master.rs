//! The GSTIN APIs: details and sync, v1.03 and v1.04 paths, unknown and malformed GSTINs.

use irp_emulator::config::Settings;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn details_match_nic_shape_on_every_path() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    for path in [
        "/eivital/v1.03/Master/gstin/29AWGPV7107B1Z1",
        "/eivital/v1.04/Master/gstin/29AWGPV7107B1Z1",
        "/eivital/v1.03/Master/syncgstin/29AWGPV7107B1Z1",
        "/eivital/v1.04/Master/syncgstin/29AWGPV7107B1Z1",
        "/EIVITAL/V1.03/master/GSTIN/29AWGPV7107B1Z1",
    ] {
        let details = open(&session, &oneshot(&state, authed_get(&session, path)).await);
        // NIC's own sample record (api-envelopes.json), but for DtDReg, left empty here.
        assert_eq!(
            details,
            json!({
                "Gstin": "29AWGPV7107B1Z1", "TradeName": "VIKAS EXPORTS", "LegalName": "VIKASEXPORTS ",
                "AddrBnm": "RAMANAGARA", "AddrBno": "562160", "AddrFlno": "1st floor", "AddrSt": "6th main",
                "AddrLoc": "CHANNAPATNA", "StateCode": 29, "AddrPncd": 562160, "TxpType": "REG",
                "Status": "ACT", "BlkStatus": null, "DtReg": "2021-05-03", "DtDReg": null
            }),
            "{path}"
        );
        let keys: Vec<_> = details.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys.first().map(String::as_str), Some("Gstin"));
        assert_eq!(keys.last().map(String::as_str), Some("DtDReg"));
    }
}

#[tokio::test]
async fn statuses_of_the_magic_gstins() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    for (gstin, status, block, txp) in [
        ("29AAACX7777G1ZP", "CNL", "U", "REG"),
        ("29AAACI8888H1ZW", "INA", "U", "REG"),
        ("29AAACK9999J1ZJ", "ACT", "B", "REG"),
        ("29AAACZ5555E1Z3", "ACT", "U", "SEZ"),
        ("29AAACD6666F1ZH", "ACT", "U", "SED"),
    ] {
        let path = format!("/eivital/v1.04/Master/gstin/{gstin}");
        let details = open(
            &session,
            &oneshot(&state, authed_get(&session, &path)).await,
        );
        assert_eq!(
            (
                details["Status"].as_str(),
                details["BlkStatus"].as_str(),
                details["TxpType"].as_str()
            ),
            (Some(status), Some(block), Some(txp)),
            "{gstin}"
        );
    }
    let path = "/eivital/v1.04/Master/gstin/29AAACX7777G1ZP";
    assert_eq!(
        open(&session, &oneshot(&state, authed_get(&session, path)).await)["DtDReg"],
        "2024-12-31"
    );
}

#[tokio::test]
async fn unknown_and_invalid_gstins() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    for (gstin, code) in [
        ("29ZZZZZ9999Z1Z5", "3001"),
        ("29AAACL1111A1Z", "3028"),
        ("99AAACL1111A1ZD", "3028"),
        ("29aaacl1111a1zd", "3028"),
        ("URP", "3028"),
        ("%F0%9F%92%A9%F0%9F%92%A9%F0%9F%92%A9", "3028"),
    ] {
        let answer = oneshot(
            &state,
            authed_get(&session, &format!("/eivital/v1.03/Master/gstin/{gstin}")),
        )
        .await;
        answer.assert_error(code);
        assert_eq!(answer.body["InfoDtls"], Value::Null);
    }
    let answer = oneshot(
        &state,
        authed_get(&session, "/eivital/v1.03/Master/gstin/%FF%FE"),
    )
    .await;
    assert_eq!(answer.body["Status"], 0, "{answer:?}");
}

#[tokio::test]
async fn check_digit_is_enforced_only_when_configured() {
    let path = "/eivital/v1.03/Master/gstin/34AACCC1596Q002";
    let (lax, _) = state();
    let session = login(&lax, LARGE, LARGE_USER, false).await;
    assert_eq!(
        open(&session, &oneshot(&lax, authed_get(&session, path)).await)["Gstin"],
        "34AACCC1596Q002"
    );

    let (strict, _) = state_with(Settings {
        strict_gstin_check_digit: true,
        ..Settings::default()
    });
    let session = login(&strict, LARGE, LARGE_USER, false).await;
    oneshot(&strict, authed_get(&session, path))
        .await
        .assert_error("3028");
    let valid = "/eivital/v1.03/Master/gstin/27AAACB4444D1Z3";
    assert_eq!(
        open(
            &session,
            &oneshot(&strict, authed_get(&session, valid)).await
        )["StateCode"],
        27
    );
}
