//! Criterion benchmarks of the IRP emulator; see the `[[bench]]` targets. This library is
//! the benches' client side: credentials, session key handling, sealed requests and sample
//! invoices, written against the wire protocol rather than the emulator's own code.

#![allow(clippy::expect_used, clippy::indexing_slicing)]

use aws_lc_rs::cipher::{
    AES_256, DecryptionContext, PaddedBlockDecryptingKey, PaddedBlockEncryptingKey,
    UnboundCipherKey,
};
use axum::{body::Body, http::Request};
use base64::{Engine, engine::general_purpose::STANDARD};
use http_body_util::BodyExt;
use irp_emulator::{
    keys::KeySet,
    samples::{self, InvoiceSpec, ItemSpec},
    state::AppState,
};
use rsa::{Pkcs1v15Encrypt, RsaPublicKey, pkcs8::DecodePublicKey};
use serde_json::Value;
use time::macros::date;
use tower::ServiceExt;

const APP_KEY: [u8; 32] = [42; 32];

/// The auth request body for the large supplier's user.
pub fn auth_body(keys: &KeySet, force: bool) -> String {
    let public = RsaPublicKey::from_public_key_pem(&keys.pems.auth_public).expect("public key");
    let credentials = serde_json::json!({
        "UserName": "large_supplier", "Password": "Emulator@123",
        "AppKey": STANDARD.encode(APP_KEY), "ForceRefreshAccessToken": force,
    });
    let inner = STANDARD.encode(credentials.to_string());
    let block = public
        .encrypt(
            &mut rsa::rand_core::OsRng,
            Pkcs1v15Encrypt,
            inner.as_bytes(),
        )
        .expect("encrypt");
    serde_json::json!({ "Data": STANDARD.encode(block) }).to_string()
}

/// A request with the large supplier's headers (and token, when given).
pub fn request(method: &str, uri: &str, token: Option<&str>, body: String) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header("client_id", "irp-emulator-client")
        .header("client_secret", "irp-emulator-secret")
        .header("Gstin", "29AAACL1111A1ZD")
        .header("user_name", "large_supplier")
        .header("content-type", "application/json");
    if let Some(token) = token {
        builder = builder.header("AuthToken", token);
    }
    builder.body(Body::from(body)).expect("request")
}

/// Sends `req` through the router and parses the answer.
pub async fn call(state: &AppState, req: Request<Body>) -> Value {
    let response = irp_emulator::app(state.clone())
        .oneshot(req)
        .await
        .expect("infallible");
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    serde_json::from_slice(&bytes).expect("json")
}

/// A logged-in session.
#[derive(Debug, Clone)]
pub struct Session {
    /// `AuthToken`.
    pub token: String,
    /// The unwrapped SEK.
    pub sek: Vec<u8>,
}

impl Session {
    /// Authenticates through the router.
    pub async fn login(state: &AppState) -> Self {
        let body = auth_body(&state.keys, false);
        let auth = call(state, request("POST", "/eivital/v1.04/auth", None, body)).await;
        let token = auth["Data"]["AuthToken"]
            .as_str()
            .expect("token")
            .to_owned();
        let mut sek = STANDARD
            .decode(auth["Data"]["Sek"].as_str().expect("sek"))
            .expect("b64");
        let key = PaddedBlockDecryptingKey::ecb_pkcs7(
            UnboundCipherKey::new(&AES_256, &APP_KEY).expect("key"),
        )
        .expect("key");
        let sek = key
            .decrypt(&mut sek, DecryptionContext::None)
            .expect("sek")
            .to_vec();
        assert_eq!(sek.len(), 32);
        Self { token, sek }
    }

    /// `{"Data": base64(AES(SEK, plain))}`.
    pub fn seal(&self, plain: &[u8]) -> String {
        let key = PaddedBlockEncryptingKey::ecb_pkcs7(
            UnboundCipherKey::new(&AES_256, &self.sek).expect("key"),
        )
        .expect("key");
        let mut buffer = plain.to_vec();
        key.encrypt(&mut buffer).expect("encrypt");
        serde_json::json!({ "Data": STANDARD.encode(buffer) }).to_string()
    }

    /// A sealed Generate IRN request for document `n`.
    pub fn generate(&self, n: u64) -> Request<Body> {
        let body = self.seal(invoice(n).to_string().as_bytes());
        request("POST", "/eicore/v1.03/Invoice", Some(&self.token), body)
    }
}

/// A five-line invoice of the large supplier, document `BENCH/n` dated 2026-03-30 (freeze
/// the clock at 2026-03-31 so the 30-day rule never trips).
pub fn invoice(n: u64) -> Value {
    let mut spec = InvoiceSpec::simple(&format!("BENCH/{n}"), date!(2026 - 03 - 30));
    spec.items = (0..5)
        .map(|i| ItemSpec::goods("84713010", f64::from(i + 1), 999.5, 18.0))
        .collect();
    samples::invoice(&spec)
}

/// The fixed moment the benches run at.
pub const BENCH_TIME: time::OffsetDateTime = time::macros::datetime!(2026-03-31 10:00:00 +5:30);
