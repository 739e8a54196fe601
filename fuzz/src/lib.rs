//! What the fuzz targets share: one emulator per process (in-memory state, the test keys, a
//! fixed clock so a session never expires), a logged-in session so inputs get past the token
//! check, a loose request format the fuzzer can mutate, and the invariant every answer must
//! meet.
//!
//! The invariant: no panic (the router's panic catcher turns a handler panic into HTTP 500
//! and code 5001, so those answers count as crashes here too), and every answer is either
//! the IRP envelope (`Status` 0 or 1, a non-empty `ErrorDetails` array of
//! `{ErrorCode, ErrorMessage}` on 0) with HTTP 200, or one of the documented HTTP refusals
//! (413, 415, 404, 405), themselves in the envelope. The sandbox-only e-way bill system
//! answers in its own envelope (`status` "1"/"0").

// A failed invariant must panic: that is how libFuzzer learns of it. (`serde_json::Value`
// indexing never panics: a missing member is `Null`.)
#![allow(clippy::panic, clippy::expect_used, clippy::indexing_slicing)]

use std::{
    net::SocketAddr,
    sync::{LazyLock, OnceLock},
};

use axum::{
    Router,
    body::Body,
    extract::ConnectInfo,
    http::{Method, Request},
};
use http_body_util::BodyExt;
use irp_client::{Caller, Session};
use irp_emulator::{clock::Clock, config::Settings, keys::KeySet, state::AppState};
use rsa::{RsaPublicKey, pkcs8::DecodePublicKey};
use serde_json::{Value, json};
use time::macros::datetime;
use tower::ServiceExt;

/// The default API client of the emulator.
pub const CLIENT_ID: &str = "irp-emulator-client";
/// Its secret.
pub const CLIENT_SECRET: &str = "irp-emulator-secret";
/// The large supplier, the fuzzed session's GSTIN.
pub const GSTIN: &str = "29AAACL1111A1ZD";
/// Its user.
pub const USER: &str = "large_supplier";
/// The users' password.
pub const PASSWORD: &str = "Emulator@123";

/// The emulator of this process and a session in it.
pub struct Harness {
    runtime: tokio::runtime::Runtime,
    app: Router,
    /// The state behind the router.
    pub state: AppState,
    /// A logged-in session of the large supplier.
    pub session: Session,
    /// The auth public key clients encrypt credentials with.
    pub auth_public: RsaPublicKey,
}

/// The process's harness, built on first use.
pub fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(Harness::new)
}

impl Harness {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let mut settings = Settings::default();
        // Millions of calls: keep the journal (which records every one) small.
        settings.journal.max_entries = 1000;
        let keys = KeySet::embedded().expect("test keys");
        let auth_public =
            RsaPublicKey::from_public_key_pem(&keys.pems.auth_public).expect("auth public key");
        let clock = Clock::fixed(datetime!(2026-03-31 10:00:00 +5:30));
        let state = runtime
            .block_on(async { AppState::new(settings, keys, clock) })
            .expect("state");
        let app = irp_emulator::app(state.clone());
        let mut harness = Self {
            runtime,
            app,
            state,
            session: Session {
                gstin: String::new(),
                user: String::new(),
                token: String::new(),
                sek: Vec::new(),
                expiry: String::new(),
            },
            auth_public,
        };
        let login = irp_client::Login::new(GSTIN, USER, PASSWORD).with_app_key(&[0x5a; 32]);
        let outgoing = irp_client::request::auth_request(&caller(), &login, &harness.auth_public)
            .expect("auth request");
        let request = outgoing.to_http("").expect("auth request").map(Body::from);
        let (status, body) = harness.send(request);
        let answer: Value = serde_json::from_slice(&body).expect("auth answer is JSON");
        assert_eq!(status, 200, "{answer}");
        let (_, session) =
            irp_client::answer::open_login(&login, &answer).expect("auth answer opens");
        harness.session = session.expect("logged in");
        harness
    }

    /// Sends `request` through the router as a loopback caller: (HTTP status, body).
    pub fn send(&self, mut request: Request<Body>) -> (u16, Vec<u8>) {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        self.runtime.block_on(async {
            let response = self
                .app
                .clone()
                .oneshot(request)
                .await
                .unwrap_or_else(|e| match e {});
            let status = response.status().as_u16();
            let body = response
                .into_body()
                .collect()
                .await
                .expect("the body is readable")
                .to_bytes()
                .to_vec();
            (status, body)
        })
    }

    /// Runs a future on the harness's runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}

/// The emulator's default client.
pub fn caller() -> Caller {
    Caller::new(CLIENT_ID, CLIENT_SECRET)
}

/// A request read loosely from fuzzer bytes: `Name: value` lines up to the first empty
/// line, then the body. Lines that are not a valid header are skipped, so every input
/// makes a request.
#[derive(Debug, Default)]
pub struct Loose {
    /// The headers.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Loose {
    /// Splits `bytes` into headers and body (no blank line: all body).
    pub fn parse(bytes: &[u8]) -> Self {
        let Some(split) = bytes.windows(2).position(|w| w == b"\n\n") else {
            return Self {
                headers: Vec::new(),
                body: bytes.to_vec(),
            };
        };
        let (head, body) = bytes.split_at(split);
        let headers = head
            .split(|&b| b == b'\n')
            .filter_map(|line| {
                let colon = line.iter().position(|&b| b == b':')?;
                let (name, value) = line.split_at(colon);
                let value = value.get(1..).unwrap_or_default().trim_ascii();
                Some((String::from_utf8_lossy(name).into_owned(), value.to_vec()))
            })
            .collect();
        Self {
            headers,
            body: body.get(2..).unwrap_or_default().to_vec(),
        }
    }
}

/// Builds `method path` with `base` headers, then `extra` (same name: replaced; an empty
/// value: removed), then the body. Header names or values the HTTP types refuse are
/// dropped, as a real client could not send them either.
pub fn build(
    method: Method,
    path: &str,
    base: &[(&str, &str)],
    extra: &[(String, Vec<u8>)],
    body: Vec<u8>,
) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .body(Body::from(body))
        .expect("a fixed method and path");
    let headers = request.headers_mut();
    for (name, value) in base {
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::try_from(*name),
            axum::http::HeaderValue::try_from(*value),
        ) {
            headers.insert(name, value);
        }
    }
    for (name, value) in extra {
        let Ok(name) = axum::http::HeaderName::try_from(name.as_str()) else {
            continue;
        };
        if value.is_empty() {
            headers.remove(&name);
        } else if let Ok(value) = axum::http::HeaderValue::from_bytes(value) {
            headers.insert(name, value);
        }
    }
    request
}

/// The documented HTTP refusals and their codes, in the envelope.
const REFUSALS: [(u16, &str); 4] = [(413, "5002"), (415, "415"), (404, "404"), (405, "405")];

/// Panics unless (`status`, `body`) is the IRP envelope with HTTP 200 or a documented
/// refusal. Returns the answer.
pub fn assert_irp_answer(status: u16, body: &[u8]) -> Value {
    let answer: Value = serde_json::from_slice(body).unwrap_or_else(|e| {
        panic!(
            "HTTP {status}: not JSON ({e}): {}",
            String::from_utf8_lossy(body)
        )
    });
    let code = answer["ErrorDetails"][0]["ErrorCode"].as_str();
    if status == 200 && answer.get("status").is_some() {
        // The e-way bill system's own envelope.
        assert!(
            matches!(answer["status"].as_str(), Some("0" | "1")),
            "{answer}"
        );
        return answer;
    }
    match REFUSALS.iter().find(|(s, _)| *s == status) {
        Some((_, expected)) => {
            assert_eq!(answer["Status"], json!(0), "HTTP {status}: {answer}");
            assert_eq!(code, Some(*expected), "HTTP {status}: {answer}");
        }
        None => assert_eq!(status, 200, "undocumented HTTP status: {answer}"),
    }
    match answer["Status"].as_u64() {
        Some(1) => {}
        Some(0) => {
            let details = answer["ErrorDetails"]
                .as_array()
                .unwrap_or_else(|| panic!("Status 0 without ErrorDetails: {answer}"));
            assert!(!details.is_empty(), "empty ErrorDetails: {answer}");
            for detail in details {
                assert!(detail["ErrorCode"].is_string(), "{answer}");
                assert!(detail["ErrorMessage"].is_string(), "{answer}");
            }
            assert_ne!(code, Some("5001"), "a handler panicked: {answer}");
        }
        _ => panic!("no Status 0/1: {answer}"),
    }
    answer
}

/// A valid Generate IRN request body (the plaintext), dated the day before the harness's
/// clock: the start the invoice target mutates when its input is not JSON.
pub static SAMPLE_INVOICE: LazyLock<Value> = LazyLock::new(|| {
    let spec =
        irp_emulator::samples::InvoiceSpec::simple("FUZZ/1", time::macros::date!(2026 - 03 - 30));
    irp_emulator::samples::invoice(&spec)
});
