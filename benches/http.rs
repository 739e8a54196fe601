//! Whole-request costs through the router (no socket): authentication (one RSA decrypt and
//! the session work) and an authenticated, encrypted GSTIN lookup.

#![allow(clippy::expect_used, clippy::indexing_slicing, missing_docs)]

use std::hint::black_box;

use aws_lc_rs::cipher::{AES_256, DecryptionContext, PaddedBlockDecryptingKey, UnboundCipherKey};
use axum::{body::Body, http::Request};
use base64::{Engine, engine::general_purpose::STANDARD};
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use irp_emulator::{clock::Clock, config::Settings, keys::KeySet, state::AppState};
use rsa::{Pkcs1v15Encrypt, RsaPublicKey, pkcs8::DecodePublicKey};
use tower::ServiceExt;

const APP_KEY: [u8; 32] = [42; 32];

fn auth_body(keys: &KeySet, force: bool) -> String {
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

fn request(method: &str, uri: &str, token: Option<&str>, body: String) -> Request<Body> {
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

async fn call(state: &AppState, req: Request<Body>) -> serde_json::Value {
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

fn http(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let keys = KeySet::embedded().expect("keys");
    let body = auth_body(&keys, false);
    let state = AppState::new(Settings::default(), keys, Clock::system()).expect("state");
    let auth = runtime.block_on(call(
        &state,
        request("POST", "/eivital/v1.04/auth", None, body.clone()),
    ));
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

    let mut group = c.benchmark_group("http");
    group.bench_function("auth_reuse", |b| {
        b.iter(|| {
            runtime.block_on(call(
                &state,
                request("POST", "/eivital/v1.04/auth", None, black_box(body.clone())),
            ))
        });
    });
    group.bench_function("gstin_details", |b| {
        b.iter(|| {
            runtime.block_on(call(
                &state,
                request(
                    "GET",
                    "/eivital/v1.04/Master/gstin/27AAACB4444D1Z3",
                    Some(&token),
                    String::new(),
                ),
            ))
        });
    });
    group.finish();
}

criterion_group!(benches, http);
criterion_main!(benches);
