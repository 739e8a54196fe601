//! The clock as a team drives it through the control API: every window follows it, so a
//! month-end is rehearsed in minutes. (Token expiry at speed 3600 is in `tokens`.)

use axum::{body::Body, http::Request};
use irp_emulator::state::AppState;
use serde_json::Value;

use crate::{
    helpers::*,
    invoice::{CANCEL, GENERATE, cancel_body, generate},
};

async fn set_clock(state: &AppState, body: &str) -> Value {
    let request = Request::post("/__emulator__/clock")
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap();
    oneshot(state, request).await.body
}

#[tokio::test]
async fn advancing_a_day_closes_cancellation_and_two_days_close_retrieval() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let irn = generate(&state, &session, "CLK/1").await;
    let kept = generate(&state, &session, "CLK/2").await;
    set_clock(&state, r#"{"advance_seconds": 86460}"#).await;
    // The token died after an hour too; a fresh one meets the closed window.
    let session = login(&state, LARGE, LARGE_USER, false).await;
    oneshot(&state, authed_post(&session, CANCEL, &cancel_body(&irn)))
        .await
        .assert_error("2270");
    let get = |irn: &str| authed_get(&session, &format!("{GENERATE}/irn/{irn}"));
    assert_eq!(oneshot(&state, get(&kept)).await.body["Status"], 1);
    set_clock(&state, r#"{"advance_seconds": 86400}"#).await;
    let session = login(&state, LARGE, LARGE_USER, false).await;
    oneshot(
        &state,
        authed_get(&session, &format!("{GENERATE}/irn/{kept}")),
    )
    .await
    .assert_error("2283");
}

#[tokio::test]
async fn a_running_clock_moves_ack_dates_at_its_speed() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let ack_date = |answer: &Answer| open(&session, answer)["AckDt"].as_str().unwrap().to_owned();
    let first = ack_date(
        &oneshot(
            &state,
            authed_post(&session, GENERATE, &crate::invoice::sample("RUN/1")),
        )
        .await,
    );
    let view = set_clock(&state, r#"{"resume": true, "speed": 600}"#).await;
    assert_eq!(view["frozen"], false);
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let second = ack_date(
        &oneshot(
            &state,
            authed_post(&session, GENERATE, &crate::invoice::sample("RUN/2")),
        )
        .await,
    );
    let parse = |text: &str| {
        time::PrimitiveDateTime::parse(
            text,
            time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
        )
        .unwrap()
    };
    let moved = (parse(&second) - parse(&first)).whole_seconds();
    // 1.2 wall seconds at 600: about 12 virtual minutes (the test may be slow, not fast).
    assert!(
        (700..=1800).contains(&moved),
        "{first} -> {second}: {moved} s"
    );
}
