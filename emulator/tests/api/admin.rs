//! The `/__emulator__/` control namespace: sandbox configuration, run-time taxpayers, reset,
//! clock, and the loopback/admin-token guard.

use std::net::SocketAddr;

use axum::{body::Body, http::Request};
use irp_emulator::{config::Settings, state::AppState};
use serde_json::{Value, json};

use crate::helpers::*;

fn post(path: &str, body: Value) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn sandbox_hands_out_everything_a_client_needs() {
    let (state, _) = state();
    let answer = oneshot(
        &state,
        Request::get("/__emulator__/sandbox")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let body = answer.body;
    assert_eq!(body["client_id"], CLIENT_ID);
    assert_eq!(body["client_secret"], CLIENT_SECRET);
    assert!(
        body["auth_public_key_pem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    assert!(
        body["signing_certificate_pem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    let users = body["users"].as_array().unwrap();
    let large = users.iter().find(|u| u["username"] == LARGE_USER).unwrap();
    assert_eq!(
        (large["gstin"].as_str(), large["password"].as_str()),
        (Some(LARGE), Some(PASSWORD))
    );
    // Every listed user can log in with what the endpoint says (unless its GSTIN is not active).
    for user in users
        .iter()
        .filter(|u| u["clients"].as_array().unwrap().is_empty())
    {
        let creds = credentials(
            user["username"].as_str().unwrap(),
            user["password"].as_str().unwrap(),
            false,
        );
        let answer = oneshot(
            &state,
            auth_request(user["gstin"].as_str().unwrap(), encrypt_credentials(&creds)),
        )
        .await;
        assert!(
            answer.body["Status"] == 1 || answer.code() == "1014",
            "{user}: {answer:?}"
        );
    }
}

#[tokio::test]
async fn taxpayers_can_be_added_replaced_and_reset() {
    let (state, _) = state();
    let gstin = "33AAACT5555Q1Z0";
    let minimal = json!({
        "Gstin": gstin, "LegalName": "TAMIL NADU TRADERS", "StateCode": "33", "AddrPncd": 600001,
        "Users": [{"UserName": "tn_user", "Password": "pw-1"}],
    });
    let answer = oneshot(&state, post("/__emulator__/taxpayers", minimal)).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.body["Status"], "ACT");
    assert_eq!(answer.body["TxpType"], "REG");
    assert_eq!(answer.body["DtReg"], "2017-07-01");

    let mut creds = credentials("tn_user", "pw-1", false);
    let session = {
        let answer = oneshot(&state, auth_request(gstin, encrypt_credentials(&creds))).await;
        assert_eq!(answer.body["Status"], 1, "{answer:?}");
        answer.body["Data"]["AuthToken"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    // Replacing the record (now inactive) revokes its users' tokens.
    let inactive = json!({
        "Gstin": gstin, "LegalName": "TAMIL NADU TRADERS", "StateCode": 33, "AddrPncd": 600001,
        "Status": "INA", "Users": [{"UserName": "tn_user", "Password": "pw-2"}],
    });
    assert_eq!(
        oneshot(&state, post("/__emulator__/taxpayers", inactive))
            .await
            .status,
        200
    );
    let stale = Login {
        token: session,
        sek: vec![0; 32],
        expiry: String::new(),
        gstin: gstin.into(),
        user: "tn_user".into(),
    };
    oneshot(
        &state,
        authed_get(&stale, "/eivital/v1.04/Master/gstin/29AAACL1111A1ZD"),
    )
    .await
    .assert_error("1005");
    creds["Password"] = json!("pw-2");
    oneshot(&state, auth_request(gstin, encrypt_credentials(&creds)))
        .await
        .assert_error("1014");

    // Reset restores the start-up master.
    assert_eq!(
        oneshot(&state, post("/__emulator__/reset", json!({})))
            .await
            .status,
        200
    );
    oneshot(&state, auth_request(gstin, encrypt_credentials(&creds)))
        .await
        .assert_error("1017");
}

#[tokio::test]
async fn bad_taxpayer_records_are_refused_with_a_reason() {
    let (state, _) = state();
    for (body, needle) in [
        (
            json!({"Gstin": "33AAACT5555Q1Z0", "StateCode": 33, "AddrPncd": 600001}),
            "LegalName",
        ),
        (
            json!({"Gstin": "33AAACT5555Q1Z", "LegalName": "X", "StateCode": 33, "AddrPncd": 600001}),
            "15 characters",
        ),
        (
            json!({"Gstin": "33AAACT5555Q1Z0", "LegalName": "X", "StateCode": 33, "AddrPncd": 600001, "Users": [{"UserName": LARGE_USER, "Password": "x"}]}),
            "already belongs",
        ),
        (json!([1, 2]), "invalid type"),
    ] {
        let answer = oneshot(&state, post("/__emulator__/taxpayers", body.clone())).await;
        assert_eq!(answer.status, 400, "{body}");
        answer.assert_error("400");
        let message = answer.body["ErrorDetails"][0]["ErrorMessage"]
            .as_str()
            .unwrap();
        assert!(message.contains(needle), "{body}: {message}");
    }
}

#[tokio::test]
async fn clock_can_be_frozen_and_moved() {
    let (state, _) = state();
    let answer = oneshot(
        &state,
        post(
            "/__emulator__/clock",
            json!({"freeze_at": "2026-04-01 09:00:00", "advance_seconds": 90}),
        ),
    )
    .await;
    assert_eq!(
        answer.body,
        json!({"now": "2026-04-01 09:01:30", "frozen": true, "speed": 1.0})
    );
    let session = login(&state, LARGE, LARGE_USER, false).await;
    assert_eq!(session.expiry, "2026-04-01 10:01:30");
    let answer = oneshot(
        &state,
        post("/__emulator__/clock", json!({"freeze_at": "01/04/2026"})),
    )
    .await;
    answer.assert_error("400");
}

/// Every path of the control namespace but `health`, with a method it answers.
const GUARDED: [(&str, &str); 11] = [
    ("GET", "/__emulator__/sandbox"),
    ("GET", "/__emulator__/registrations"),
    ("GET", "/__emulator__/taxpayers"),
    ("GET", "/__emulator__/error-codes"),
    ("GET", "/__emulator__/clock"),
    ("GET", "/__emulator__/faults"),
    ("GET", "/__emulator__/rate-limits"),
    ("GET", "/__emulator__/journal"),
    ("GET", "/__emulator__/journal.jsonl"),
    ("POST", "/__emulator__/reset"),
    ("DELETE", "/__emulator__/journal"),
];

/// A request from `peer` (what the server's accept loop attaches), sent through the router.
async fn from_peer(
    state: &AppState,
    method: &str,
    path: &str,
    peer: [u8; 4],
    bearer: Option<&str>,
) -> (u16, Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = bearer {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let raw = oneshot_from(
        state,
        request.body(Body::empty()).unwrap(),
        SocketAddr::from((peer, 5000)),
    )
    .await;
    // The JSON Lines export is not one JSON document; only its status matters here.
    (
        raw.status.as_u16(),
        serde_json::from_slice(&raw.bytes).unwrap_or(Value::Null),
    )
}

const REMOTE: [u8; 4] = [10, 1, 2, 3];
const LOOPBACK: [u8; 4] = [127, 0, 0, 1];

#[tokio::test]
async fn control_namespace_is_loopback_only_by_default_but_health_answers_anyone() {
    let (state, _) = state();
    for (method, path) in GUARDED {
        let (status, body) = from_peer(&state, method, path, REMOTE, None).await;
        assert_eq!(status, 403, "{method} {path}");
        assert_eq!(
            body["ErrorDetails"][0]["ErrorCode"], "403",
            "{method} {path}"
        );
        let (status, _) = from_peer(&state, method, path, LOOPBACK, None).await;
        assert_eq!(status, 200, "{method} {path} from loopback");
    }
    let (status, health) = from_peer(&state, "GET", "/__emulator__/health", REMOTE, None).await;
    assert_eq!(status, 200);
    assert_eq!(health["status"], "ok");
    assert_eq!(health["control_allowed"], false);
    let (_, health) = from_peer(&state, "GET", "/__emulator__/health", LOOPBACK, None).await;
    assert_eq!(health["control_allowed"], true);
}

#[tokio::test]
async fn admin_token_guards_every_caller_but_not_health() {
    let (state, _) = state_with(Settings {
        admin_token: Some("s3cret".into()),
        ..Settings::default()
    });
    for (method, path) in GUARDED {
        for (peer, bearer) in [
            (LOOPBACK, None),
            (LOOPBACK, Some("nope")),
            (REMOTE, None),
            (REMOTE, Some("s3cre")),
        ] {
            let (status, _) = from_peer(&state, method, path, peer, bearer).await;
            assert_eq!(status, 403, "{method} {path} from {peer:?} with {bearer:?}");
        }
        let (status, _) = from_peer(&state, method, path, REMOTE, Some("s3cret")).await;
        assert_eq!(status, 200, "{method} {path} with the token");
    }
    for (bearer, allowed) in [(None, false), (Some("nope"), false), (Some("s3cret"), true)] {
        let (status, health) =
            from_peer(&state, "GET", "/__emulator__/health", REMOTE, bearer).await;
        assert_eq!(status, 200, "{bearer:?}");
        assert_eq!(health["control_allowed"], allowed, "{bearer:?}");
    }
}

/// Health is open to anyone, so it must stay free of anything `sandbox` guards: exactly
/// these keys, none of them a credential, a key or a token.
#[tokio::test]
async fn health_reveals_nothing_secret() {
    let (state, _) = state_with(Settings {
        admin_token: Some("s3cret".into()),
        ..Settings::default()
    });
    let (_, health) = from_peer(&state, "GET", "/__emulator__/health", REMOTE, None).await;
    let mut keys: Vec<&str> = health
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "control_allowed",
            "fault_header",
            "irp",
            "now",
            "profile",
            "seed",
            "status",
            "version"
        ]
    );
    let text = health.to_string();
    for secret in ["s3cret", CLIENT_SECRET, PASSWORD, "BEGIN"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}
