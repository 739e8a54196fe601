//! Whole-request costs through the router (no socket): authentication (one RSA decrypt and
//! the session work), an authenticated, encrypted GSTIN lookup, and Generate IRN (schema,
//! rules, registration and two RS256 signatures), next to its validation alone and the
//! duplicate answer, so the share of the two signatures is visible in one run.

#![allow(clippy::expect_used, clippy::indexing_slicing, missing_docs)]

use std::hint::black_box;

use aws_lc_rs::cipher::{
    AES_256, DecryptionContext, PaddedBlockDecryptingKey, PaddedBlockEncryptingKey,
    UnboundCipherKey,
};
use axum::{body::Body, http::Request};
use base64::{Engine, engine::general_purpose::STANDARD};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use irp_emulator::{
    clock::Clock,
    config::Settings,
    keys::KeySet,
    registration,
    samples::{self, InvoiceSpec, ItemSpec},
    state::AppState,
};
use rsa::{Pkcs1v15Encrypt, RsaPublicKey, pkcs8::DecodePublicKey};
use time::macros::date;
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

    let seal = |plain: &[u8]| {
        let key = PaddedBlockEncryptingKey::ecb_pkcs7(
            UnboundCipherKey::new(&AES_256, &sek).expect("key"),
        )
        .expect("key");
        let mut buffer = plain.to_vec();
        key.encrypt(&mut buffer).expect("encrypt");
        serde_json::json!({ "Data": STANDARD.encode(buffer) }).to_string()
    };
    let invoice = |n: u64| {
        let mut spec = InvoiceSpec::simple(&format!("BENCH/{n}"), date!(2026 - 03 - 30));
        spec.items = (0..5)
            .map(|i| ItemSpec::goods("84713010", f64::from(i + 1), 999.5, 18.0))
            .collect();
        samples::invoice(&spec)
    };
    // The clock is fixed on the document date's next day so the 30-day rule never trips.
    state
        .clock
        .freeze_at(time::macros::datetime!(2026-03-31 10:00:00 +5:30));
    let mut counter = 0_u64;
    let mut group = c.benchmark_group("generate_irn");
    group.bench_function("five_items", |b| {
        b.iter_batched(
            || {
                counter += 1;
                seal(invoice(counter).to_string().as_bytes())
            },
            |body| {
                let answer = runtime.block_on(call(
                    &state,
                    request("POST", "/eicore/v1.03/Invoice", Some(&token), body),
                ));
                assert_eq!(answer["Status"], 1, "{answer}");
            },
            BatchSize::SmallInput,
        );
    });
    let caller = irp_emulator::gstin::Gstin::parse("29AAACL1111A1ZD").expect("gstin");
    group.bench_function("validation_only", |b| {
        b.iter_batched(
            || invoice(1),
            |document| registration::check(&state, &caller, document).expect("valid"),
            BatchSize::SmallInput,
        );
    });
    let duplicate = seal(invoice(1).to_string().as_bytes());
    group.bench_function("duplicate_2150", |b| {
        b.iter(|| {
            runtime.block_on(call(
                &state,
                request(
                    "POST",
                    "/eicore/v1.03/Invoice",
                    Some(&token),
                    duplicate.clone(),
                ),
            ))
        });
    });
    group.finish();
}

criterion_group!(benches, http);
criterion_main!(benches);
