//! The body of a control-namespace request: bounded, and refused in the control
//! namespace's own JSON shape (never axum's plain-text 413).

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
};

use super::body::{BodyError, read_bytes};
use crate::{api_error, error::ApiError};

/// The most a control request may carry: a taxpayer record is a few KiB.
pub const CONTROL_BODY_LIMIT: usize = 1024 * 1024;

/// The raw body of a control request, at most [`CONTROL_BODY_LIMIT`] bytes.
#[derive(Debug)]
pub struct ControlBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for ControlBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, _: &S) -> Result<Self, ApiError> {
        let (parts, body) = request.into_parts();
        read_bytes(&parts.headers, body, CONTROL_BODY_LIMIT)
            .await
            .map(Self)
            .map_err(|e| match e {
                BodyError::TooLarge => api_error!(
                    BodyTooLarge,
                    "A control request carries at most {CONTROL_BODY_LIMIT} bytes"
                ),
                BodyError::TimedOut => ApiError::new(crate::error::ErrorCode::RequestTimeout),
                BodyError::Broken(e) => api_error!(BadControlRequest, "{e}"),
            })
    }
}
