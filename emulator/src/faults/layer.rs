//! The one middleware that applies the plan, on the IRP API routes after the router
//! attached the matched [`Api`]: decide (under the plan's lock, released at once), then
//! act before the handler, or run the handler and act on its answer.
//!
//! A fault that answers in the handler's place (an outage's 503, a reset) still has the
//! request decrypted for the journal when the caller's token and body allow it: without it
//! a retry auditor cannot tell which document a failed call carried, which is the question
//! after an outage ("which invoices did the client drop, which did it send twice?").

use std::time::Duration;

use super::{Action, Call, Decision, FAULT_HEADER, Phase, answer, parse_header};
use crate::{
    api::Api,
    envelope::{Authenticated, BodyRole, field, open_data, read_json_object},
    headers::IrpHeaders,
    journal::Capture,
    server::Abort,
    state::AppState,
};
use axum::{
    extract::{FromRequestParts, Request, State},
    http::Method,
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Applies the rule that fires for this request, if any; the journal records it.
pub async fn apply(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let header = state
        .settings
        .faults
        .allow_header
        .then(|| request.headers().get(FAULT_HEADER))
        .flatten()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    // The common case, no rule at all, costs one lock and no header parsing.
    if header.is_none() && state.fault_plan().rules().is_empty() {
        return next.run(request).await;
    }
    let decision = match header {
        Some(text) => match parse_header(&text) {
            Ok(rule) => Some(state.fault_plan().decide_once(&rule)),
            Err(error) => return bad_header(&error.to_string()),
        },
        None => decide(&state, &request),
    };
    let Some(decision) = decision else {
        return next.run(request).await;
    };
    Capture::fault(request.extensions(), decision.label.clone());
    let target = Target {
        abort: request.extensions().get::<Abort>().cloned(),
        token: IrpHeaders::from_map(request.headers()).auth_token,
    };
    match decision.phase {
        Phase::Before => before(&state, decision, target, request, next).await,
        Phase::AfterCommit => {
            let answer = next.run(request).await;
            after(&state, decision, target, answer).await
        }
    }
}

fn decide(state: &AppState, request: &Request) -> Option<Decision> {
    let api = Api::attached(request.extensions());
    let headers = IrpHeaders::from_map(request.headers());
    let call = Call {
        api,
        gstin: headers.gstin.as_deref(),
        client_id: headers.client_id.as_deref(),
        now: state.clock.now(),
        irp: state.settings.irp.name.as_str(),
    };
    state.fault_plan().decide(&call)
}

/// What a fault may act on besides the answer: the connection and the caller's token.
struct Target {
    abort: Option<Abort>,
    token: Option<String>,
}

impl Target {
    /// Ends the connection without an answer (FIN, or RST when `reset`).
    fn end(&self, reset: bool) -> Response {
        if let Some(abort) = &self.abort {
            if reset {
                abort.reset();
            } else {
                abort.close();
            }
        }
        answer::no_answer()
    }

    async fn revoke(&self, state: &AppState) {
        if let Some(token) = &self.token
            && let Err(error) = state.sessions.revoke(token).await
        {
            tracing::warn!(%error, "revoking a token for a fault rule failed");
        }
    }
}

async fn before(
    state: &AppState,
    decision: Decision,
    target: Target,
    request: Request,
    next: Next,
) -> Response {
    match decision.action {
        Action::Latency { ms, .. } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(request).await
        }
        Action::RevokeToken {} => {
            target.revoke(state).await;
            next.run(request).await
        }
        action => {
            journal_request(state, request).await;
            replacement(action, &target, None).await
        }
    }
}

/// Decrypts an authenticated POST's payload for the journal only (see the module doc);
/// whatever fails to read is left out, as the handler would have refused it anyway.
async fn journal_request(state: &AppState, request: Request) {
    if request.method() != Method::POST {
        return;
    }
    let (mut parts, body) = request.into_parts();
    let Ok(auth) = Authenticated::from_request_parts(&mut parts, state).await else {
        return;
    };
    let limit = state.settings.body_limit;
    let Ok(object) = read_json_object(&parts.headers, body, limit, BodyRole::Payload).await else {
        return;
    };
    let Ok(plain) = open_data(&auth, field(&object, "Data")) else {
        return;
    };
    if let Ok(payload) = serde_json::from_slice::<serde_json::Value>(&plain) {
        Capture::request(&parts.extensions, || payload);
    }
}

async fn after(state: &AppState, decision: Decision, target: Target, answer: Response) -> Response {
    match decision.action {
        Action::Latency { ms, .. } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            answer
        }
        Action::RevokeToken {} => {
            target.revoke(state).await;
            answer
        }
        Action::Truncate { bytes } => answer::truncated(answer, bytes).await,
        Action::SlowBody { seconds } => answer::dripped(answer, seconds).await,
        action => replacement(action, &target, Some(answer)).await,
    }
}

/// The answer of an action that replaces the handler's (`answer` when it already ran).
async fn replacement(action: Action, target: &Target, answer: Option<Response>) -> Response {
    match action {
        Action::HttpStatus {
            status,
            body,
            retry_after,
        } => answer::gateway(status, body.as_deref(), retry_after),
        Action::IrpError { code, message } => answer::irp_error(&code, message.as_deref()),
        Action::RateLimited { retry_after, .. } => answer::rate_limited(retry_after.unwrap_or(1)),
        Action::Empty {} => answer::empty(),
        Action::MalformedJson {} => answer::malformed(answer).await,
        Action::Close {} => target.end(false),
        Action::Reset {} => target.end(true),
        Action::Hang { seconds } => {
            tokio::time::sleep(Duration::from_secs(seconds)).await;
            target.end(false)
        }
        // Handled by the phases; a shaping action before the handler is refused on input.
        Action::Latency { .. }
        | Action::RevokeToken {}
        | Action::Truncate { .. }
        | Action::SlowBody { .. } => answer.unwrap_or_else(answer::no_answer),
    }
}

/// HTTP 400 in the IRP envelope (code `400`) naming what is wrong with an
/// `X-Emulator-Fault` header.
fn bad_header(reason: &str) -> Response {
    crate::api_error!(BadControlRequest, "X-Emulator-Fault: {reason}").into_response()
}
