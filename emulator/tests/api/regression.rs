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
