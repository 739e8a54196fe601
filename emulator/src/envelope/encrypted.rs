//! `Encrypted<T>`: a POST body `{"Data": base64(AES-256-ECB(SEK, JSON))}` from an
//! authenticated caller, decrypted and parsed before the handler runs.
//!
//! The IRP answers every way this can fail with its own codes: no `Data` → 2255, anything
//! that does not decrypt or parse → 2140. Handlers therefore receive either a typed
//! payload or nothing at all.

use axum::{
    extract::{FromRequest, FromRequestParts, Request},
    http::{Extensions, request::Parts},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::Value;

use super::{Authenticated, BodyRole, field, read_json_object};
use crate::{
    crypto::aes_ecb_decrypt,
    error::{ApiError, ErrorCode},
    journal::Capture,
    spelling::{ReadError, Spelled},
    state::AppState,
};

/// A decrypted request payload and the caller who sent it.
#[derive(Debug)]
pub struct Encrypted<T> {
    /// The caller.
    pub auth: Authenticated,
    /// The payload.
    pub payload: T,
}

/// Decrypts a base64 `Data` value under the caller's session key.
pub(crate) fn open_data(auth: &Authenticated, data: Option<&Value>) -> Result<Vec<u8>, ApiError> {
    let text = match data {
        None | Some(Value::Null) => return Err(ApiError::new(ErrorCode::PayloadEmpty)),
        Some(Value::String(s)) if s.trim().is_empty() => {
            return Err(ApiError::new(ErrorCode::PayloadEmpty));
        }
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(ApiError::new(ErrorCode::InvalidInvoice).caused_by("Data is not a string"));
        }
    };
    let sealed = STANDARD
        .decode(text.trim())
        .map_err(|e| ApiError::new(ErrorCode::InvalidInvoice).caused_by(e))?;
    aes_ecb_decrypt(auth.session_key().expose(), &sealed)
        .map_err(|e| ApiError::new(ErrorCode::InvalidInvoice).caused_by(e))
}

/// Parses decrypted JSON in canonical spelling, naming the parse error (or each pair of
/// colliding keys) in the 2140 answer.
pub(crate) fn parse_payload<T: Spelled>(
    extensions: &Extensions,
    plain: &[u8],
) -> Result<T, ApiError> {
    Capture::read_payload(extensions, plain).map_err(|e| match e {
        ReadError::Json(_) => ApiError::with_message(ErrorCode::InvalidInvoice, e.to_string()),
        ReadError::Collisions(collisions) => {
            let mut messages = collisions.iter().map(|c| c.message());
            let first = messages.next().unwrap_or_default();
            messages.fold(
                ApiError::with_message(ErrorCode::InvalidInvoice, first),
                |error, message| error.and(ErrorCode::InvalidInvoice, message),
            )
        }
    })
}

impl<T: Spelled> FromRequest<AppState> for Encrypted<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let (mut parts, body): (Parts, _) = request.into_parts();
        let auth = Authenticated::from_request_parts(&mut parts, state).await?;
        let object = read_json_object(
            &parts.headers,
            body,
            state.settings.body_limit,
            BodyRole::Payload,
        )
        .await?;
        let plain = open_data(&auth, field(&object, "Data"))?;
        let payload = parse_payload(&parts.extensions, &plain)?;
        Ok(Self { auth, payload })
    }
}
