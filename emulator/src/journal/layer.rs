//! The journal layer around the IRP routes: times the call, hands the extractors a
//! [`Capture`] slot, reads the responder's [`JournalBody`], appends the entry, and logs one
//! line about it.

use std::time::Instant;

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use serde_json::Value;
use time::OffsetDateTime;

use super::{Capture, Entry, JournalBody, mask_secrets};
use crate::{headers::IrpHeaders, state::AppState, transcript::NoAnswer};

/// The header a client may send to tie retries of one logical call together.
pub const REQUEST_ID: &str = "requestid";

/// Records every call outside the control namespace.
pub async fn record(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/__emulator__") {
        return next.run(request).await;
    }
    let started = Instant::now();
    let wall_time = OffsetDateTime::now_utc();
    let virtual_time = state.clock.now();
    let headers = IrpHeaders::from_map(request.headers());
    let request_id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(128).collect())
        .unwrap_or_else(generated_id);
    let method = request.method().to_string();
    let path = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_owned(),
        |p| p.as_str().to_owned(),
    );
    let capture = Capture::default();
    request.extensions_mut().insert(capture.clone());

    let mut response = next.run(request).await;
    // An answer a fault kept from the client is journaled as none (HTTP status 0).
    let answered = response.extensions().get::<NoAnswer>().is_none();
    let retry_after = response
        .headers()
        .get(axum::http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok()?.trim().parse().ok());

    let mut body = response
        .extensions_mut()
        .remove::<JournalBody>()
        .map_or(Value::Null, |b| b.0);
    mask_secrets(&mut body);
    let (mut request_body, api, fault) = capture.take();
    mask_secrets(&mut request_body);
    let codes = |list: &str, key: &str| -> Vec<String> {
        body.get(list)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.get(key))
                    .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut error_codes = codes("ErrorDetails", "ErrorCode");
    // The e-way bill system's envelope: {"status":"0","error":{"errorCodes":"312,325"}}.
    if let Some(list) = body.pointer("/error/errorCodes").and_then(Value::as_str) {
        error_codes.extend(list.split(',').map(|c| c.trim().to_owned()));
    }
    let info_codes = codes("InfoDtls", "InfCd");
    let status = body
        .get("Status")
        .or_else(|| body.get("status"))
        .and_then(|s| s.as_u64().or_else(|| s.as_str()?.parse().ok()))
        .and_then(|s| u8::try_from(s).ok());
    let entry = Entry {
        id: 0,
        request_id,
        wall_time,
        virtual_time,
        api,
        method,
        path,
        client_id: headers.client_id,
        gstin: headers.gstin,
        user_name: headers.user_name,
        http_status: if answered {
            response.status().as_u16()
        } else {
            0
        },
        status,
        error_codes,
        info_codes,
        latency_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        fault,
        request: request_body,
        response: body,
        retry_after,
        seed: Some(state.settings.faults.seed),
        irp: state.settings.irp.name.to_string(),
    };
    log_call(&entry);
    state.journal.append(entry);
    response
}

/// One line per IRP call at info: the API, who called, how it ended (HTTP status, IRP
/// `Status`, error codes), how long it took and the fault it met. Only the entry's summary
/// fields are read, never its payloads, so no password, AppKey, SEK or token can reach the
/// log; absent fields are left out of the line.
fn log_call(entry: &Entry) {
    let error_codes = (!entry.error_codes.is_empty()).then(|| entry.error_codes.join(","));
    let latency_ms = entry.latency_us as f64 / 1000.0;
    tracing::info!(
        target: crate::logging::CALL_TARGET,
        api = entry.api.name(),
        gstin = entry.gstin.as_deref(),
        client_id = entry.client_id.as_deref(),
        http_status = entry.http_status,
        status = entry.status,
        error_codes = error_codes.as_deref(),
        latency_ms,
        fault = entry.fault.as_deref(),
        request_id = entry.request_id.as_str(),
        "irp call"
    );
}

/// 24 hex digits, unique per call: a random prefix drawn once per process and a counter
/// (an id names a call; it need not be unguessable, and a draw from the system generator
/// per call showed in the profile of cheap calls).
fn generated_id() -> String {
    static PREFIX: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let prefix = PREFIX.get_or_init(|| {
        let mut bytes = [0u8; 4];
        crate::crypto::fill_random(&mut bytes);
        u32::from_le_bytes(bytes)
    });
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{prefix:08x}{n:016x}")
}
