//! The one middleware that applies the plan, on the IRP API routes after the router
//! attached the matched [`Api`].

use std::time::Duration;

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};

use super::{Action, Call, answer::answer};
use crate::{api::Api, headers::IrpHeaders, journal::Capture, state::AppState};

/// Decides under the plan's lock, then (lock released) waits or answers; the journal
/// records the rule that fired.
pub async fn apply(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // The common case, no rule at all, costs one lock and no header parsing.
    if state.fault_plan().rules().is_empty() {
        return next.run(request).await;
    }
    let api = request
        .extensions()
        .get::<Api>()
        .copied()
        .unwrap_or(Api::Unknown);
    let headers = IrpHeaders::from_map(request.headers());
    let call = Call {
        api,
        gstin: headers.gstin.as_deref(),
        client_id: headers.client_id.as_deref(),
        now: state.clock.now(),
    };
    let Some(decision) = state.fault_plan().decide(&call) else {
        return next.run(request).await;
    };
    Capture::fault(request.extensions(), decision.label);
    if let Action::Latency { ms, .. } = decision.action {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    match answer(&decision.action) {
        Some(response) => response,
        None => next.run(request).await,
    }
}
