//! `X-Emulator-Fault` (honoured only with `--allow-fault-header`) and the seed: the same
//! seed and requests give the same faults.

use axum::{body::Body, http::Request};
use irp_emulator::config::Settings;
use serde_json::{Value, json};

use super::{add_ok, control, details};
use crate::helpers::*;

fn with_header(value: &str) -> Request<Body> {
    let mut request = details(LARGE);
    request
        .headers_mut()
        .insert("X-Emulator-Fault", value.parse().unwrap());
    request
}

#[tokio::test]
async fn the_header_is_ignored_unless_allowed() {
    let (state, _) = state();
    let raw = oneshot_raw(&state, with_header("http_status;status=503")).await;
    assert_eq!(raw.status, 200, "{}", raw.text);
    let health = control(&state, "GET", "/__emulator__/health").await.json();
    assert_eq!(health["fault_header"], false);
}

#[tokio::test]
async fn an_allowed_header_fails_one_call_and_a_bad_one_says_why() {
    let mut settings = Settings::default();
    settings.faults.allow_header = true;
    let (state, _) = state_with(settings);
    let raw = oneshot_raw(&state, with_header("http_status;status=503;retry_after=4")).await;
    assert_eq!(raw.status, 503, "{}", raw.text);
    assert_eq!(raw.headers["retry-after"], "4");
    let next = oneshot_raw(&state, details(LARGE)).await;
    assert_eq!(next.status, 200, "one call only");
    let bad = oneshot_raw(&state, with_header("explode;now=1")).await;
    assert_eq!(bad.status, 400);
    let error = &bad.json()["ErrorDetails"][0];
    assert_eq!(error["ErrorCode"], "400", "{}", bad.text);
    assert!(
        error["ErrorMessage"].as_str().unwrap().contains("explode"),
        "{}",
        bad.text
    );
    let entries = control(&state, "GET", "/__emulator__/journal").await.json()["entries"].clone();
    assert_eq!(entries[0]["fault"], "header:header:http_status:before");
    assert_eq!(entries[0]["retry_after"], 4);
}

/// The fault labels of 40 identical calls under a 30% rule and a jittered latency.
async fn fault_sequence(seed: u64) -> Vec<Value> {
    let mut settings = Settings::default();
    settings.faults.seed = seed;
    let (state, _) = state_with(settings);
    add_ok(
        &state,
        json!({"name": "flaky", "match": {"probability": 0.3}, "phase": "before",
            "action": {"type": "irp_error", "code": "5001"}}),
    )
    .await;
    for _ in 0..40 {
        oneshot_raw(&state, details(LARGE)).await;
    }
    let journal = control(&state, "GET", "/__emulator__/journal?limit=100")
        .await
        .json();
    let entries = journal["entries"].as_array().unwrap();
    assert!(
        entries.iter().all(|e| e["seed"] == seed),
        "the journal records the seed"
    );
    entries.iter().map(|e| e["fault"].clone()).collect()
}

#[tokio::test]
async fn the_same_seed_gives_the_same_faults_and_another_seed_does_not() {
    let first = fault_sequence(42).await;
    assert_eq!(first.len(), 40);
    assert_eq!(first, fault_sequence(42).await);
    assert_ne!(first, fault_sequence(43).await);
    let fired = first.iter().filter(|f| !f.is_null()).count();
    assert!((3..=25).contains(&fired), "{fired} of 40 at p = 0.3");
    let (state, _) = {
        let mut settings = Settings::default();
        settings.faults.seed = 42;
        state_with(settings)
    };
    let health = control(&state, "GET", "/__emulator__/health").await.json();
    assert_eq!(health["seed"], 42);
}
