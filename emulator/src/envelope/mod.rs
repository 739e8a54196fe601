//! Where cryptography meets HTTP: the IRP envelope in both directions.
//!
//! Handlers never see ciphertext. [`Credentials`] turns the RSA-encrypted auth body into a
//! typed login request; [`Encrypted`] decrypts an AES payload under the session key;
//! [`Authenticated`] checks the token headers and holds the session
//! key; [`Sealed`] is a success answer whose `Data` is AES-encrypted under that key, and
//! [`Plain`] one whose `Data` is a plain object (auth only). [`EwbSystemRequest`] and
//! [`EwbSystemSealed`] are the same two ends in the e-way bill system's envelope.

mod authenticated;
mod body;
mod control;
mod credentials;
mod encrypted;
mod ewb_system;

use axum::{
    Json,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use serde_json::{Value, json};

pub use self::authenticated::Authenticated;
pub(crate) use self::body::field;
pub use self::body::{BodyRole, read_json_object};
pub use self::control::{CONTROL_BODY_LIMIT, ControlBody};
pub use self::credentials::{Credentials, LoginRequest};
pub use self::encrypted::Encrypted;
pub(crate) use self::encrypted::open_data;
pub use self::ewb_system::{EwbSystemAction, EwbSystemRequest, EwbSystemSealed};
use crate::transcript::JournalBody;

/// The success envelope: `{"Status":1,"Data":…,"ErrorDetails":null,"InfoDtls":…}`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SuccessEnvelope<D> {
    status: u8,
    data: D,
    error_details: Option<()>,
    info_dtls: Option<Value>,
}

/// The success answer, with its plaintext (`plain` as `Data`) attached for the journal.
fn success<D: Serialize>(data: D, plain: Value, info: Option<Value>) -> Response {
    let journal = JournalBody(json!({
        "Status": 1, "Data": plain, "ErrorDetails": null, "InfoDtls": &info,
    }));
    let mut response = Json(SuccessEnvelope {
        status: 1,
        data,
        error_details: None,
        info_dtls: info,
    })
    .into_response();
    response.extensions_mut().insert(journal);
    response
}

/// A success whose `Data` is sent as a plain JSON object (the auth API).
pub struct Plain<T>(pub T);

impl<T: Serialize> IntoResponse for Plain<T> {
    fn into_response(self) -> Response {
        let plain = serde_json::to_value(&self.0).unwrap_or_default();
        success(self.0, plain, None)
    }
}

/// A success whose `Data` is base64(AES-ECB(SEK, JSON)); built by [`Authenticated::seal`].
pub struct Sealed {
    data: String,
    plain: Value,
    info: Option<Value>,
}

impl Sealed {
    /// Adds an `InfoDtls` array to the answer (none when `info` is `None`).
    pub fn with_info(mut self, info: impl Into<Option<Value>>) -> Self {
        self.info = info.into();
        self
    }
}

impl IntoResponse for Sealed {
    fn into_response(self) -> Response {
        success(self.data, self.plain, self.info)
    }
}
