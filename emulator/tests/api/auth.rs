//! Every authentication error of NIC's list, one table row each, plus the success shape.

use axum::{body::Body, http::Request};
use base64::{Engine, engine::general_purpose::STANDARD};
use irp_emulator::config::{CredentialErrors, Settings};
use serde_json::{Value, json};

use crate::helpers::*;

struct Case {
    name: &'static str,
    client_id: Option<&'static str>,
    client_secret: Option<&'static str>,
    gstin: Option<&'static str>,
    credentials: Value,
    expect: &'static str,
}

fn case(name: &'static str, gstin: &'static str, credentials: Value, expect: &'static str) -> Case {
    Case {
        name,
        client_id: Some(CLIENT_ID),
        client_secret: Some(CLIENT_SECRET),
        gstin: Some(gstin),
        credentials,
        expect,
    }
}

fn build(case: &Case) -> Request<Body> {
    let mut builder =
        Request::post("/eivital/v1.04/auth").header("content-type", "application/json");
    if let Some(v) = case.client_id {
        builder = builder.header("client_id", v);
    }
    if let Some(v) = case.client_secret {
        builder = builder.header("client_secret", v);
    }
    if let Some(v) = case.gstin {
        builder = builder.header("Gstin", v);
    }
    builder
        .body(Body::from(encrypt_credentials(&case.credentials)))
        .unwrap()
}

fn table() -> Vec<Case> {
    let ok = || credentials(LARGE_USER, PASSWORD, false);
    let mut no_user = ok();
    no_user.as_object_mut().unwrap().remove("UserName");
    let mut blank_user = ok();
    blank_user["UserName"] = json!("");
    let mut bad_app_key = ok();
    bad_app_key["AppKey"] = json!(STANDARD.encode([1u8; 20]));
    vec![
        Case {
            client_id: None,
            ..case("missing client_id", LARGE, ok(), "1011")
        },
        Case {
            client_secret: None,
            ..case("missing client_secret", LARGE, ok(), "1012")
        },
        Case {
            client_secret: Some("wrong"),
            ..case("wrong client secret", LARGE, ok(), "1010")
        },
        Case {
            client_id: Some("nobody"),
            ..case("unknown client", LARGE, ok(), "1010")
        },
        Case {
            gstin: None,
            ..case("missing Gstin", LARGE, ok(), "1004")
        },
        case("missing UserName", LARGE, no_user, "1006"),
        case("blank UserName", LARGE, blank_user, "1006"),
        case(
            "unknown user",
            LARGE,
            credentials("nobody", PASSWORD, false),
            "1017",
        ),
        case(
            "wrong password",
            LARGE,
            credentials(LARGE_USER, "wrong", false),
            "1019",
        ),
        case("GSTIN not the user's", "27AAACB4444D1Z3", ok(), "1015"),
        case(
            "client not mapped to user",
            LARGE,
            credentials("gsp_only_user", PASSWORD, false),
            "1018",
        ),
        case(
            "inactive GSTIN",
            "29AAACI8888H1ZW",
            credentials("inactive", PASSWORD, false),
            "1014",
        ),
        case(
            "cancelled GSTIN",
            "29AAACX7777G1ZP",
            credentials("cancelled", PASSWORD, false),
            "1014",
        ),
        case(
            "not enabled for e-invoice",
            "29AAACN1212K1ZO",
            credentials("not_enabled", PASSWORD, false),
            "1014",
        ),
        case("AppKey of 20 bytes", LARGE, bad_app_key, "1016"),
    ]
}

#[tokio::test]
async fn every_auth_error_has_its_code() {
    let (state, _) = state();
    let mut failures = Vec::new();
    for case in table() {
        let answer = oneshot(&state, build(&case)).await;
        if answer.code() != case.expect || answer.body["Status"] != json!(0) {
            failures.push(format!(
                "{}: expected {}, got {:?}",
                case.name, case.expect, answer.body
            ));
        }
        assert_eq!(answer.status, 200, "{}", case.name);
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn generic_credential_errors_answer_1008() {
    let (state, _) = state_with(Settings {
        credential_errors: CredentialErrors::Generic,
        ..Settings::default()
    });
    for creds in [
        credentials("nobody", PASSWORD, false),
        credentials(LARGE_USER, "wrong", false),
    ] {
        oneshot(&state, auth_request(LARGE, encrypt_credentials(&creds)))
            .await
            .assert_error("1008");
    }
}

#[tokio::test]
async fn success_has_nic_shape_and_plain_data() {
    let (state, _) = state();
    let answer = oneshot(
        &state,
        auth_request(
            LARGE,
            encrypt_credentials(&credentials(LARGE_USER, PASSWORD, false)),
        ),
    )
    .await;
    let keys: Vec<&str> = answer
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["Status", "Data", "ErrorDetails", "InfoDtls"]);
    assert_eq!(answer.body["Status"], json!(1));
    let data_keys: Vec<&str> = answer.body["Data"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        data_keys,
        ["ClientId", "UserName", "AuthToken", "Sek", "TokenExpiry"]
    );
    assert_eq!(answer.body["Data"]["Sek"].as_str().unwrap().len(), 64);
    assert_eq!(answer.body["InfoDtls"], Value::Null);
}

#[tokio::test]
async fn v103_path_and_header_spellings_work_alike() {
    let (state, _) = state();
    let request = Request::post("/eivital/v1.03/auth")
        .header("Client-Id", CLIENT_ID)
        .header("CLIENT-SECRET", CLIENT_SECRET)
        .header("gstin", LARGE)
        .body(Body::from(encrypt_credentials(&credentials(
            LARGE_USER, PASSWORD, false,
        ))))
        .unwrap();
    let answer = oneshot(&state, request).await;
    assert_eq!(answer.body["Status"], json!(1), "{answer:?}");
}

#[tokio::test]
async fn sixteen_byte_app_key_wraps_the_sek_with_aes_128() {
    let (state, _) = state();
    let key = [7u8; 16];
    let mut creds = credentials(LARGE_USER, PASSWORD, false);
    creds["AppKey"] = json!(STANDARD.encode(key));
    let answer = oneshot(&state, auth_request(LARGE, encrypt_credentials(&creds))).await;
    let wrapped = STANDARD
        .decode(answer.body["Data"]["Sek"].as_str().unwrap())
        .unwrap();
    assert_eq!(aes_decrypt(&key, &wrapped).len(), 32);
}
