//! One call through the proxy: what arrived (API, headers, request id, times) and what the
//! ERP was answered ([`Relayed`], including the proxy's own answers when the upstream gave
//! none or the body could not be read), turned into a journal entry the way the
//! emulator's journal layer turns its calls into entries (same fields, same masking, same
//! code lists).

use std::{sync::Arc, time::Instant};

use axum::{
    extract::rejection::BytesRejection,
    http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use irp_emulator::{
    api::Api,
    headers::IrpHeaders,
    journal::{REQUEST_ID, mask_secrets},
};
use serde_json::{Value, json};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{BODY_LIMIT, sessions::Session, upstream::UpstreamError};
use crate::{journal::JournalEntry, target::IST};

/// A call as it arrived.
#[derive(Debug)]
pub(super) struct Call {
    /// The API of the method and path (`Unknown` for anything else).
    pub(super) api: Api,
    /// HTTP method.
    pub(super) method: Method,
    /// Path and query as received.
    pub(super) path: String,
    /// The request headers.
    pub(super) headers: HeaderMap,
    /// The IRP headers, read in any spelling.
    pub(super) irp: IrpHeaders,
    request_id: String,
    wall: OffsetDateTime,
    started: Instant,
}

/// What the ERP was answered, and the decrypted copies for the journal.
#[derive(Debug)]
pub(super) struct Relayed {
    /// HTTP status sent.
    pub(super) status: StatusCode,
    /// Headers sent.
    pub(super) headers: HeaderMap,
    /// Body sent.
    pub(super) body: Vec<u8>,
    /// The request, decrypted (null when it could not be).
    pub(super) request: Value,
    /// The answer with its data decrypted.
    pub(super) response: Value,
    /// The session the call was made in, when the proxy knows it.
    pub(super) session: Option<Arc<Session>>,
}

/// The API `method path` calls: the emulator's table, fixed segments in any case.
pub(super) fn api_of(method: &Method, path: &str) -> Api {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    Api::served()
        .find(|api| {
            api.method() == *method
                && api.paths().iter().any(|pattern| {
                    let pattern: Vec<&str> = pattern.split('/').collect();
                    pattern.len() == segments.len()
                        && pattern.iter().zip(&segments).all(|(p, s)| {
                            if p.starts_with('{') {
                                !s.is_empty()
                            } else {
                                p.eq_ignore_ascii_case(s)
                            }
                        })
                })
        })
        .unwrap_or(Api::Unknown)
}

impl Call {
    /// A call arriving now.
    pub(super) fn arrive(method: Method, uri: &Uri, headers: HeaderMap) -> Self {
        let request_id = headers
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(128).collect())
            .unwrap_or_else(generated_id);
        Self {
            api: api_of(&method, uri.path()),
            path: uri
                .path_and_query()
                .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned()),
            irp: IrpHeaders::from_map(&headers),
            method,
            headers,
            request_id,
            wall: OffsetDateTime::now_utc(),
            started: Instant::now(),
        }
    }

    /// When it arrived (wall time).
    pub(super) fn wall(&self) -> OffsetDateTime {
        self.wall
    }

    /// The journal entry of this call, answered with `relayed`, sent to `upstream`.
    /// Secrets are masked as the emulator masks them; a header the ERP left out is filled
    /// from the session its token belongs to, when the proxy saw that login.
    pub(super) fn entry(&self, relayed: &Relayed, upstream: &str) -> JournalEntry {
        let mut request = relayed.request.clone();
        mask_secrets(&mut request);
        let mut response = relayed.response.clone();
        mask_secrets(&mut response);
        let session = relayed.session.as_deref();
        let codes = |list: &str, key: &str| -> Vec<String> {
            irp_client::answer::codes(response.get(list).unwrap_or(&Value::Null), key)
        };
        let mut error_codes = codes("ErrorDetails", "ErrorCode");
        // The e-way bill system's envelope: {"status":"0","error":{"errorCodes":"312,"}}.
        if let Some(list) = response
            .pointer("/error/errorCodes")
            .and_then(Value::as_str)
        {
            error_codes.extend(
                list.split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned),
            );
        }
        let status = response
            .get("Status")
            .or_else(|| response.get("status"))
            .and_then(|s| s.as_u64().or_else(|| s.as_str()?.trim().parse().ok()))
            .and_then(|s| u8::try_from(s).ok());
        JournalEntry {
            id: 0,
            request_id: self.request_id.clone(),
            wall_time: self.wall.format(&Rfc3339).unwrap_or_default(),
            virtual_time: self
                .wall
                .to_offset(IST)
                .format(&Rfc3339)
                .unwrap_or_default(),
            api: self.api.name().to_owned(),
            method: self.method.to_string(),
            path: self.path.clone(),
            client_id: self.irp.client_id.clone(),
            gstin: self
                .irp
                .gstin
                .clone()
                .or_else(|| session.and_then(|s| s.gstin.clone())),
            user_name: self
                .irp
                .user_name
                .clone()
                .or_else(|| session.and_then(|s| s.user_name.clone())),
            http_status: relayed.status.as_u16(),
            status,
            error_codes,
            info_codes: codes("InfoDtls", "InfCd"),
            latency_us: u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX),
            fault: None,
            retry_after: relayed
                .headers
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok()?.trim().parse().ok()),
            request,
            response,
            upstream: Some(upstream.to_owned()),
            // One upstream: the journal's `upstream` names it.
            irp: None,
        }
    }
}

/// An IRP envelope refusing a call with `code` and `message`.
pub(super) fn refusal(code: &str, message: &str) -> Value {
    json!({ "Status": 0, "Data": null,
        "ErrorDetails": [{ "ErrorCode": code, "ErrorMessage": message }], "InfoDtls": null })
}

fn json_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers
}

impl Relayed {
    /// The ERP's answer when the upstream gave none.
    pub(super) fn failed(
        failure: &UpstreamError,
        request: Value,
        session: Option<Arc<Session>>,
    ) -> Self {
        let envelope = failure.envelope();
        Self {
            status: failure.status(),
            headers: json_headers(),
            body: envelope.to_string().into_bytes(),
            request,
            response: envelope,
            session,
        }
    }

    /// The ERP's answer when its body could not be read (too large, or cut short).
    pub(super) fn unread(rejection: &BytesRejection) -> Self {
        let (status, code, message) = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            let limit = BODY_LIMIT / (1024 * 1024);
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                "5002",
                format!("Request body too large (the proxy reads at most {limit} MiB)"),
            )
        } else {
            (
                StatusCode::BAD_REQUEST,
                "400",
                format!(
                    "The request body could not be read: {}",
                    rejection.body_text()
                ),
            )
        };
        let envelope = refusal(code, &message);
        Self {
            status,
            headers: json_headers(),
            body: envelope.to_string().into_bytes(),
            request: Value::Null,
            response: envelope,
            session: None,
        }
    }
}

impl IntoResponse for Relayed {
    fn into_response(self) -> Response {
        (self.status, self.headers, self.body).into_response()
    }
}

fn generated_id() -> String {
    let mut bytes = [0u8; 12];
    irp_emulator::crypto::fill_random(&mut bytes);
    irp_emulator::crypto::hex_lower(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_read_as_the_emulator_routes_them() {
        for (method, path, api) in [
            (Method::POST, "/eivital/v1.04/auth", Api::Auth),
            (Method::POST, "/EIVITAL/V1.03/AUTH", Api::Auth),
            (Method::GET, "/eivital/v1.04/auth", Api::Unknown),
            (
                Method::GET,
                "/eivital/v1.03/master/gstin/29AAACL1111A1ZD",
                Api::GstinDetails,
            ),
            (Method::GET, "/eivital/v1.03/Master/gstin/", Api::Unknown),
            (Method::POST, "/eicore/v1.03/Invoice", Api::GenerateIrn),
            (Method::POST, "/eicore/v1.03/Invoice/", Api::GenerateIrn),
            (Method::POST, "/eicore/v1.03/Invoice/Cancel", Api::CancelIrn),
            (
                Method::GET,
                "/eicore/v1.03/Invoice/irnbydocdetails",
                Api::GetIrnByDocument,
            ),
            (Method::POST, "/ewaybillapi/v1.03/ewayapi", Api::CancelEwb),
            (Method::GET, "/", Api::Unknown),
            (Method::GET, "", Api::Unknown),
        ] {
            assert_eq!(api_of(&method, path), api, "{method} {path}");
        }
    }
}
