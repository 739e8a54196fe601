//! The one middleware that enforces the limits, on the IRP API routes after the router
//! attached the matched [`Api`] and before the fault plan (a refused request never reaches
//! a fault rule, as a real gateway's throttle sits in front of the application).

use axum::{
    Json,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde_json::json;
use tokio::time::Instant;

use super::Refusal;
use crate::{
    api::Api, headers::IrpHeaders, journal::Capture, state::AppState, transcript::JournalBody,
};

/// Admits the request, or answers 429 in its place; the journal names the rule that
/// refused it in `fault` (`rate_limit:<id>:<name>`).
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // The common case, no rule at all, costs one lock and no header parsing.
    if state.rate_limiter().is_empty() {
        return next.run(request).await;
    }
    let api = Api::attached(request.extensions());
    let headers = IrpHeaders::from_map(request.headers());
    let now = Instant::now();
    let refusal = state.rate_limiter().check(
        api,
        headers.client_id.as_deref(),
        headers.gstin.as_deref(),
        now,
    );
    let Some(refusal) = refusal else {
        return next.run(request).await;
    };
    Capture::fault(request.extensions(), refusal.label());
    too_many_requests(&refusal)
}

/// HTTP 429, `Retry-After: <seconds>` and
/// `{"status":429,"error":"Too Many Requests","retry_after":N,"limit":"<per>:<window>"}`.
fn too_many_requests(refusal: &Refusal) -> Response {
    let body = json!({
        "status": 429,
        "error": "Too Many Requests",
        "retry_after": refusal.retry_after,
        "limit": refusal.limit(),
    });
    let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body.clone())).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(refusal.retry_after));
    response.extensions_mut().insert(JournalBody(body));
    response
}
