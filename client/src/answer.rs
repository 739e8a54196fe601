//! Opening answers: every API's answer becomes one *answer document*
//! `{"Status", "Data" (decrypted), "ErrorDetails", "InfoDtls"}`, including the e-way bill
//! system's lower-case envelope, so callers read every API the same way.
//!
//! These are pure functions of the bytes received and the keys held: the transport and
//! in-process tests (which call the router with no socket) open answers alike.

use std::time::Duration;

use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};

use crate::{
    ClientError, Endpoint, Login, Session,
    cipher::{self},
};

/// The password, AppKey and SEK are shown as this wherever a request or answer is kept.
pub const MASK: &str = "********";

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
    /// What the earlier sends of a retried call met, in order (empty when the first send
    /// was answered).
    pub retries: Vec<String>,
    /// The answer is the original registration, read after a 2150 met on a retry.
    pub reconciled: bool,
}

impl Answer {
    /// `Status` (1 or 0), if any.
    pub fn status(&self) -> Option<u64> {
        at(&self.doc, "/Status").as_u64()
    }

    /// The decrypted `Data` (null when there is none).
    pub fn data(&self) -> &Value {
        at(&self.doc, "/Data")
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

/// The `key` member of every entry of `list`, numbers as text.
pub fn codes(list: &Value, key: &str) -> Vec<String> {
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

/// The body of an answer as JSON, or [`ClientError::NotJson`] with its start.
pub fn parse_body(http_status: u16, bytes: &[u8]) -> Result<Value, ClientError> {
    serde_json::from_slice(bytes).map_err(|_| ClientError::NotJson {
        status: http_status,
        snippet: String::from_utf8_lossy(bytes.get(..200).unwrap_or(bytes)).into_owned(),
    })
}

/// Opens an auth answer: the answer document (with `Sek` masked) and, when `Status` is 1,
/// the session, its SEK unwrapped with the login's AppKey.
pub fn open_login(login: &Login, raw: &Value) -> Result<(Value, Option<Session>), ClientError> {
    let mut doc = envelope(raw);
    let session = match (at(&doc, "/Status").as_u64(), at(&doc, "/Data")) {
        (Some(1), Value::Object(data)) => {
            let text = |k: &str| data.get(k).and_then(Value::as_str).unwrap_or_default();
            let sek = cipher::open(&login.app_key, text("Sek"))?;
            Some(Session {
                gstin: login.gstin.clone(),
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
    Ok((doc, session))
}

/// Opens the answer of `endpoint` in `session`: `Data` decrypted with the SEK (kept as text
/// when it is not JSON), the e-way bill system's envelope normalised.
pub fn open_answer(
    endpoint: &Endpoint,
    session: &Session,
    raw: &Value,
) -> Result<Value, ClientError> {
    if endpoint.ewb_system {
        return Ok(ewb_envelope(raw, &session.sek));
    }
    let mut doc = envelope(raw);
    if let (Some(1), Some(text)) = (at(&doc, "/Status").as_u64(), at(&doc, "/Data").as_str()) {
        let plain = cipher::open(&session.sek, text)?;
        let opened = serde_json::from_slice(&plain)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&plain).into_owned()));
        if let Some(slot) = doc.get_mut("Data") {
            *slot = opened;
        }
    }
    Ok(doc)
}

/// The IRP envelope with missing members as null.
pub fn envelope(raw: &Value) -> Value {
    json!({
        "Status": raw.get("Status").and_then(|s| s.as_u64().or_else(|| s.as_str()?.parse().ok())),
        "Data": raw.get("Data").cloned().unwrap_or(Value::Null),
        "ErrorDetails": raw.get("ErrorDetails").cloned().unwrap_or(Value::Null),
        "InfoDtls": raw.get("InfoDtls").cloned().unwrap_or(Value::Null),
    })
}

/// The e-way bill system's `{"status":"1","data"}` / `{"status":"0","error"}` as an IRP
/// envelope: `error` is base64 of `{"errorCodes":"312,"}`.
pub fn ewb_envelope(raw: &Value, sek: &[u8]) -> Value {
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

    fn session(sek: &[u8]) -> Session {
        Session {
            gstin: "G".into(),
            user: "U".into(),
            token: "T".into(),
            sek: sek.to_vec(),
            expiry: String::new(),
        }
    }

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
        let sek = [3; 32];
        let data = STANDARD.encode(cipher::seal(&sek, br#"{"ewayBillNo":1}"#).unwrap());
        let raw = json!({ "status": "1", "data": data });
        let doc = open_answer(&Endpoint::cancel_ewb(), &session(&sek), &raw).unwrap();
        assert_eq!(doc["Status"], 1);
        assert_eq!(doc["Data"], json!({ "ewayBillNo": 1 }));
    }

    #[test]
    fn irp_data_is_decrypted_only_on_success() {
        let sek = [9; 32];
        let sealed = STANDARD.encode(cipher::seal(&sek, br#"{"Irn":"abc"}"#).unwrap());
        let ok = json!({ "Status": "1", "Data": sealed });
        let doc = open_answer(&Endpoint::generate_irn(), &session(&sek), &ok).unwrap();
        assert_eq!(doc["Status"], 1);
        assert_eq!(doc["Data"]["Irn"], "abc");
        assert_eq!(doc["InfoDtls"], Value::Null);
        let rejected = json!({ "Status": 0, "Data": "x", "ErrorDetails": [{ "ErrorCode": 2150 }] });
        let doc = open_answer(&Endpoint::generate_irn(), &session(&sek), &rejected).unwrap();
        assert_eq!(doc["Data"], "x");
        assert_eq!(
            codes(&doc["ErrorDetails"], "ErrorCode"),
            ["2150".to_owned()]
        );
        let wrong_key = open_answer(&Endpoint::generate_irn(), &session(&[1; 32]), &ok);
        assert!(wrong_key.is_err() || wrong_key.is_ok_and(|d| d["Data"] != json!({"Irn":"abc"})));
    }

    #[test]
    fn a_login_unwraps_the_sek_and_masks_it() {
        let login = Login::new("G", "U", "P").with_app_key(&[5; 32]);
        let sek = [8u8; 32];
        let wrapped = STANDARD.encode(cipher::seal(&login.app_key, &sek).unwrap());
        let raw = json!({ "Status": 1, "Data": {
            "UserName": "U", "AuthToken": "tok", "Sek": wrapped, "TokenExpiry": "2026-03-31 16:00:00" } });
        let (doc, session) = open_login(&login, &raw).unwrap();
        let session = session.unwrap();
        assert_eq!(session.sek, sek);
        assert_eq!(session.token, "tok");
        assert_eq!(doc["Data"]["Sek"], MASK);
        let (_, none) = open_login(&login, &json!({ "Status": 0 })).unwrap();
        assert!(none.is_none());
    }

    #[test]
    fn a_body_that_is_not_json_is_an_error_with_its_start() {
        let error = parse_body(502, b"<html>Bad gateway</html>").unwrap_err();
        assert!(error.to_string().contains("HTTP 502") && error.to_string().contains("<html>"));
    }
}
