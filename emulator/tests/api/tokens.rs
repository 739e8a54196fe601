//! Token life on a fixed clock: reuse, forced refresh, invalidation and expiry.

use irp_emulator::config::{GstinMismatch, Profile, Settings};
use time::Duration;

use crate::helpers::*;

const BUYER: &str = "27AAACB4444D1Z3";

async fn lookup(state: &irp_emulator::state::AppState, login: &Login) -> Answer {
    oneshot(
        state,
        authed_get(login, &format!("/eivital/v1.04/Master/gstin/{BUYER}")),
    )
    .await
}

#[tokio::test]
async fn reuse_refresh_and_expiry() {
    let (state, clock) = state();
    let first = login(&state, LARGE, LARGE_USER, false).await;
    assert_eq!(first.expiry, "2026-03-31 11:00:00");

    // Inside the window: the same token, expiry and SEK.
    clock.advance(Duration::minutes(30));
    let again = login(&state, LARGE, LARGE_USER, false).await;
    assert_eq!(
        (&again.token, &again.expiry, &again.sek),
        (&first.token, &first.expiry, &first.sek)
    );

    // A forced refresh eleven minutes before expiry is not honoured.
    clock.advance(Duration::minutes(19));
    let early = login(&state, LARGE, LARGE_USER, true).await;
    assert_eq!(early.token, first.token);

    // Ten minutes before expiry it is: a new token and SEK; the old token answers 1005.
    clock.advance(Duration::minutes(1));
    let fresh = login(&state, LARGE, LARGE_USER, true).await;
    assert_ne!(fresh.token, first.token);
    assert_ne!(fresh.sek, first.sek);
    assert_eq!(fresh.expiry, "2026-03-31 11:50:00");
    lookup(&state, &first).await.assert_error("1005");
    assert_eq!(open(&fresh, &lookup(&state, &fresh).await)["Gstin"], BUYER);

    // One second before expiry the token works; at expiry it does not.
    clock.advance(Duration::minutes(60) - Duration::seconds(1));
    assert_eq!(lookup(&state, &fresh).await.body["Status"], 1);
    clock.advance(Duration::seconds(1));
    lookup(&state, &fresh).await.assert_error("1005");

    // A plain auth after expiry issues a new token.
    let next = login(&state, LARGE, LARGE_USER, false).await;
    assert_ne!(next.token, fresh.token);
    assert_eq!(lookup(&state, &next).await.body["Status"], 1);
}

#[tokio::test]
async fn production_profile_lives_six_hours() {
    let (state, clock) = state_with(Settings::for_profile(Profile::Production));
    let session = login(&state, LARGE, LARGE_USER, false).await;
    assert_eq!(session.expiry, "2026-03-31 16:00:00");
    clock.advance(Duration::minutes(359));
    assert_eq!(lookup(&state, &session).await.body["Status"], 1);
    clock.advance(Duration::minutes(1));
    lookup(&state, &session).await.assert_error("1005");
}

#[tokio::test]
async fn tokens_are_bound_to_client_user_and_gstin() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let other = login(&state, "29AAACS2222B1ZY", "small_supplier", false).await;

    let mut wrong_token = session.clone();
    wrong_token.token = other.token.clone();
    lookup(&state, &wrong_token).await.assert_error("1005");

    let mut wrong_user = session.clone();
    wrong_user.user = "small_supplier".into();
    lookup(&state, &wrong_user).await.assert_error("1005");

    let mut wrong_gstin = session.clone();
    wrong_gstin.gstin = "29AAACS2222B1ZY".into();
    lookup(&state, &wrong_gstin).await.assert_error("1005");

    let mut unknown = session.clone();
    unknown.token = "not-a-token".into();
    lookup(&state, &unknown).await.assert_error("1005");

    let mut request = authed_get(&session, &format!("/eivital/v1.04/Master/gstin/{BUYER}"));
    request.headers_mut().remove("AuthToken");
    oneshot(&state, request).await.assert_error("1005");

    let mut request = authed_get(&session, &format!("/eivital/v1.04/Master/gstin/{BUYER}"));
    request
        .headers_mut()
        .insert("client_id", "second-gsp-client".parse().unwrap());
    request
        .headers_mut()
        .insert("client_secret", "second-gsp-secret".parse().unwrap());
    oneshot(&state, request).await.assert_error("1005");
}

#[tokio::test]
async fn missing_headers_on_other_apis() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    for (header, code) in [
        ("client_id", "1011"),
        ("client_secret", "1012"),
        ("Gstin", "1004"),
        ("user_name", "1006"),
    ] {
        let mut request = authed_get(&session, &format!("/eivital/v1.04/Master/gstin/{BUYER}"));
        request.headers_mut().remove(header);
        oneshot(&state, request).await.assert_error(code);
    }
}

#[tokio::test]
async fn gstin_mismatch_can_answer_1015() {
    let settings = Settings {
        gstin_mismatch: GstinMismatch::InvalidGstinForUser,
        ..Settings::default()
    };
    let (state, _) = state_with(settings);
    let mut session = login(&state, LARGE, LARGE_USER, false).await;
    session.gstin = BUYER.into();
    lookup(&state, &session).await.assert_error("1015");
}

/// With the clock at 3600 virtual seconds per wall second, a 60-minute token expires in
/// about one wall-clock second: month-end rehearsed in minutes.
#[tokio::test]
async fn tokens_expire_in_about_a_wall_second_at_speed_3600() {
    let (state, _) = state();
    let speed = axum::http::Request::post("/__emulator__/clock")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(r#"{"resume": true, "speed": 3600}"#))
        .unwrap();
    let view = oneshot(&state, speed).await;
    assert_eq!(view.body["speed"], 3600.0, "{view:?}");
    assert_eq!(view.body["frozen"], false);
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let gstin = format!("/eivital/v1.03/Master/gstin/{LARGE}");
    assert_eq!(
        oneshot(&state, authed_get(&session, &gstin)).await.body["Status"],
        1
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    oneshot(&state, authed_get(&session, &gstin))
        .await
        .assert_error("1005");
    // An out-of-bounds speed is refused whole.
    let bad = axum::http::Request::post("/__emulator__/clock")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(r#"{"speed": 0}"#))
        .unwrap();
    oneshot(&state, bad).await.assert_error("400");
}
