//! The harness's own IRP client: a second, independent implementation of the wire protocol.
//!
//! It encrypts credentials, unwraps the session key, seals and opens payloads and verifies
//! signed documents with RustCrypto and jsonwebtoken, never with the emulator's code, so a
//! bug on one side cannot hide on both. Every answer is normalised into one *answer
//! document* `{"Status", "Data" (decrypted), "ErrorDetails", "InfoDtls"}`, including the
//! e-way bill system's lower-case envelope, so expectations read the same for every API.

pub mod cipher;
mod endpoint;
pub mod jws;
mod target;

use std::time::{Duration, Instant};

use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};

pub use self::endpoint::{Endpoint, Params};
pub use self::target::{IST, Target, TargetError};
use crate::{profile::Party, scenario::AuthVariant};

/// Why a call could not be made or its answer not read.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Connection refused, timeout, TLS failure.
    #[error("{0}")]
    Transport(#[from] reqwest::Error),
    /// The answer is not JSON.
    #[error("HTTP {status}: answer is not JSON: {snippet}")]
    NotJson {
        /// HTTP status.
        status: u16,
        /// The start of the body.
        snippet: String,
    },
    /// `Data` or the SEK could not be decrypted.
    #[error("decrypting the answer: {0}")]
    Cipher(#[from] cipher::CipherError),
    /// The request could not be built.
    #[error("{0}")]
    Request(String),
}

/// A logged-in session as a client keeps it.
#[derive(Debug, Clone)]
pub struct Session {
    /// `Gstin` header.
    pub gstin: String,
    /// `user_name` header.
    pub user: String,
    /// `AuthToken`.
    pub token: String,
    /// The session key, unwrapped with the AppKey.
    pub sek: Vec<u8>,
    /// `TokenExpiry` as sent.
    pub expiry: String,
}

/// An answer: as received, and normalised with `Data` decrypted.
#[derive(Debug, Clone)]
pub struct Answer {
    /// `METHOD path`.
    pub call: String,
    /// HTTP status.
    pub http_status: u16,
    /// The request body before encryption (credentials with secrets masked).
    pub request: Value,
    /// `{"Status", "Data", "ErrorDetails", "InfoDtls"}` with `Data` decrypted.
    pub doc: Value,
    /// Time to answer.
    pub elapsed: Duration,
}

impl Answer {
    /// `Status` (1 or 0), if any.
    pub fn status(&self) -> Option<u64> {
        at(&self.doc, "/Status").as_u64()
    }

    /// Every `ErrorDetails[].ErrorCode`.
    pub fn error_codes(&self) -> Vec<String> {
        codes(at(&self.doc, "/ErrorDetails"), "ErrorCode")
    }

    /// Every `InfoDtls[].InfCd`.
    pub fn info_codes(&self) -> Vec<String> {
        codes(at(&self.doc, "/InfoDtls"), "InfCd")
    }
}

/// Null, for members that are absent.
static NULL: Value = Value::Null;

/// The value at JSON pointer `pointer` (`/Data/Irn`), or null when there is none.
pub fn at<'a>(value: &'a Value, pointer: &str) -> &'a Value {
    value.pointer(pointer).unwrap_or(&NULL)
}

fn codes(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| match entry.get(key).unwrap_or(&NULL) {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

/// A header change: set to a value, or remove with `None`.
pub type HeaderOverrides<'a> = &'a [(String, Option<String>)];

/// The client for one target.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    target: Target,
}

/// The password shown in place of the real one wherever a request is recorded.
const MASK: &str = "********";

impl Client {
    /// A client of `target`, abandoning calls after `timeout`.
    pub fn new(target: Target, timeout: Duration) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("irp-conformance/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { http, target })
    }

    /// The target.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Authenticates `party` (altered by `variant`); the session when `Status` is 1.
    pub async fn login(
        &self,
        party: &Party,
        variant: &AuthVariant,
        headers: HeaderOverrides<'_>,
    ) -> Result<(Answer, Option<Session>), ClientError> {
        let user = variant
            .username
            .clone()
            .or_else(|| party.username.clone())
            .unwrap_or_default();
        let password = variant
            .password
            .clone()
            .or_else(|| party.password.clone())
            .unwrap_or_default();
        let app_key = cipher::app_key();
        let mut credentials = json!({
            "UserName": user,
            "Password": password,
            "AppKey": variant.app_key.clone().unwrap_or_else(|| STANDARD.encode(app_key)),
            "ForceRefreshAccessToken": variant.force_refresh,
        });
        if let Some(map) = credentials.as_object_mut() {
            for member in &variant.omit {
                map.remove(member);
            }
        }
        let data = cipher::encrypt_credentials(
            &self.target.auth_public,
            credentials.to_string().as_bytes(),
            variant.encryption,
        )?;
        let mut shown = credentials;
        for secret in ["Password", "AppKey"] {
            if let Some(value) = shown.get_mut(secret) {
                *value = json!(MASK);
            }
        }
        let endpoint = Endpoint::auth();
        let base = self.headers(&party.gstin, None);
        let (status, body, elapsed) = self
            .send(&endpoint, &base, headers, Some(json!({ "Data": data })))
            .await?;
        let mut doc = envelope(&body);
        let session = match (at(&doc, "/Status").as_u64(), &at(&doc, "/Data")) {
            (Some(1), Value::Object(data)) => {
                let text = |k: &str| data.get(k).and_then(Value::as_str).unwrap_or_default();
                let sek = cipher::open(&app_key, text("Sek"))?;
                Some(Session {
                    gstin: party.gstin.clone(),
                    user: text("UserName").to_owned(),
                    token: text("AuthToken").to_owned(),
                    sek,
                    expiry: text("TokenExpiry").to_owned(),
                })
            }
            _ => None,
        };
        if let Some(sek) = doc.pointer_mut("/Data/Sek") {
            *sek = json!(MASK);
        }
        let answer = Answer {
            call: endpoint.to_string(),
            http_status: status,
            request: shown,
            doc,
            elapsed,
        };
        Ok((answer, session))
    }

    /// Calls `endpoint` in `session` with `body` (sealed under the SEK as the API wants).
    pub async fn call(
        &self,
        session: &Session,
        endpoint: &Endpoint,
        body: Option<&Value>,
        headers: HeaderOverrides<'_>,
    ) -> Result<Answer, ClientError> {
        let sealed = match body {
            None => None,
            Some(plain) => {
                let data =
                    STANDARD.encode(cipher::seal(&session.sek, plain.to_string().as_bytes())?);
                Some(if endpoint.ewb_system {
                    json!({ "action": "CANEWB", "data": data })
                } else {
                    json!({ "Data": data })
                })
            }
        };
        let base = self.headers(&session.gstin, Some(session));
        let (status, raw, elapsed) = self.send(endpoint, &base, headers, sealed).await?;
        let doc = if endpoint.ewb_system {
            ewb_envelope(&raw, &session.sek)
        } else {
            let mut doc = envelope(&raw);
            if let (Some(1), Some(text)) =
                (at(&doc, "/Status").as_u64(), at(&doc, "/Data").as_str())
            {
                let plain = cipher::open(&session.sek, text)?;
                let opened = serde_json::from_slice(&plain).unwrap_or_else(|_| {
                    Value::String(String::from_utf8_lossy(&plain).into_owned())
                });
                if let Some(slot) = doc.get_mut("Data") {
                    *slot = opened;
                }
            }
            doc
        };
        Ok(Answer {
            call: endpoint.to_string(),
            http_status: status,
            request: body.cloned().unwrap_or(Value::Null),
            doc,
            elapsed,
        })
    }

    /// An emulator control request (`/__emulator__/…`): `Status` 1 for HTTP 2xx, the
    /// answer as `Data`.
    pub async fn control(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Answer, ClientError> {
        let endpoint = Endpoint {
            method,
            path: format!("/__emulator__{path}"),
            ewb_system: false,
        };
        let (status, raw, elapsed) = self.send(&endpoint, &[], &[], body.cloned()).await?;
        let ok = (200..300).contains(&status);
        Ok(Answer {
            call: endpoint.to_string(),
            http_status: status,
            request: body.cloned().unwrap_or(Value::Null),
            doc: json!({ "Status": u8::from(ok), "Data": raw, "ErrorDetails": null, "InfoDtls": null }),
            elapsed,
        })
    }

    fn headers(&self, gstin: &str, session: Option<&Session>) -> Vec<(String, String)> {
        let mut headers = vec![
            ("client_id".to_owned(), self.target.client_id.clone()),
            (
                "client_secret".to_owned(),
                self.target.client_secret.clone(),
            ),
            ("Gstin".to_owned(), gstin.to_owned()),
        ];
        if let Some(session) = session {
            headers.push(("user_name".to_owned(), session.user.clone()));
            headers.push(("AuthToken".to_owned(), session.token.clone()));
        }
        headers
    }

    async fn send(
        &self,
        endpoint: &Endpoint,
        base: &[(String, String)],
        overrides: HeaderOverrides<'_>,
        body: Option<Value>,
    ) -> Result<(u16, Value, Duration), ClientError> {
        let url = format!(
            "{}{}",
            self.target.base.trim_end_matches('/'),
            endpoint.path
        );
        let mut request = self.http.request(endpoint.method.clone(), url);
        for (name, value) in base {
            let overridden = overrides.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
            if !overridden {
                request = request.header(name.as_str(), value.as_str());
            }
        }
        for (name, value) in overrides {
            if let Some(value) = value {
                request = request.header(name.as_str(), value.as_str());
            }
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body.to_string());
        }
        let started = Instant::now();
        let response = request.send().await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        let elapsed = started.elapsed();
        let value = serde_json::from_slice(&bytes).map_err(|_| ClientError::NotJson {
            status,
            snippet: String::from_utf8_lossy(bytes.get(..200).unwrap_or(&bytes)).into_owned(),
        })?;
        Ok((status, value, elapsed))
    }
}

/// The IRP envelope with missing members as null.
fn envelope(raw: &Value) -> Value {
    json!({
        "Status": raw.get("Status").and_then(|s| s.as_u64().or_else(|| s.as_str()?.parse().ok())),
        "Data": raw.get("Data").cloned().unwrap_or(Value::Null),
        "ErrorDetails": raw.get("ErrorDetails").cloned().unwrap_or(Value::Null),
        "InfoDtls": raw.get("InfoDtls").cloned().unwrap_or(Value::Null),
    })
}

/// The e-way bill system's `{"status":"1","data"}` / `{"status":"0","error"}` as an IRP
/// envelope: `error` is base64 of `{"errorCodes":"312,"}`.
fn ewb_envelope(raw: &Value, sek: &[u8]) -> Value {
    let status = at(raw, "/status")
        .as_str()
        .and_then(|s| s.parse::<u64>().ok())
        .or_else(|| at(raw, "/status").as_u64());
    let data = at(raw, "/data")
        .as_str()
        .and_then(|text| cipher::open(sek, text).ok())
        .and_then(|plain| serde_json::from_slice::<Value>(&plain).ok())
        .unwrap_or(Value::Null);
    let errors: Vec<Value> = at(raw, "/error")
        .as_str()
        .and_then(|text| STANDARD.decode(text).ok())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|error| at(&error, "/errorCodes").as_str().map(str::to_owned))
        .map(|list| {
            list.split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(|code| json!({ "ErrorCode": code, "ErrorMessage": "" }))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "Status": status,
        "Data": data,
        "ErrorDetails": if errors.is_empty() { Value::Null } else { Value::Array(errors) },
        "InfoDtls": Value::Null,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ewb_envelope_is_normalised() {
        let error = STANDARD.encode(r#"{"errorCodes":"312,315,"}"#);
        let doc = ewb_envelope(&json!({ "status": "0", "error": error }), &[0; 32]);
        assert_eq!(doc["Status"], 0);
        assert_eq!(
            codes(&doc["ErrorDetails"], "ErrorCode"),
            ["312".to_owned(), "315".to_owned()]
        );
        let doc = ewb_envelope(&json!({ "status": "x" }), &[0; 32]);
        assert_eq!(doc["Status"], Value::Null);
    }
}
