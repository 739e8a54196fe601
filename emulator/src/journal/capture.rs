//! How a handler's plaintext reaches the journal without the handler knowing: the journal
//! layer puts a [`Capture`] slot in the request, the router records the API it matched (and the fault middleware the rule that fired), the
//! extractors that decrypt fill it with the request as understood, and every responder attaches its plaintext answer to the
//! response as a [`JournalBody`] extension (never sent on the wire).

use std::sync::{Arc, Mutex, PoisonError};

use axum::http::Extensions;
use serde_json::Value;

use crate::{
    api::Api,
    spelling::{ReadError, Spelled},
};

/// What a request carried once decrypted, and which API the router matched; shared between
/// the layer, the router and the extractors.
#[derive(Debug, Clone, Default)]
pub struct Capture(Arc<Mutex<Slot>>);

#[derive(Debug, Default)]
struct Slot {
    request: Option<Value>,
    api: Option<Api>,
    fault: Option<String>,
}

/// How much of a payload that is not JSON is kept.
const TEXT_LIMIT: usize = 64 * 1024;

/// The placeholder for a masked secret.
pub const MASK: &str = "***";

impl Capture {
    /// Records the decrypted request of the call in `extensions`, if it is journaled.
    pub fn request(extensions: &Extensions, value: impl FnOnce() -> Value) {
        if let Some(capture) = extensions.get::<Self>() {
            capture.slot().request = Some(value());
        }
    }

    /// Records the API the router matched (set once, before any extractor runs).
    pub fn api(extensions: &Extensions, api: Api) {
        if let Some(capture) = extensions.get::<Self>() {
            capture.slot().api = Some(api);
        }
    }

    /// Records the fault rule that fired for the call (`<id>:<name>:<type>:<phase>`).
    pub fn fault(extensions: &Extensions, label: String) {
        if let Some(capture) = extensions.get::<Self>() {
            capture.slot().fault = Some(label);
        }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a decrypted payload and reads it as `T`: parsed once, the journal keeping a
    /// copy of the JSON, or when it does not parse, its first 64 KiB as text.
    pub fn read_payload<T: Spelled>(extensions: &Extensions, plain: &[u8]) -> Result<T, ReadError> {
        match serde_json::from_slice::<Value>(plain) {
            Ok(value) => {
                Self::request(extensions, || value.clone());
                T::from_json(value)
            }
            Err(e) => {
                Self::request(extensions, || {
                    let head = plain.get(..plain.len().min(TEXT_LIMIT)).unwrap_or_default();
                    Value::String(String::from_utf8_lossy(head).into_owned())
                });
                Err(ReadError::Json(e))
            }
        }
    }

    /// The request recorded, the API matched ([`Api::Unknown`] when none was) and the fault
    /// that fired, if any.
    pub(super) fn take(&self) -> (Value, Api, Option<String>) {
        let mut slot = self.slot();
        (
            slot.request.take().unwrap_or(Value::Null),
            slot.api.unwrap_or(Api::Unknown),
            slot.fault.take(),
        )
    }
}

/// A masked token that still tells tokens apart: `***` and the first 12 hex digits of its
/// SHA-256, so a reader of the journal (and the harness's journal mode) sees whether a login
/// was answered with the same token or a new one, without the token.
pub fn token_fingerprint(token: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes());
    let hex = crate::crypto::hex_lower(digest.as_ref());
    format!("{MASK}{}", hex.get(..12).unwrap_or_default())
}

/// Masks the auth answer's `Sek` and `AuthToken` (the token as a [`token_fingerprint`]),
/// and any stray secret field, in place.
pub fn mask_secrets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                let secret = ["sek", "password", "appkey", "client_secret"]
                    .iter()
                    .any(|s| key.eq_ignore_ascii_case(s));
                if key.eq_ignore_ascii_case("authtoken")
                    && let Value::String(token) = field
                {
                    *field = Value::String(token_fingerprint(token));
                } else if secret && !field.is_null() {
                    *field = Value::String(MASK.into());
                } else {
                    mask_secrets(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_secrets),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_masked_at_any_depth() {
        let mut v = json!({"Status": 1, "Data": {"AuthToken": "t", "Sek": "s3cr3t"},
            "list": [{"Password": "p"}, {"APPKEY": "k", "other": null}]});
        mask_secrets(&mut v);
        assert_eq!(
            v,
            json!({"Status": 1, "Data": {"AuthToken": token_fingerprint("t"), "Sek": "***"},
                "list": [{"Password": "***"}, {"APPKEY": "***", "other": null}]})
        );
        assert_eq!(token_fingerprint("t").len(), 15);
        assert_ne!(token_fingerprint("t"), token_fingerprint("u"));
    }
}
