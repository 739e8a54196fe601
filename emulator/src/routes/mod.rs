//! The router, built from the API table ([`crate::api`]): which handler answers each API,
//! and the layers around them. No logic.

mod admin;
mod auth;
mod dashboard;
mod ewaybill;
mod invoice;
mod journal;
mod master;
mod path;
mod ui;

use axum::{
    Router,
    extract::{FromRequestParts, Path, Request, rejection::PathRejection},
    http::Method,
    middleware::{Next, from_fn, from_fn_with_state},
    response::{IntoResponse, Response},
    routing::{MethodFilter, MethodRouter, on},
};
use tower_http::{catch_panic::CatchPanicLayer, trace::TraceLayer};

pub(crate) use self::path::canonical_path;
use crate::{
    api::Api,
    error::{ApiError, ErrorCode},
    journal::Capture,
    state::AppState,
    transcript::ErrorCause,
};

/// Path parameters, with malformed ones answered in the IRP envelope (2142).
#[derive(FromRequestParts)]
#[from_request(via(Path), rejection(ApiError))]
pub(crate) struct IrpPath<T>(pub(crate) T);

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::new(ErrorCode::IncompleteParameters).caused_by(rejection)
    }
}

/// The IRP API and the control namespace, with NIC's answers for unknown paths and methods.
pub(crate) fn router(state: AppState) -> Router {
    Api::served()
        .flat_map(|api| api.paths().iter().map(move |path| (api, *path)))
        .fold(Router::new(), |router, (api, path)| {
            // Layers run outside in: `matched` attaches the API, then the rate limits
            // refuse, then the faults apply, then the IRP's answer time passes.
            router.route(
                path,
                handler(api)
                    .route_layer(from_fn_with_state(state.clone(), crate::irp::answer_time))
                    .route_layer(from_fn_with_state(state.clone(), crate::faults::apply))
                    .route_layer(from_fn_with_state(state.clone(), crate::ratelimit::limit))
                    .route_layer(from_fn(move |r, n| matched(api, r, n))),
            )
        })
        .nest("/__emulator__", admin::router(state.clone()))
        .fallback(unknown_path)
        .method_not_allowed_fallback(wrong_method)
        .layer(CatchPanicLayer::custom(|_| panic_answer()))
        .layer(from_fn(log_cause))
        .layer(from_fn_with_state(state.clone(), crate::journal::record))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The handler of `api`, on the method the table gives it.
fn handler(api: Api) -> MethodRouter<AppState> {
    let method = MethodFilter::try_from(api.method()).unwrap_or(MethodFilter::GET);
    match api {
        Api::Auth => on(method, auth::authenticate),
        Api::GstinDetails | Api::SyncGstin => on(method, master::gstin_details),
        Api::GenerateIrn => on(method, invoice::generate),
        Api::GetIrn => on(method, invoice::by_irn),
        Api::GetIrnByDocument => on(method, invoice::by_document),
        Api::CancelIrn => on(method, invoice::cancel),
        Api::GenerateEwb => on(method, ewaybill::generate),
        Api::GetEwb => on(method, ewaybill::details),
        Api::CancelEwb => on(method, ewaybill::cancel),
        Api::RejectedIrns => on(method, invoice::rejected),
        Api::Unknown => on(method, unknown_path),
    }
}

/// Attaches the matched API to the request, once, for the extractors and the journal.
async fn matched(api: Api, mut request: Request, next: Next) -> Response {
    Capture::api(request.extensions(), api);
    request.extensions_mut().insert(api);
    next.run(request).await
}

/// Logs the internal cause a refusal carries (never sent to the client).
async fn log_cause(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    match response.extensions().get::<ErrorCause>() {
        Some(ErrorCause {
            code,
            cause,
            internal: true,
        }) => tracing::error!(code, %cause, "request failed"),
        Some(ErrorCause { code, cause, .. }) => tracing::info!(code, %cause, "request refused"),
        None => {}
    }
    response
}

async fn unknown_path(method: Method, request: Request) -> Response {
    crate::api_error!(
        UnknownPath,
        "The requested API path does not exist: {method} {}",
        request.uri().path()
    )
    .into_response()
}

async fn wrong_method(method: Method) -> Response {
    crate::api_error!(
        MethodNotAllowed,
        "The requested API does not support {method}"
    )
    .into_response()
}

/// HTTP 500 with the IRP's application error (5001): what a panic becomes.
pub(crate) fn panic_answer() -> Response {
    tracing::error!("handler panicked");
    let mut response = ApiError::new(ErrorCode::ApplicationError).into_response();
    *response.status_mut() = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
    response
}
