//! Criterion benchmarks of the IRP emulator; see the `[[bench]]` targets. This library is
//! the benches' client side: credentials, session key handling and sealed requests come
//! from `irp-client`'s sans-IO core (not the emulator's own code), plus sample invoices.

#![allow(clippy::expect_used, clippy::indexing_slicing)]

use axum::{Router, body::Body, http::Request};
use http_body_util::BodyExt;
use irp_client::{
    Caller, Endpoint, Login, answer, cipher,
    request::{api_request, auth_request},
};
use irp_emulator::{
    keys::KeySet,
    samples::{self, InvoiceSpec, ItemSpec},
    state::AppState,
};
use rsa::{RsaPublicKey, pkcs8::DecodePublicKey};
use serde_json::Value;
use time::macros::date;
use tower::ServiceExt;

const APP_KEY: [u8; 32] = [42; 32];
const GSTIN: &str = "29AAACL1111A1ZD";

fn caller() -> Caller {
    Caller::new("irp-emulator-client", "irp-emulator-secret")
}

fn login_of(force: bool) -> Login {
    Login::new(GSTIN, "large_supplier", "Emulator@123")
        .with_app_key(&APP_KEY)
        .force_refresh(force)
}

fn public_key(keys: &KeySet) -> RsaPublicKey {
    RsaPublicKey::from_public_key_pem(&keys.pems.auth_public).expect("public key")
}

/// The auth request body for the large supplier's user.
pub fn auth_body(keys: &KeySet, force: bool) -> String {
    let outgoing = auth_request(&caller(), &login_of(force), &public_key(keys)).expect("auth");
    outgoing.body.expect("body").to_string()
}

/// A request with the large supplier's headers (and token, when given), for bodies built
/// once outside the measured loop.
pub fn request(method: &str, uri: &str, token: Option<&str>, body: String) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header("client_id", "irp-emulator-client")
        .header("client_secret", "irp-emulator-secret")
        .header("Gstin", GSTIN)
        .header("user_name", "large_supplier")
        .header("content-type", "application/json");
    if let Some(token) = token {
        builder = builder.header("AuthToken", token);
    }
    builder.body(Body::from(body)).expect("request")
}

/// Sends `req` through a router built for this one call and parses the answer (for setup;
/// measured loops use [`send`] on a router built once, as a server does).
pub async fn call(state: &AppState, req: Request<Body>) -> Value {
    send(&irp_emulator::app(state.clone()), req).await
}

/// Sends `req` through `app` (built once by `irp_emulator::app`) and parses the answer.
pub async fn send(app: &Router, req: Request<Body>) -> Value {
    let response = app.clone().oneshot(req).await.expect("infallible");
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    serde_json::from_slice(&bytes).expect("json")
}

/// A logged-in session (irp-client's), with the benches' shortcuts.
#[derive(Debug, Clone)]
pub struct Session {
    /// `AuthToken`.
    pub token: String,
    session: irp_client::Session,
}

impl Session {
    /// Authenticates through the router.
    pub async fn login(state: &AppState) -> Self {
        let login = login_of(false);
        let outgoing = auth_request(&caller(), &login, &public_key(&state.keys)).expect("auth");
        let request = outgoing.to_http("").expect("request").map(Body::from);
        let raw = call(state, request).await;
        let (_, session) = answer::open_login(&login, &raw).expect("sek");
        let session = session.expect("authenticated");
        assert_eq!(session.sek.len(), 32);
        Self {
            token: session.token.clone(),
            session,
        }
    }

    /// `{"Data": base64(AES(SEK, plain))}`.
    pub fn seal(&self, plain: &[u8]) -> String {
        let sealed = cipher::seal(&self.session.sek, plain).expect("seal");
        serde_json::json!({ "Data": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, sealed) })
            .to_string()
    }

    /// A sealed Generate IRN request for document `n`.
    pub fn generate(&self, n: u64) -> Request<Body> {
        let outgoing = api_request(
            &caller(),
            &self.session,
            &Endpoint::generate_irn(),
            Some(&invoice(n)),
        )
        .expect("request");
        outgoing.to_http("").expect("request").map(Body::from)
    }
}

/// A five-line invoice of the large supplier, document `BENCH/n` dated 2026-03-30 (freeze
/// the clock at 2026-03-31 so the 30-day rule never trips).
pub fn invoice(n: u64) -> Value {
    invoice_of(n, 5)
}

/// [`invoice`] with `lines` lines.
pub fn invoice_of(n: u64, lines: u32) -> Value {
    let mut spec = InvoiceSpec::simple(&format!("BENCH/{n}"), date!(2026 - 03 - 30));
    spec.items = (0..lines)
        .map(|i| ItemSpec::goods("84713010", f64::from(i + 1), 999.5, 18.0))
        .collect();
    samples::invoice(&spec)
}

/// The fixed moment the benches run at.
pub const BENCH_TIME: time::OffsetDateTime = time::macros::datetime!(2026-03-31 10:00:00 +5:30);
