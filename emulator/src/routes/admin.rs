//! The control namespace `/__emulator__/`: not part of the IRP.
//!
//! Health, everything a client needs to be configured (`sandbox`), run-time taxpayers,
//! reset, the clock, and the journal (`journal.rs`). Open only to loopback callers unless an admin token is configured,
//! in which case every caller must present it as `Authorization: Bearer <token>`.

use std::net::SocketAddr;

use axum::{
    Json, Router,
    extract::{ConnectInfo, Request, State},
    http::header,
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use serde_json::{Value, json};
use time::Duration;

use crate::{
    api_error,
    clock::{format_ist, parse_ist},
    error::{ApiError, ErrorCode},
    session,
    state::AppState,
    taxpayer::{self, GstinDetails, TaxpayerInput, rows::TaxpayerRow},
};

pub(super) fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/sandbox", get(sandbox))
        .route("/taxpayers", post(upsert_taxpayer))
        .route("/reset", post(reset))
        .route("/clock", get(clock).post(set_clock))
        .merge(super::journal::router())
        .layer(middleware::from_fn_with_state(state, guard))
}

fn allowed(state: &AppState, request: &Request) -> bool {
    match &state.settings.admin_token {
        Some(token) => request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| {
                aws_lc_rs::constant_time::verify_slices_are_equal(
                    given.as_bytes(),
                    token.as_bytes(),
                )
                .is_ok()
            }),
        None => request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .is_some_and(|ConnectInfo(peer)| peer.ip().is_loopback()),
    }
}

async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if allowed(&state, &request) {
        next.run(request).await
    } else {
        ApiError::new(ErrorCode::Forbidden).into_response()
    }
}

async fn health(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "profile": state.settings.issuer(),
        "now": format_ist(state.clock.now()),
    }))
}

async fn sandbox(State(state): State<AppState>) -> Json<Value> {
    let master = state.taxpayers();
    let users: Vec<Value> = master
        .all()
        .into_iter()
        .flat_map(|t| {
            t.users.iter().map(move |u| {
                json!({
                    "gstin": t.gstin,
                    "username": u.user_name,
                    "password": u.password.expose(),
                    "clients": u.clients,
                })
            })
        })
        .collect();
    let client = state.settings.clients.first();
    Json(json!({
        "client_id": client.map(|c| c.client_id.as_str()),
        "client_secret": client.map(|c| c.client_secret.as_str()),
        "users": users,
        "auth_public_key_pem": state.keys.pems.auth_public,
        "signing_certificate_pem": state.keys.pems.signing_cert,
        "signing_kid": state.keys.kid,
        "signing_x5t": state.keys.x5t,
        "issuer": state.settings.issuer(),
        "token_lifetime_minutes": state.settings.token_lifetime.whole_minutes(),
    }))
}

async fn upsert_taxpayer(
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> Result<Json<GstinDetails>, ApiError> {
    let input: TaxpayerInput =
        serde_json::from_slice(&body).map_err(|e| api_error!(BadControlRequest, "{e}"))?;
    let taxpayer = input
        .into_taxpayer()
        .map_err(|e| api_error!(BadControlRequest, "{e}"))?;
    state
        .settings
        .gstin_check()
        .parse(taxpayer.gstin.as_str())
        .map_err(|e| api_error!(BadControlRequest, "Gstin: {e}"))?;
    let details = GstinDetails::from(&taxpayer);
    let replaced_users: Vec<String> = state
        .taxpayers()
        .get(&taxpayer.gstin)
        .map(|old| old.users.iter().map(|u| u.user_name.clone()).collect())
        .unwrap_or_default();
    // Check against the master first (a user name may belong to another GSTIN), persist,
    // then apply: the master never holds a change the store does not.
    state
        .taxpayers()
        .admits(&taxpayer)
        .map_err(|e| api_error!(BadControlRequest, "{e}"))?;
    let row = TaxpayerRow::seal(&taxpayer.gstin, &body, &state.sealer);
    let revoked = replaced_users.clone();
    state
        .store
        .write(move |conn| {
            taxpayer::rows::save(conn, &row)?;
            revoked
                .iter()
                .try_for_each(|user| session::delete_user(conn, user))
        })
        .await?;
    state
        .taxpayers_mut()
        .upsert(taxpayer)
        .map_err(|e| api_error!(BadControlRequest, "{e}"))?;
    let mut sessions = state.sessions();
    for user in replaced_users {
        sessions.revoke_user(&user);
    }
    Ok(Json(details))
}

async fn reset(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state.reset().await?;
    Ok(Json(json!({ "status": "reset" })))
}

fn clock_view(state: &AppState) -> Json<Value> {
    Json(json!({ "now": format_ist(state.clock.now()), "frozen": state.clock.is_frozen() }))
}

async fn clock(State(state): State<AppState>) -> Json<Value> {
    clock_view(&state)
}

/// `POST /__emulator__/clock`: any of `{"freeze_at": "yyyy-MM-dd HH:mm:ss" (IST),
/// "advance_seconds": n, "resume": true, "reset": true}`, applied in that order.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockChange {
    freeze_at: Option<String>,
    advance_seconds: Option<i64>,
    #[serde(default)]
    resume: bool,
    #[serde(default)]
    reset: bool,
}

async fn set_clock(
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let change: ClockChange =
        serde_json::from_slice(&body).map_err(|e| api_error!(BadControlRequest, "{e}"))?;
    if let Some(text) = &change.freeze_at {
        let at = parse_ist(text).ok_or_else(|| {
            api_error!(BadControlRequest, "freeze_at: expected yyyy-MM-dd HH:mm:ss")
        })?;
        state.clock.freeze_at(at);
    }
    if let Some(seconds) = change.advance_seconds {
        state.clock.advance(Duration::seconds(seconds));
    }
    if change.resume {
        state.clock.resume();
    }
    if change.reset {
        state.clock.reset();
    }
    Ok(clock_view(&state))
}
