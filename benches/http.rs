//! Whole-request costs through the router (no socket) of the APIs around Generate IRN:
//! authentication (one RSA decrypt and the session work) and an authenticated, encrypted
//! GSTIN lookup. Generate IRN itself, whole and stage by stage, is in `stages`.

#![allow(clippy::expect_used, clippy::indexing_slicing, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use irp_benches::{Session, auth_body, request, send};
use irp_emulator::{clock::Clock, config::Settings, keys::KeySet, state::AppState};

fn http(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let keys = KeySet::embedded().expect("keys");
    let body = auth_body(&keys, false);
    let state = AppState::new(Settings::default(), keys, Clock::system()).expect("state");
    let session = runtime.block_on(Session::login(&state));
    let token = session.token.clone();
    let app = irp_emulator::app(state.clone());
    let auth = runtime.block_on(send(
        &app,
        request("POST", "/eivital/v1.04/auth", None, body.clone()),
    ));
    assert_eq!(auth["Status"], 1, "{auth}");

    let mut group = c.benchmark_group("http");
    group.bench_function("auth_reuse", |b| {
        b.iter(|| {
            runtime.block_on(send(
                &app,
                request("POST", "/eivital/v1.04/auth", None, black_box(body.clone())),
            ))
        });
    });
    let lookup = || {
        request(
            "GET",
            "/eivital/v1.04/Master/gstin/27AAACB4444D1Z3",
            Some(&token),
            String::new(),
        )
    };
    let answer = runtime.block_on(send(&app, lookup()));
    assert_eq!(answer["Status"], 1, "{answer}");
    group.bench_function("gstin_details", |b| {
        b.iter(|| runtime.block_on(send(&app, lookup())));
    });
    group.finish();
}

criterion_group!(benches, http);
criterion_main!(benches);
