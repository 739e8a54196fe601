//! The control namespace `/__emulator__/`: not part of the IRP.
//!
//! Health, everything a client needs to be configured (`sandbox`), run-time taxpayers,
//! reset, the clock, fault rules, rate limits, the journal (`journal.rs`), and the
//! dashboard (`ui.rs`) with the views only it needs (`dashboard.rs`).
//!
//! `health` answers every caller: container health checks and CI service waits reach it from
//! outside loopback, and it holds nothing secret (version, profile, the virtual clock, the
//! fault seed that the emulator prints at start anyway, and whether the caller may use the
//! rest). Everything else is open only to loopback callers unless an admin token is
//! configured, in which case every caller must present it as `Authorization: Bearer <token>`
//! (or the dashboard's login cookie, which holds its digest):
//! `sandbox` hands out passwords and client secrets, and the rest changes state.

use std::net::SocketAddr;

use axum::{
    Json, Router,
    extract::{ConnectInfo, Path, Request, State, rejection::PathRejection},
    http::{StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{delete, get, post},
};
use serde::Deserialize;
use serde_json::{Value, json};
use time::Duration;

use crate::{
    api_error,
    clock::{ClockChange, format_ist, parse_ist},
    envelope::ControlBody,
    error::{ApiError, ErrorCode},
    faults::{FaultRule, RuleError, SUPPORTED_ACTIONS, StoredRule},
    ratelimit::{RateLimitRule, StoredLimit},
    state::AppState,
    taxpayer::{GstinDetails, TaxpayerChangeError},
};

pub(super) fn router(state: AppState) -> Router<AppState> {
    let guarded = Router::new()
        .route("/sandbox", get(sandbox))
        .route(
            "/taxpayers",
            get(super::dashboard::taxpayers).post(upsert_taxpayer),
        )
        .route("/reset", post(reset))
        .route("/clock", get(clock).post(set_clock))
        .route("/faults", get(faults).post(add_fault).delete(clear_faults))
        .route("/faults/{id}", delete(remove_fault))
        .route(
            "/rate-limits",
            get(rate_limits)
                .post(add_rate_limit)
                .delete(clear_rate_limits),
        )
        .route("/rate-limits/{id}", delete(remove_rate_limit))
        .merge(super::journal::router())
        .merge(super::dashboard::router())
        .layer(middleware::from_fn_with_state(state, guard));
    Router::new()
        .route("/health", get(health))
        .merge(super::ui::router())
        .merge(guarded)
}

/// Whether a caller may use the guarded paths, and if not, what would let it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    /// Yes.
    Allowed,
    /// Not without the admin token (as a bearer header or the dashboard's login cookie).
    TokenNeeded,
    /// Not from outside loopback (no admin token is configured).
    LoopbackOnly,
}

/// Compares two secrets in constant time.
pub(super) fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    aws_lc_rs::constant_time::verify_slices_are_equal(given, expected).is_ok()
}

pub(super) fn access(state: &AppState, request: &Request) -> Access {
    let header_text = |name| request.headers().get(name).and_then(|v| v.to_str().ok());
    match &state.settings.admin_token {
        Some(token) => {
            let by_header = header_text(header::AUTHORIZATION)
                .and_then(|v| v.strip_prefix("Bearer "))
                .is_some_and(|given| same_secret(given.as_bytes(), token.as_bytes()));
            let by_cookie = || {
                header_text(header::COOKIE)
                    .and_then(super::ui::cookie_in)
                    .is_some_and(|given| {
                        same_secret(given.as_bytes(), super::ui::cookie_value(token).as_bytes())
                    })
            };
            if by_header || by_cookie() {
                Access::Allowed
            } else {
                Access::TokenNeeded
            }
        }
        None => {
            let loopback = request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .is_some_and(|ConnectInfo(peer)| peer.ip().to_canonical().is_loopback());
            if loopback {
                Access::Allowed
            } else {
                Access::LoopbackOnly
            }
        }
    }
}

fn allowed(state: &AppState, request: &Request) -> bool {
    access(state, request) == Access::Allowed
}

async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if allowed(&state, &request) {
        next.run(request).await
    } else {
        ApiError::new(ErrorCode::Forbidden).into_response()
    }
}

/// Open to every caller (see the module doc): add nothing here that a stranger must not read.
async fn health(State(state): State<AppState>, request: Request) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "profile": state.settings.issuer(),
        "now": format_ist(state.clock.now()),
        "seed": state.settings.faults.seed,
        "fault_header": state.settings.faults.allow_header,
        // What a 403 from any other control path would tell this caller anyway; lets a
        // harness tell "an emulator I may script" from "an emulator" in one call.
        "control_allowed": allowed(&state, &request),
        "irp": state.settings.irp.name,
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
        "irp": state.settings.irp.name,
    }))
}

async fn upsert_taxpayer(
    State(state): State<AppState>,
    ControlBody(body): ControlBody,
) -> Result<Json<GstinDetails>, ApiError> {
    let details = state
        .master
        .upsert(&body, state.settings.gstin_check(), &state.sessions)
        .await
        .map_err(|e| match e {
            TaxpayerChangeError::Invalid(reason) => api_error!(BadControlRequest, "{reason}"),
            TaxpayerChangeError::Store(e) => e.into(),
        })?;
    Ok(Json(details))
}

async fn reset(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state.reset().await?;
    Ok(Json(json!({ "status": "reset" })))
}

fn clock_view(state: &AppState) -> Json<Value> {
    Json(json!({
        "now": format_ist(state.clock.now()),
        "frozen": state.clock.is_frozen(),
        "speed": state.clock.speed(),
    }))
}

async fn clock(State(state): State<AppState>) -> Json<Value> {
    clock_view(&state)
}

/// `POST /__emulator__/clock`: any of `{"freeze_at": "yyyy-MM-dd HH:mm:ss" (IST),
/// "advance_seconds": n, "resume": true, "speed": F, "reset": true}`, applied in that order,
/// whole or not at all.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockRequest {
    freeze_at: Option<String>,
    advance_seconds: Option<i64>,
    #[serde(default)]
    resume: bool,
    #[serde(default)]
    reset: bool,
    speed: Option<f64>,
}

async fn set_clock(
    State(state): State<AppState>,
    ControlBody(body): ControlBody,
) -> Result<Json<Value>, ApiError> {
    let request: ClockRequest =
        serde_json::from_slice(&body).map_err(|e| api_error!(BadControlRequest, "{e}"))?;
    let freeze_at = match &request.freeze_at {
        Some(text) => Some(parse_ist(text).ok_or_else(|| {
            api_error!(BadControlRequest, "freeze_at: expected yyyy-MM-dd HH:mm:ss")
        })?),
        None => None,
    };
    state
        .clock
        .change(ClockChange {
            freeze_at,
            advance: request.advance_seconds.map(Duration::seconds),
            resume: request.resume,
            reset: request.reset,
            speed: request.speed,
        })
        .map_err(|e| api_error!(BadControlRequest, "{e}"))?;
    Ok(clock_view(&state))
}

/// `POST /__emulator__/faults`: stores a rule; 201 with it and its `id`.
async fn add_fault(
    State(state): State<AppState>,
    ControlBody(body): ControlBody,
) -> Result<(StatusCode, Json<StoredRule>), ApiError> {
    let rule = FaultRule::parse(&body).map_err(|e| match e {
        RuleError::Shape(e) if e.contains("unknown variant") => api_error!(
            BadControlRequest,
            "{e} (supported action types: {SUPPORTED_ACTIONS})"
        ),
        other => api_error!(BadControlRequest, "{other}"),
    })?;
    let stored = state.fault_plan().add(rule);
    Ok((StatusCode::CREATED, Json(stored)))
}

/// `GET /__emulator__/faults`: every rule with its `id` and `fired` count.
async fn faults(State(state): State<AppState>) -> Json<Value> {
    let rules = state.fault_plan().rules().to_vec();
    Json(json!({ "faults": rules }))
}

/// `DELETE /__emulator__/faults/{id}`.
async fn remove_fault(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path(id) = path.map_err(|e| api_error!(BadControlRequest, "fault id: {e}"))?;
    match id.parse::<u64>() {
        Ok(number) if state.fault_plan().remove(number) => {
            Ok(Json(json!({ "status": "removed", "id": number })))
        }
        _ => Err(api_error!(UnknownPath, "No fault rule with id {id}")),
    }
}

/// `DELETE /__emulator__/faults`: removes every rule.
async fn clear_faults(State(state): State<AppState>) -> Json<Value> {
    state.fault_plan().clear();
    Json(json!({ "status": "cleared" }))
}

/// `POST /__emulator__/rate-limits`: stores a rule; 201 with it, its `id` and `refused`.
async fn add_rate_limit(
    State(state): State<AppState>,
    ControlBody(body): ControlBody,
) -> Result<(StatusCode, Json<StoredLimit>), ApiError> {
    let rule = RateLimitRule::parse(&body).map_err(|e| api_error!(BadControlRequest, "{e}"))?;
    let stored = state.rate_limiter().add(rule);
    Ok((StatusCode::CREATED, Json(stored)))
}

/// `GET /__emulator__/rate-limits`: every rule with its `id` and `refused` count.
async fn rate_limits(State(state): State<AppState>) -> Json<Value> {
    let rules = state.rate_limiter().rules().to_vec();
    Json(json!({ "rate_limits": rules }))
}

/// `DELETE /__emulator__/rate-limits/{id}`: as for fault rules, or 404 in the envelope.
async fn remove_rate_limit(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path(id) = path.map_err(|e| api_error!(BadControlRequest, "rate limit id: {e}"))?;
    match id.parse::<u64>() {
        Ok(number) if state.rate_limiter().remove(number) => {
            Ok(Json(json!({ "status": "removed", "id": number })))
        }
        _ => Err(api_error!(UnknownPath, "No rate limit with id {id}")),
    }
}

/// `DELETE /__emulator__/rate-limits`: removes every rule and its windows.
async fn clear_rate_limits(State(state): State<AppState>) -> Json<Value> {
    state.rate_limiter().clear();
    Json(json!({ "status": "cleared" }))
}
