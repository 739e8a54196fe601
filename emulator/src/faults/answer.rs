//! The answers of the actions that replace the handler's.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use super::Action;
use crate::{error::catalogue, transcript::JournalBody};

/// The answer of a replacing action (`None` for `latency`, which lets the handler answer).
pub(super) fn answer(action: &Action) -> Option<Response> {
    let response = match action {
        Action::Latency { .. } => return None,
        Action::HttpStatus {
            status,
            retry_after,
        } => gateway(*status, *retry_after),
        Action::IrpError { code, message } => irp_error(code, message.as_deref()),
        Action::RateLimited { retry_after } => rate_limited(retry_after.unwrap_or(1)),
    };
    Some(response)
}

/// A bare HTML page, as a load balancer in front of the IRP answers.
fn gateway(status: u16, retry_after: Option<u64>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    let page = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n</body>\r\n</html>\r\n"
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
fn irp_error(code: &str, message: Option<&str>) -> Response {
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
fn rate_limited(retry_after: u64) -> Response {
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
