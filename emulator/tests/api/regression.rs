//! One test per defect found by hostile clients and crashes, named after the defect; each
//! failed before its fix.

use axum::{body::Body, http::Request};
use serde_json::{Value, json};

use crate::helpers::*;

fn control(path: &str, body: Value) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// `advance_seconds: 300000000000` was accepted and every later IRP request got an empty
/// reply; a freeze near 9999-12-31 made auth answer 500.
#[tokio::test]
async fn clock_out_of_range_is_refused_and_requests_keep_working() {
    let (state, _) = state();
    for change in [
        json!({"advance_seconds": 300_000_000_000_i64}),
        json!({"advance_seconds": -300_000_000_000_i64}),
        json!({"advance_seconds": i64::MAX}),
        json!({"freeze_at": "9999-12-31 23:59:59"}),
        json!({"freeze_at": "1999-12-31 23:59:59"}),
        json!({"freeze_at": "2026-04-01 09:00:00", "advance_seconds": 3_000_000_000_i64}),
    ] {
        let answer = oneshot(&state, control("/__emulator__/clock", change.clone())).await;
        answer.assert_error("400");
        assert_eq!(answer.status, 400, "{change}");
    }
    // Nothing was applied: the clock still stands at the tests' start.
    let clock = oneshot(
        &state,
        Request::get("/__emulator__/clock")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(clock.body["now"], "2026-03-31 10:00:00");
    let session = login(&state, LARGE, LARGE_USER, false).await;
    assert_eq!(session.expiry, "2026-03-31 11:00:00");
    let edge = oneshot(
        &state,
        control(
            "/__emulator__/clock",
            json!({"freeze_at": "2099-12-31 23:00:00"}),
        ),
    )
    .await;
    assert_eq!(edge.status, 200, "{edge:?}");
    let late = login(&state, LARGE, LARGE_USER, true).await;
    assert!(!late.token.is_empty());
}

/// A dual-stack listener (`--addr [::]:8080`) sees IPv4 loopback clients as
/// `::ffff:127.0.0.1`; the control namespace refused them.
#[tokio::test]
async fn ipv4_mapped_loopback_reaches_the_control_namespace() {
    use std::net::{Ipv4Addr, SocketAddr};

    use axum::extract::ConnectInfo;
    use tower::ServiceExt;

    let (state, _) = state();
    for (peer, status) in [
        (Ipv4Addr::LOCALHOST.to_ipv6_mapped(), 200),
        (Ipv4Addr::new(10, 1, 2, 3).to_ipv6_mapped(), 403),
        (std::net::Ipv6Addr::LOCALHOST, 200),
    ] {
        let mut request = Request::get("/__emulator__/health")
            .body(Body::empty())
            .unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((peer, 5000))));
        let response = irp_emulator::app(state.clone())
            .oneshot(request)
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{peer}");
    }
}

/// Control bodies over 2 MiB got axum's plain-text 413, and taxpayer records were
/// unbounded (100,000-character names, 5,000 users).
#[tokio::test]
async fn control_bodies_and_taxpayer_records_are_bounded_with_json_refusals() {
    let (state, _) = state();
    let huge = Request::post("/__emulator__/taxpayers")
        .header("content-type", "application/json")
        .body(Body::from(vec![b' '; 3 * 1024 * 1024]))
        .unwrap();
    let answer = oneshot(&state, huge).await;
    assert_eq!(answer.status, 413);
    answer.assert_error("5002");

    let record = |name: String, users: usize| {
        let users: Vec<Value> = (0..users)
            .map(|i| json!({"UserName": format!("u{i}"), "Password": "p"}))
            .collect();
        json!({"Gstin": "29AAACL1111A1ZD", "LegalName": name, "StateCode": 29,
               "AddrPncd": 560001, "Users": users})
    };
    for (body, field) in [
        (record("N".repeat(100_000), 1), "LegalName"),
        (record("Name".into(), 5_000), "Users"),
    ] {
        let answer = oneshot(&state, control("/__emulator__/taxpayers", body)).await;
        answer.assert_error("400");
        let message = answer.body["ErrorDetails"][0]["ErrorMessage"]
            .as_str()
            .unwrap();
        assert!(message.contains(field), "{message}");
    }
    // Within the bounds, the record is taken.
    let answer = oneshot(
        &state,
        control("/__emulator__/taxpayers", record("N".repeat(200), 20)),
    )
    .await;
    assert_eq!(answer.status, 200, "{answer:?}");
}

/// The AuthToken was stored in clear (session rows and journal) and returned by the journal
/// API. It is now kept as a digest plus a sealed copy, and the journal shows a fingerprint.
#[tokio::test]
async fn auth_token_is_not_stored_in_clear_and_survives_a_restart() {
    use irp_emulator::{
        clock::Clock,
        config::Settings,
        keys::KeySet,
        state::AppState,
        store::{Location, Store, StoreOptions},
    };

    let dir = tempfile::tempdir().unwrap();
    let open = || {
        let store = Store::open(
            &Location::Dir(dir.path().to_owned()),
            StoreOptions::default(),
        )
        .unwrap();
        AppState::open(
            Settings::default(),
            KeySet::embedded().unwrap(),
            Clock::fixed(T0),
            store,
        )
        .unwrap()
    };
    let gstin_path = format!("/eivital/v1.03/Master/gstin/{LARGE}");
    let session = {
        let state = open();
        let session = login(&state, LARGE, LARGE_USER, false).await;
        let answer = oneshot(&state, authed_get(&session, &gstin_path)).await;
        assert_eq!(answer.body["Status"], 1, "{answer:?}");
        state.journal.flush().await.unwrap();
        let entries = oneshot(
            &state,
            Request::get("/__emulator__/journal?api=auth")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let shown = entries.body["entries"][0]["response"]["Data"]["AuthToken"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            shown.starts_with("***") && !shown.contains(&session.token),
            "{shown}"
        );
        session
    };
    let mut bytes = Vec::new();
    for file in std::fs::read_dir(dir.path()).unwrap() {
        bytes.extend(std::fs::read(file.unwrap().path()).unwrap());
    }
    let token = session.token.as_bytes();
    assert!(bytes.len() > 4096);
    assert!(
        !bytes.windows(token.len()).any(|w| w == token),
        "the AuthToken is in the stored bytes"
    );
    // After a restart the token still works, and a login inside its life answers it again.
    let state = open();
    let answer = oneshot(&state, authed_get(&session, &gstin_path)).await;
    assert_eq!(answer.body["Status"], 1, "{answer:?}");
    let again = login(&state, LARGE, LARGE_USER, false).await;
    assert_eq!(again.token, session.token);
}

/// The loser of a cancel-IRN vs generate-e-way-bill race was told 4002 ("already
/// generated") although the IRN was cancelled and no e-way bill existed; it is 4000.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_vs_ewb_race_loser_is_told_what_won() {
    use crate::invoice::{GENERATE, sample};

    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let (mut cancels_won, mut ewbs_won) = (0, 0);
    for round in 0..60 {
        let made = open(
            &session,
            &oneshot(
                &state,
                authed_post(&session, GENERATE, &sample(&format!("RACE/{round}"))),
            )
            .await,
        );
        let irn = made["Irn"].as_str().unwrap().to_owned();
        let cancel = authed_post(
            &session,
            "/eicore/v1.03/Invoice/Cancel",
            &json!({"Irn": irn, "CnlRsn": "1", "CnlRem": "Duplicate"}),
        );
        let ewb = authed_post(
            &session,
            "/eiewb/v1.03/ewaybill",
            &json!({"Irn": irn, "Distance": 100, "TransMode": "1", "VehNo": "KA01AB1234",
                    "VehType": "R"}),
        );
        let (a, b) = (state.clone(), state.clone());
        let cancel = tokio::spawn(async move { oneshot(&a, cancel).await });
        let ewb = tokio::spawn(async move { oneshot(&b, ewb).await });
        let (cancel, ewb) = (cancel.await.unwrap(), ewb.await.unwrap());
        match (cancel.body["Status"].as_u64(), ewb.body["Status"].as_u64()) {
            (Some(1), Some(0)) => {
                cancels_won += 1;
                ewb.assert_error("4000");
            }
            (Some(0), Some(1)) => {
                ewbs_won += 1;
                cancel.assert_error("2230");
            }
            other => panic!("round {round}: both or neither succeeded: {other:?}"),
        }
    }
    assert_eq!(cancels_won + ewbs_won, 60);
}
