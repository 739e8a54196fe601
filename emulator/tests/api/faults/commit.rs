//! The `after_commit` phase: the handler commits, then the answer is replaced or shaped.
//! The case that matters most: the IRN is registered but the answer is lost, and the retry
//! meets 2150 with the original in DUPIRN.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{add_ok, control, details};
use crate::{helpers::*, invoice::GENERATE, invoice::sample};

#[tokio::test]
async fn a_lost_answer_leaves_the_irn_registered_and_the_retry_meets_2150_with_it() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    add_ok(
        &state,
        json!({"name": "lose-the-answer", "match": {"api": "generate_irn"},
            "phase": "after_commit", "action": {"type": "http_status", "status": 504},
            "times": 1}),
    )
    .await;
    let lost = oneshot_raw(&state, authed_post(&session, GENERATE, &sample("LOST/1"))).await;
    assert_eq!(lost.status, StatusCode::GATEWAY_TIMEOUT);
    assert!(lost.text.contains("504 Gateway Timeout"), "{}", lost.text);

    let retry = oneshot(&state, authed_post(&session, GENERATE, &sample("LOST/1"))).await;
    retry.assert_error("2150");
    let original = &retry.body["InfoDtls"][0];
    assert_eq!(original["InfCd"], "DUPIRN");
    let irn = original["Desc"]["Irn"].as_str().unwrap().to_owned();

    // The IRN the client never saw is the one registered, and Get IRN returns it.
    let got = oneshot(
        &state,
        authed_get(&session, &format!("{GENERATE}/irn/{irn}")),
    )
    .await;
    let data = open(&session, &got);
    assert_eq!(data["Irn"], irn.as_str());
    assert_eq!(data["AckNo"], original["Desc"]["AckNo"]);

    // The journal shows the fault in its phase, on the call that registered.
    let entries = control(&state, "GET", "/__emulator__/journal?api=generate_irn")
        .await
        .json()["entries"]
        .clone();
    assert_eq!(
        entries[0]["fault"],
        "1:lose-the-answer:http_status:after_commit"
    );
    assert_eq!(entries[0]["http_status"], 504);
    assert_eq!(entries[1]["fault"], Value::Null);
    assert_eq!(entries[1]["error_codes"], json!(["2150"]));
}

#[tokio::test]
async fn a_before_fault_registers_nothing() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    add_ok(
        &state,
        json!({"match": {"api": "generate_irn"}, "phase": "before",
            "action": {"type": "http_status", "status": 503}, "times": 1}),
    )
    .await;
    let refused = oneshot_raw(&state, authed_post(&session, GENERATE, &sample("B/1"))).await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    // The retry registers: nothing was committed the first time.
    let retry = oneshot(&state, authed_post(&session, GENERATE, &sample("B/1"))).await;
    assert_eq!(open(&session, &retry)["Status"], "ACT");
}

#[tokio::test]
async fn revoke_token_before_answers_1005_and_after_commit_lets_the_call_through() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    add_ok(
        &state,
        json!({"match": {"api": "generate_irn", "nth": 1}, "phase": "before",
            "action": {"type": "revoke_token"}}),
    )
    .await;
    let first = oneshot(&state, authed_post(&session, GENERATE, &sample("R/1"))).await;
    first.assert_error("1005");

    let session = login(&state, LARGE, LARGE_USER, false).await;
    add_ok(
        &state,
        json!({"match": {"api": "generate_irn"}, "phase": "after_commit",
            "action": {"type": "revoke_token"}, "times": 1}),
    )
    .await;
    let second = oneshot(&state, authed_post(&session, GENERATE, &sample("R/2"))).await;
    assert_eq!(open(&session, &second)["Status"], "ACT");
    let third = oneshot(&state, authed_post(&session, GENERATE, &sample("R/3"))).await;
    third.assert_error("1005");
}

#[tokio::test(start_paused = true)]
async fn latency_after_commit_delays_the_real_answer() {
    let (state, _) = state();
    add_ok(
        &state,
        json!({"phase": "after_commit", "action": {"type": "latency", "ms": 2500}}),
    )
    .await;
    let started = tokio::time::Instant::now();
    let raw = oneshot_raw(&state, details(LARGE)).await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(2500));
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(
        raw.json()["Status"],
        0,
        "the handler's own answer: {}",
        raw.text
    );
}

#[tokio::test]
async fn irp_error_after_commit_replaces_a_success() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    add_ok(
        &state,
        json!({"match": {"api": "generate_irn"}, "phase": "after_commit",
            "action": {"type": "irp_error", "code": "5001"}, "times": 1}),
    )
    .await;
    let replaced = oneshot(&state, authed_post(&session, GENERATE, &sample("E/1"))).await;
    replaced.assert_error("5001");
    let retry = oneshot(&state, authed_post(&session, GENERATE, &sample("E/1"))).await;
    retry.assert_error("2150");
}
