//! The auth request: client headers plus the RSA-encrypted credentials block.
//!
//! `Data` is base64 of an RSA-2048 PKCS#1 v1.5 block whose plaintext is the base64 text of
//! the credentials JSON `{UserName, Password, AppKey, ForceRefreshAccessToken}`.

use axum::{
    extract::{FromRequest, Request},
    http::HeaderMap,
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Map, Value};

use super::body::{BodyRole, field, read_json_object};
use crate::{
    crypto::aes_ecb_encrypt,
    error::{ApiError, ErrorCode},
    headers::IrpHeaders,
    journal::{Capture, mask_secrets},
    secret::{AppKey, Password, SessionKey},
    spelling::{Coercion, Spelling},
    state::AppState,
};

/// The credentials' canonical names: NIC reads them in any case (`username`, `APPKEY`).
static SPELLING: std::sync::LazyLock<Spelling> = std::sync::LazyLock::new(|| {
    Spelling::names(&["UserName", "Password", "AppKey", "ForceRefreshAccessToken"])
});

/// A decrypted, well-formed login request.
#[derive(Debug)]
pub struct LoginRequest {
    /// The `client_id` header (already checked against the registered clients).
    pub client_id: String,
    /// The `Gstin` header.
    pub gstin: String,
    /// `UserName`.
    pub user_name: String,
    /// `Password`.
    pub password: Password,
    /// `ForceRefreshAccessToken`.
    pub force_refresh: bool,
}

/// The auth extractor: a [`LoginRequest`] plus the AppKey to wrap the SEK with.
#[derive(Debug)]
pub struct Credentials {
    /// The request.
    pub request: LoginRequest,
    app_key: AppKey,
}

impl Credentials {
    /// `Sek` for the response: base64(AES-ECB-PKCS7(AppKey, SEK)).
    pub fn wrap_session_key(&self, sek: &SessionKey) -> Result<String, ApiError> {
        aes_ecb_encrypt(self.app_key.expose(), sek.expose())
            .map(|sealed| STANDARD.encode(sealed))
            .map_err(|e| ApiError::new(ErrorCode::AppKeyDecryptionFailed).caused_by(e))
    }
}

/// Checks `client_id`/`client_secret` presence and validity (1011, 1012, 1010).
pub(crate) fn check_client(state: &AppState, headers: &IrpHeaders) -> Result<String, ApiError> {
    let client_id = headers
        .client_id
        .as_deref()
        .ok_or(ErrorCode::ClientIdRequired)?;
    let secret = headers
        .client_secret
        .as_deref()
        .ok_or(ErrorCode::ClientSecretRequired)?;
    let known = state.settings.clients.iter().any(|c| {
        c.client_id == client_id
            && aws_lc_rs::constant_time::verify_slices_are_equal(
                c.client_secret.as_bytes(),
                secret.as_bytes(),
            )
            .is_ok()
    });
    if known {
        Ok(client_id.to_owned())
    } else {
        Err(ErrorCode::InvalidClient.into())
    }
}

fn malformed(cause: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::AuthenticationFailed).caused_by(cause)
}

fn text_field(map: &Map<String, Value>, name: &str) -> Result<Option<String>, ApiError> {
    match field(map, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(malformed(format_args!("{name} is not a string"))),
    }
}

fn force_refresh(map: &Map<String, Value>) -> Result<bool, ApiError> {
    match field(map, "ForceRefreshAccessToken") {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(malformed("ForceRefreshAccessToken is not a boolean")),
    }
}

fn app_key(map: &Map<String, Value>) -> Result<AppKey, ApiError> {
    let refuse = |why: &str| ApiError::new(ErrorCode::AppKeyDecryptionFailed).caused_by(why);
    let text = match field(map, "AppKey") {
        Some(Value::String(s)) => s,
        _ => return Err(refuse("AppKey missing or not a string")),
    };
    let bytes = STANDARD
        .decode(text.trim())
        .map_err(|_| refuse("AppKey is not base64"))?;
    AppKey::new(bytes).ok_or_else(|| refuse("AppKey is not 16, 24 or 32 bytes"))
}

/// Decrypts and parses the credentials block of `Data`.
fn open_credentials(state: &AppState, data: &str) -> Result<Map<String, Value>, ApiError> {
    let block = STANDARD
        .decode(data.trim())
        .map_err(|_| malformed("Data is not base64"))?;
    let plain = state
        .keys
        .credential
        .decrypt(&block)
        .map_err(|e| ApiError::new(ErrorCode::PasswordDecryptionFailed).caused_by(e))?;
    let json = STANDARD
        .decode(plain.trim_ascii())
        .map_err(|_| malformed("decrypted credentials are not base64"))?;
    match serde_json::from_slice(&json) {
        Ok(mut value @ Value::Object(_)) => {
            let collisions = SPELLING.normalise(&mut value, Coercion::Exact);
            if let Some(collision) = collisions.first() {
                return Err(malformed(collision.message()));
            }
            match value {
                Value::Object(map) => Ok(map),
                _ => Err(malformed("credentials are not a JSON object")),
            }
        }
        Ok(_) => Err(malformed("credentials are not a JSON object")),
        Err(e) => Err(malformed(e)),
    }
}

impl FromRequest<AppState> for Credentials {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let headers = IrpHeaders::from_map(&parts.headers);
        let client_id = check_client(state, &headers)?;
        let gstin = headers
            .gstin
            .clone()
            .ok_or(ErrorCode::HeaderGstinRequired)?;
        let outer = read_body(&parts.headers, body, state).await?;
        let data = match field(&outer, "Data") {
            Some(Value::String(s)) if !s.trim().is_empty() => s,
            _ => return Err(malformed("Data missing or not a string")),
        };
        let credentials = open_credentials(state, data)?;
        Capture::request(&parts.extensions, || {
            let mut masked = Value::Object(credentials.clone());
            mask_secrets(&mut masked);
            masked
        });
        let user_name = text_field(&credentials, "UserName")?.ok_or(ErrorCode::UserNameRequired)?;
        let password =
            text_field(&credentials, "Password")?.ok_or_else(|| malformed("Password missing"))?;
        let force_refresh = force_refresh(&credentials)?;
        let app_key = app_key(&credentials)?;
        Ok(Self {
            request: LoginRequest {
                client_id,
                gstin,
                user_name,
                password: Password::new(password),
                force_refresh,
            },
            app_key,
        })
    }
}

async fn read_body(
    headers: &HeaderMap,
    body: axum::body::Body,
    state: &AppState,
) -> Result<Map<String, Value>, ApiError> {
    read_json_object(headers, body, state.settings.body_limit, BodyRole::Auth).await
}
