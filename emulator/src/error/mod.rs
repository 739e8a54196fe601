//! The one error type of the HTTP boundary and the one place that renders it.
//!
//! Every failure a client can see becomes an [`ApiError`]: one or more IRP error codes, an
//! optional `InfoDtls` block, and an internal cause that is logged (by the router's
//! middleware, from an [`ErrorCause`] response extension) but never sent. The one e-way
//! bill system API the sandbox hosts has its own codes and envelope: [`EwbSystemError`].

mod code;
mod ewb_system;

use std::fmt;

use axum::{
    Json,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use serde_json::Value;

pub use self::code::{ErrorCode, catalogue};
pub use self::ewb_system::{EwbSystemCode, EwbSystemError};
use crate::transcript::{ErrorCause, JournalBody};

/// One `{ErrorCode, ErrorMessage}` entry of `ErrorDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorDetail {
    /// The code, as a string.
    pub error_code: String,
    /// The message.
    pub error_message: String,
}

/// An IRP error answer; boxed so `Result<T, ApiError>` stays one pointer wide.
pub struct ApiError(Box<Inner>);

struct Inner {
    code: ErrorCode,
    details: Vec<ErrorDetail>,
    info: Option<Value>,
    cause: Option<String>,
}

impl ApiError {
    /// An error with the catalogue message of `code`.
    pub fn new(code: ErrorCode) -> Self {
        Self::with_message(code, code.message())
    }

    /// An error with a specific message (NIC embeds values such as the GSTIN in some).
    pub fn with_message(code: ErrorCode, message: impl Into<String>) -> Self {
        Self(Box::new(Inner {
            code,
            details: vec![ErrorDetail {
                error_code: code.code().to_owned(),
                error_message: message.into(),
            }],
            info: None,
            cause: None,
        }))
    }

    /// Adds another error to the same answer (NIC reports several of one stage together).
    pub fn and(mut self, code: ErrorCode, message: impl Into<String>) -> Self {
        self.0.details.push(ErrorDetail {
            error_code: code.code().to_owned(),
            error_message: message.into(),
        });
        self
    }

    /// Attaches an `InfoDtls` array.
    pub fn with_info(mut self, info: Value) -> Self {
        self.0.info = Some(info);
        self
    }

    /// Records the internal cause for the log (never sent to the client).
    pub fn caused_by(mut self, cause: impl fmt::Display) -> Self {
        self.0.cause = Some(cause.to_string());
        self
    }

    /// The first (primary) code.
    pub fn code(&self) -> ErrorCode {
        self.0.code
    }

    /// All error entries.
    pub fn details(&self) -> &[ErrorDetail] {
        &self.0.details
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("details", &self.0.details)
            .field("cause", &self.0.cause)
            .finish()
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        Self::new(code)
    }
}

/// A state failure is the IRP's own "application error" (9999); the cause goes to the log.
impl From<crate::store::StoreError> for ApiError {
    fn from(error: crate::store::StoreError) -> Self {
        Self::new(ErrorCode::ApplicationError).caused_by(error)
    }
}

/// Builds an [`ApiError`]: `api_error!(InvalidToken)` or `api_error!(InvalidGstin, "GSTIN - {} is invalid", g)`.
#[macro_export]
macro_rules! api_error {
    ($code:ident) => {
        $crate::error::ApiError::new($crate::error::ErrorCode::$code)
    };
    ($code:ident, $($fmt:tt)+) => {
        $crate::error::ApiError::with_message($crate::error::ErrorCode::$code, format!($($fmt)+))
    };
}

/// The IRP's error envelope.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorEnvelope<'a> {
    status: u8,
    data: Option<()>,
    error_details: &'a [ErrorDetail],
    info_dtls: &'a Option<Value>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let inner = &*self.0;
        let body = ErrorEnvelope {
            status: 0,
            data: None,
            error_details: &inner.details,
            info_dtls: &inner.info,
        };
        let journal = serde_json::to_value(&body).unwrap_or_default();
        let mut response = (inner.code.http_status(), Json(body)).into_response();
        response.extensions_mut().insert(JournalBody(journal));
        if let Some(cause) = &inner.cause {
            response.extensions_mut().insert(ErrorCause {
                code: inner.code.code(),
                cause: cause.clone(),
                internal: inner.code == ErrorCode::ApplicationError,
            });
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_cause_rides_on_an_extension_and_never_reaches_the_body() {
        let response = ApiError::new(ErrorCode::ApplicationError)
            .caused_by("disk full at /secret/path")
            .into_response();
        let cause = response.extensions().get::<ErrorCause>().cloned().unwrap();
        assert_eq!(
            (cause.code, cause.cause.as_str()),
            (
                ErrorCode::ApplicationError.code(),
                "disk full at /secret/path"
            )
        );
        assert!(response.extensions().get::<JournalBody>().is_some());
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        assert!(!String::from_utf8_lossy(&body).contains("disk full"));

        let plain = ApiError::new(ErrorCode::InvalidToken).into_response();
        assert!(plain.extensions().get::<ErrorCause>().is_none());
    }
}
