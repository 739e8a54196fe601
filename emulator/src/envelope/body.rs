//! Reading a request body into a JSON object, with the IRP's answers for each way it fails.

use axum::{
    body::{Body, to_bytes},
    http::{HeaderMap, header},
};
use serde_json::{Map, Value};

use crate::error::{ApiError, ErrorCode};

/// Which API a body belongs to: auth answers malformed input with 1007, the others with
/// 2255 (empty) or 2140 (not JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyRole {
    /// `POST /eivital/*/auth`.
    Auth,
    /// Every other POST.
    Payload,
}

impl BodyRole {
    fn empty(self) -> ErrorCode {
        match self {
            Self::Auth => ErrorCode::AuthenticationFailed,
            Self::Payload => ErrorCode::PayloadEmpty,
        }
    }

    /// The code for a body that is not what the API expects.
    pub fn malformed(self) -> ErrorCode {
        match self {
            Self::Auth => ErrorCode::AuthenticationFailed,
            Self::Payload => ErrorCode::InvalidInvoice,
        }
    }
}

/// Whether the declared content type may carry JSON: absent, `application/json`,
/// `text/json` or any `+json` type, with any parameters.
fn content_type_allows_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return true;
    };
    let Ok(text) = value.to_str() else {
        return false;
    };
    let essence = text
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.is_empty()
        || essence == "application/json"
        || essence == "text/json"
        || essence.ends_with("+json")
}

/// Whether an error of type `E` is somewhere in `err`'s source chain.
fn caused_by<E: std::error::Error + 'static>(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if e.is::<E>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// Over the limit, as declared or as streamed.
    TooLarge,
    /// Not all there before the body deadline.
    TimedOut,
    /// The connection or the chunked framing broke.
    Broken(axum::Error),
}

/// Reads at most `limit` bytes of body; a declared `Content-Length` over it is refused
/// before anything is read.
pub(crate) async fn read_bytes(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<axum::body::Bytes, BodyError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    to_bytes(body, limit).await.map_err(|e| {
        if caused_by::<http_body_util::LengthLimitError>(&e) {
            BodyError::TooLarge
        } else if caused_by::<crate::server::BodyDeadlineExceeded>(&e) {
            BodyError::TimedOut
        } else {
            BodyError::Broken(e)
        }
    })
}

/// Reads the body (at most `limit` bytes) and parses it as a JSON object.
pub async fn read_json_object(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    role: BodyRole,
) -> Result<Map<String, Value>, ApiError> {
    if !content_type_allows_json(headers) {
        return Err(ApiError::new(ErrorCode::UnsupportedMediaType));
    }
    let bytes = read_bytes(headers, body, limit)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge => ApiError::new(ErrorCode::BodyTooLarge),
            BodyError::TimedOut => ApiError::new(ErrorCode::RequestTimeout),
            BodyError::Broken(e) => ApiError::new(role.malformed()).caused_by(e),
        })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(role.empty()));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::new(role.malformed()).caused_by("body is not a JSON object")),
        Err(e) => Err(ApiError::new(role.malformed()).caused_by(e)),
    }
}

/// Looks a key up the way NIC's .NET deserialiser does: case-insensitively.
pub(crate) fn field<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn content_types() {
        for (value, ok) in [
            ("application/json", true),
            ("application/json; charset=utf-8", true),
            ("Application/JSON", true),
            ("text/json", true),
            ("application/problem+json", true),
            ("text/plain", false),
            ("application/x-www-form-urlencoded", false),
            ("multipart/form-data; boundary=x", false),
        ] {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            assert_eq!(content_type_allows_json(&headers), ok, "{value}");
        }
        assert!(content_type_allows_json(&HeaderMap::new()));
    }
}
