//! The answers of the actions: the ones that replace the handler's (a gateway page, an IRP
//! error, a 429, an empty body, broken JSON, no answer at all) and the ones that shape it
//! (cut short, dripped out).

use std::{io, time::Duration};

use axum::{
    Json,
    body::{Body, Bytes},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures_util::stream;
use serde_json::{Value, json};

use crate::{
    error::catalogue,
    transcript::{JournalBody, NoAnswer},
};

/// The most of an answer a shaping action reads into memory (answers are small; this only
/// bounds a surprise).
const MAX_SHAPED: usize = 16 << 20;

/// A page as a load balancer in front of the IRP answers (or `body` when given).
pub(super) fn gateway(status: u16, body: Option<&str>, retry_after: Option<u64>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    let page = body.map_or_else(
        || format!(
            "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n</body>\r\n</html>\r\n"
        ),
        str::to_owned,
    );
    let mut response =
        (status, [(header::CONTENT_TYPE, "text/html")], page.clone()).into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
        .extensions_mut()
        .insert(JournalBody(Value::String(page)));
    response
}

/// The IRP error envelope with any code, HTTP 200.
pub(super) fn irp_error(code: &str, message: Option<&str>) -> Response {
    let message = message
        .map(str::to_owned)
        .or_else(|| catalogue().get(code).cloned())
        .unwrap_or_else(|| "Injected fault".to_owned());
    let body = json!({
        "Status": 0,
        "Data": null,
        "ErrorDetails": [{"ErrorCode": code, "ErrorMessage": message}],
        "InfoDtls": null,
    });
    let mut response = Json(body.clone()).into_response();
    response.extensions_mut().insert(JournalBody(body));
    response
}

/// HTTP 429 with `Retry-After` and a small JSON body.
pub(super) fn rate_limited(retry_after: u64) -> Response {
    let body = json!({
        "status": 429,
        "error": "Too Many Requests",
        "retry_after": retry_after,
    });
    let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body.clone())).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response.extensions_mut().insert(JournalBody(body));
    response
}

/// HTTP 200, `Content-Length: 0`.
pub(super) fn empty() -> Response {
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        "",
    )
        .into_response();
    response
        .extensions_mut()
        .insert(JournalBody(Value::String(String::new())));
    response
}

/// HTTP 200 with `answer`'s body less its last byte (a stand-in envelope's start without
/// an answer): what a client's JSON parser must survive.
pub(super) async fn malformed(answer: Option<Response>) -> Response {
    let mut text = match answer {
        Some(answer) => axum::body::to_bytes(answer.into_body(), MAX_SHAPED)
            .await
            .unwrap_or_default()
            .to_vec(),
        None => br#"{"Status":1,"ErrorDetails":null,"Data":"eyJ"#.to_vec(),
    };
    text.pop();
    let shown = String::from_utf8_lossy(&text).into_owned();
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        text,
    )
        .into_response();
    response
        .extensions_mut()
        .insert(JournalBody(Value::String(shown)));
    response
}

/// The stand-in for an answer that is never written (the connection is closed or reset
/// first). Should it get out anyway (no connection to end, as under `oneshot`), it is a
/// gateway's 502.
pub(super) fn no_answer() -> Response {
    let mut response = gateway(502, None, None);
    response.extensions_mut().remove::<JournalBody>();
    response.extensions_mut().insert(NoAnswer);
    response
}

/// `answer` with its whole `Content-Length` promised and only the first `bytes` body bytes
/// sent; then the connection is cut.
pub(super) async fn truncated(answer: Response, bytes: u64) -> Response {
    let (mut parts, body) = answer.into_parts();
    let whole = axum::body::to_bytes(body, MAX_SHAPED)
        .await
        .unwrap_or_default();
    let keep = usize::try_from(bytes)
        .unwrap_or(usize::MAX)
        .min(whole.len());
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(whole.len()));
    let prefix = whole.slice(..keep);
    let chunks = stream::unfold(Some(prefix), |state| async move {
        let prefix = state?;
        if !prefix.is_empty() {
            return Some((Ok(prefix), Some(Bytes::new())));
        }
        // Let the prefix be flushed before the body fails and hyper drops the connection.
        tokio::time::sleep(Duration::from_millis(20)).await;
        Some((
            Err(io::Error::other("answer truncated by a fault rule")),
            None,
        ))
    });
    Response::from_parts(parts, Body::from_stream(chunks))
}

/// `answer` dripped out in up to 20 pieces over `seconds`.
pub(super) async fn dripped(answer: Response, seconds: u64) -> Response {
    let (mut parts, body) = answer.into_parts();
    let whole = axum::body::to_bytes(body, MAX_SHAPED)
        .await
        .unwrap_or_default();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(whole.len()));
    let pieces = whole.len().clamp(1, 20);
    let size = whole.len().div_ceil(pieces).max(1);
    let pause = Duration::from_secs(seconds) / u32::try_from(pieces).unwrap_or(20);
    let chunks = stream::unfold(whole, move |rest| async move {
        if rest.is_empty() {
            return None;
        }
        tokio::time::sleep(pause).await;
        let mut rest = rest;
        let piece = rest.split_to(size.min(rest.len()));
        Some((Ok::<_, io::Error>(piece), rest))
    });
    Response::from_parts(parts, Body::from_stream(chunks))
}
