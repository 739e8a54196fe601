//! The e-way bill system's envelope, used by the one e-way-bill-system API the IRP sandbox
//! hosts (cancel e-way bill, `POST /ewaybillapi/v1.03/ewayapi`): `{"action","data"}` in,
//! lower-case keys and `status` as a string out.
//!
//! [`EwbSystemRequest`] does for this envelope what [`Encrypted`](super::Encrypted) does for
//! the IRP's: token check, body, action, decryption and parsing, each failure answered with
//! the e-way bill system's own code; [`EwbSystemSealed`] seals the answer. Errors are
//! [`EwbSystemError`]s, rendered in `error::ewb_system`.

use axum::{
    Json,
    extract::{FromRequest, FromRequestParts, Request},
    http::request::Parts,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use serde_json::{Value, json};

use super::{Authenticated, BodyRole, field, open_data, read_json_object};
use crate::{
    error::{EwbSystemCode, EwbSystemError},
    journal::{Capture, JournalBody},
    spelling::Spelled,
    state::AppState,
};

/// A decrypted e-way bill system payload: its type names the `action` it answers.
pub trait EwbSystemAction: Spelled {
    /// The `action` value (compared trimmed and in any case).
    const ACTION: &'static str;
}

/// A decrypted e-way bill system request and the caller who sent it.
#[derive(Debug)]
pub struct EwbSystemRequest<T> {
    /// The caller.
    pub auth: Authenticated,
    /// The payload.
    pub payload: T,
}

impl<T: EwbSystemAction> FromRequest<AppState> for EwbSystemRequest<T> {
    type Rejection = EwbSystemError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, EwbSystemError> {
        let (mut parts, body): (Parts, _) = request.into_parts();
        let auth = Authenticated::from_request_parts(&mut parts, state)
            .await
            .map_err(|e| refused(EwbSystemCode::InvalidToken, e))?;
        let object = read_json_object(
            &parts.headers,
            body,
            state.settings.body_limit,
            BodyRole::Payload,
        )
        .await
        .map_err(|e| refused(EwbSystemCode::InvalidJson, e))?;
        let action = field(&object, "action")
            .and_then(Value::as_str)
            .map(str::trim);
        if action.is_none_or(|a| !a.eq_ignore_ascii_case(T::ACTION)) {
            return Err(EwbSystemCode::InvalidJson.into());
        }
        let plain = open_data(&auth, field(&object, "data"))
            .map_err(|e| refused(EwbSystemCode::DecryptionFailed, e))?;
        let payload = Capture::read_payload(&parts.extensions, &plain)
            .map_err(|e| refused(EwbSystemCode::InvalidJson, e))?;
        Ok(Self { auth, payload })
    }
}

/// An error with `code`, its cause kept for the log.
fn refused(code: EwbSystemCode, cause: impl std::fmt::Debug) -> EwbSystemError {
    EwbSystemError::new(code).caused_by(format_args!("{cause:?}"))
}

/// `{"status":"1","data":"<AES(SEK) base64>"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct EwbSystemSealed {
    data: String,
    plain: Value,
}

impl EwbSystemSealed {
    /// Serialises `answer` and encrypts it under the caller's session key.
    pub fn seal<T: Serialize>(auth: &Authenticated, answer: &T) -> Result<Self, EwbSystemError> {
        let plain =
            serde_json::to_value(answer).map_err(|e| refused(EwbSystemCode::Internal, e))?;
        let data = auth
            .encrypt_json(&plain)
            .map_err(|e| refused(EwbSystemCode::Internal, e))?;
        Ok(Self { data, plain })
    }
}

impl IntoResponse for EwbSystemSealed {
    fn into_response(self) -> Response {
        let mut response = Json(json!({ "status": "1", "data": self.data })).into_response();
        response
            .extensions_mut()
            .insert(JournalBody(json!({ "status": "1", "data": self.plain })));
        response
    }
}
