//! The router: which path reaches which handler, and the layers around them. No logic.

mod admin;
mod auth;
mod ewaybill;
mod invoice;
mod journal;
mod master;
mod path;

use axum::{
    Router,
    extract::{FromRequestParts, Path, Request, rejection::PathRejection},
    http::Method,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use tower_http::{catch_panic::CatchPanicLayer, trace::TraceLayer};

pub use self::path::canonical_path;
use crate::{
    error::{ApiError, ErrorCode},
    state::AppState,
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
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/eivital/v1.04/auth", post(auth::authenticate))
        .route("/eivital/v1.03/auth", post(auth::authenticate))
        .route(
            "/eivital/v1.03/Master/gstin/{gstin}",
            get(master::gstin_details),
        )
        .route(
            "/eivital/v1.04/Master/gstin/{gstin}",
            get(master::gstin_details),
        )
        .route(
            "/eivital/v1.03/Master/syncgstin/{gstin}",
            get(master::gstin_details),
        )
        .route(
            "/eivital/v1.04/Master/syncgstin/{gstin}",
            get(master::gstin_details),
        )
        .route("/eicore/v1.03/Invoice", post(invoice::generate))
        .route("/eicore/v1.03/Invoice/irn/{irn}", get(invoice::by_irn))
        .route(
            "/eicore/v1.03/Invoice/irnbydocdetails",
            get(invoice::by_document),
        )
        .route("/eicore/v1.03/Invoice/Cancel", post(invoice::cancel))
        .route("/eiewb/v1.03/ewaybill", post(ewaybill::generate))
        .route("/eiewb/v1.03/ewaybill/irn/{irn}", get(ewaybill::details))
        .route("/ewaybillapi/v1.03/ewayapi", post(ewaybill::cancel))
        .nest("/__emulator__", admin::router(state.clone()))
        .fallback(unknown_path)
        .method_not_allowed_fallback(wrong_method)
        .layer(CatchPanicLayer::custom(|_| panic_answer()))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::journal::record,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
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

fn panic_answer() -> Response {
    tracing::error!("handler panicked");
    let mut response = ApiError::new(ErrorCode::ApplicationError).into_response();
    *response.status_mut() = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
    response
}
