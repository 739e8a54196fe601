//! The proxy's own `/__emulator__/` namespace: its journal, read exactly as the emulator's
//! is read, so `irp-conformance report --journal http://PROXY` and `audit --journal` work
//! unchanged.
//!
//! - `GET /__emulator__/journal`: `{"count","entries":[…]}` with the emulator's filters
//!   (`since`, `after_id`, `api`, `gstin`, `status`, `request_id`, `limit`: default 100, at
//!   most 10,000; without `since`/`after_id` the newest). Unknown filters are refused (400).
//! - `GET /__emulator__/journal.jsonl`: every matching entry as JSON Lines.
//! - `DELETE /__emulator__/journal`: empties the journal in memory (not `--journal-out`).
//!
//! The journal holds decrypted invoices, so like the emulator's control namespace it
//! answers only loopback callers, or with `--admin-token T` every caller sending
//! `Authorization: Bearer T`. Other `/__emulator__/` paths, in any spelling, are 404 and
//! never relayed (see [`is_control`]).

use std::net::SocketAddr;

use axum::{
    Json, Router,
    extract::{ConnectInfo, FromRequestParts, Query, State, rejection::QueryRejection},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
    routing::{any, get},
};
use serde::Deserialize;
use serde_json::json;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{Proxy, journal::Filter};

/// The most entries one page returns.
const MAX_LIMIT: usize = 10_000;

/// A refusal in the IRP envelope, its code the HTTP status (as the emulator answers its
/// control namespace).
struct Refusal(StatusCode, String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = json!({ "Status": 0, "Data": null,
            "ErrorDetails": [{ "ErrorCode": self.0.as_str(), "ErrorMessage": self.1 }],
            "InfoDtls": null });
        (self.0, Json(body)).into_response()
    }
}

/// A caller the namespace answers: from loopback, or with the admin token.
struct Admitted;

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<Proxy> for Admitted {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, proxy: &Proxy) -> Result<Self, Refusal> {
        let refused = || {
            Refusal(
                StatusCode::FORBIDDEN,
                "The proxy's journal is not open to this caller".to_owned(),
            )
        };
        match proxy.inner.admin_token.as_deref() {
            Some(token) => {
                let sent = parts
                    .headers
                    .get(header::AUTHORIZATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .unwrap_or_default();
                same(sent.trim().as_bytes(), token.as_bytes())
                    .then_some(Admitted)
                    .ok_or_else(refused)
            }
            None => parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .is_some_and(|ConnectInfo(peer)| peer.ip().to_canonical().is_loopback())
                .then_some(Admitted)
                .ok_or_else(refused),
        }
    }
}

/// The routes of the namespace.
pub(super) fn router() -> Router<Proxy> {
    Router::new()
        .route("/__emulator__/journal", get(entries).delete(clear))
        .route("/__emulator__/journal.jsonl", get(export))
        .route("/__emulator__", any(unknown))
        .route("/__emulator__/{*rest}", any(unknown))
}

/// Whether `path` names the control namespace in any spelling the upstream might still
/// read as it (any segment `__emulator__` in any case, percent-encoded or not). Such a
/// path is never relayed: behind a proxy open to the network, an emulator upstream would
/// answer the proxy, a loopback caller, with its users' passwords (`/__emulator__/sandbox`).
pub(super) fn is_control(path: &str) -> bool {
    let decoded = percent_decoded(path);
    decoded
        .split('/')
        .any(|segment| segment.eq_ignore_ascii_case(irp_emulator::api::CONTROL_SEGMENT))
}

/// `%XX` escapes decoded (invalid ones kept as they are), as text.
fn percent_decoded(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = (byte == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(decoded) => {
                out.push(decoded);
                i += 3;
            }
            None => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The answer to a control path the proxy does not serve.
pub(super) async fn unknown() -> Response {
    Refusal(
        StatusCode::NOT_FOUND,
        "The proxy serves only /__emulator__/journal and /__emulator__/journal.jsonl".to_owned(),
    )
    .into_response()
}

/// The query string, as the emulator reads it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct JournalQuery {
    since: Option<String>,
    after_id: Option<i64>,
    api: Option<String>,
    gstin: Option<String>,
    status: Option<u8>,
    request_id: Option<String>,
    limit: Option<usize>,
}

fn filter(query: Result<Query<JournalQuery>, QueryRejection>) -> Result<Filter, Refusal> {
    let bad = |why: String| Refusal(StatusCode::BAD_REQUEST, why);
    let Query(query) = query.map_err(|e| bad(e.body_text()))?;
    let since = match &query.since {
        None => None,
        Some(text) => Some(
            OffsetDateTime::parse(text, &Rfc3339)
                .ok()
                .or_else(|| irp_emulator::clock::parse_ist(text))
                .ok_or_else(|| bad("since: expected RFC 3339 or yyyy-MM-dd HH:mm:ss".into()))?,
        ),
    };
    if let Some(api) = &query.api
        && irp_emulator::api::Api::parse(api).is_none()
    {
        return Err(bad(format!("api: unknown {api}")));
    }
    Ok(Filter {
        since,
        after_id: query.after_id,
        api: query.api,
        gstin: query.gstin,
        status: query.status,
        request_id: query.request_id,
        limit: query.limit,
    })
}

async fn entries(
    _: Admitted,
    State(proxy): State<Proxy>,
    query: Result<Query<JournalQuery>, QueryRejection>,
) -> Result<Response, Refusal> {
    let mut filter = filter(query)?;
    filter.limit = Some(filter.limit.unwrap_or(100).min(MAX_LIMIT));
    let entries = proxy.inner.journal.query(&filter);
    let entries: Vec<_> = entries.iter().map(|e| &**e).collect();
    Ok(Json(json!({ "count": entries.len(), "entries": entries })).into_response())
}

async fn export(
    _: Admitted,
    State(proxy): State<Proxy>,
    query: Result<Query<JournalQuery>, QueryRejection>,
) -> Result<Response, Refusal> {
    let filter = filter(query)?;
    // Serialised outside the journal's lock; the journal is bounded, so is this body.
    let mut lines = Vec::new();
    for entry in proxy.inner.journal.query(&filter) {
        if serde_json::to_writer(&mut lines, &*entry).is_ok() {
            lines.push(b'\n');
        }
    }
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], lines).into_response())
}

async fn clear(_: Admitted, State(proxy): State<Proxy>) -> Json<serde_json::Value> {
    proxy.inner.journal.clear();
    Json(json!({ "status": "cleared" }))
}

#[cfg(test)]
mod tests {
    use axum::http::Request;
    use irp_emulator::keys::KeyPems;

    use super::*;
    use crate::{
        profile::Profile,
        proxy::{Limits, Options},
    };

    fn proxy(admin_token: Option<&str>) -> Proxy {
        Proxy::new(Options {
            upstream: "http://127.0.0.1:9".to_owned(),
            profile: Profile::emulator(),
            keys: KeyPems::embedded(),
            journal_out: None,
            admin_token: admin_token.map(str::to_owned),
            limits: Limits::default(),
        })
        .unwrap()
    }

    async fn admitted(proxy: &Proxy, peer: &str, bearer: Option<&str>) -> bool {
        let mut request = Request::builder().uri("/__emulator__/journal");
        if let Some(token) = bearer {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let request = request
            .extension(ConnectInfo(peer.parse::<SocketAddr>().unwrap()))
            .body(())
            .unwrap();
        let (mut parts, ()) = request.into_parts();
        Admitted::from_request_parts(&mut parts, proxy)
            .await
            .is_ok()
    }

    #[tokio::test]
    async fn the_journal_answers_loopback_callers_or_the_admin_token() {
        let open = proxy(None);
        assert!(admitted(&open, "127.0.0.1:5000", None).await);
        assert!(admitted(&open, "[::1]:5000", None).await);
        assert!(admitted(&open, "[::ffff:127.0.0.1]:5000", None).await);
        assert!(!admitted(&open, "10.1.2.3:5000", None).await);
        assert!(!admitted(&open, "10.1.2.3:5000", Some("guess")).await);
        let guarded = proxy(Some("s3cret"));
        assert!(admitted(&guarded, "10.1.2.3:5000", Some("s3cret")).await);
        assert!(!admitted(&guarded, "127.0.0.1:5000", None).await);
        assert!(!admitted(&guarded, "127.0.0.1:5000", Some("s3cre")).await);
        assert!(same(b"abc", b"abc") && !same(b"abc", b"abd") && !same(b"ab", b"abc"));
    }

    #[test]
    fn control_paths_in_any_spelling_are_never_relayed() {
        for path in [
            "/__emulator__",
            "/__emulator__/sandbox",
            "/__EMULATOR__/sandbox",
            "//__Emulator__/sandbox",
            "/%5F%5Femulator%5f%5f/sandbox",
            "/prefix/__emulator__/health",
        ] {
            assert!(is_control(path), "{path}");
        }
        for path in [
            "/eivital/v1.04/auth",
            "/__emulator",
            "/emulator__/x",
            "/%zz/%",
            "/%",
        ] {
            assert!(!is_control(path), "{path}");
        }
    }
}
