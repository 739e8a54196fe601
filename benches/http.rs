//! Whole-request costs through the router (no socket): authentication (one RSA decrypt and
//! the session work), an authenticated, encrypted GSTIN lookup, and Generate IRN (schema,
//! rules, registration and two RS256 signatures), next to its validation alone and the
//! duplicate answer, so the share of the two signatures is visible in one run.

#![allow(clippy::expect_used, clippy::indexing_slicing, missing_docs)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use irp_benches::{BENCH_TIME, Session, auth_body, call, invoice, request};
use irp_emulator::{clock::Clock, config::Settings, keys::KeySet, registration, state::AppState};

fn http(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let keys = KeySet::embedded().expect("keys");
    let body = auth_body(&keys, false);
    let state = AppState::new(Settings::default(), keys, Clock::system()).expect("state");
    let session = runtime.block_on(Session::login(&state));
    let token = session.token.clone();

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

    // The clock is fixed on the document date's next day so the 30-day rule never trips.
    state.clock.freeze_at(BENCH_TIME);
    let mut counter = 0_u64;
    let mut group = c.benchmark_group("generate_irn");
    group.bench_function("five_items", |b| {
        b.iter_batched(
            || {
                counter += 1;
                session.generate(counter)
            },
            |request| {
                let answer = runtime.block_on(call(&state, request));
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
    let duplicate = session.seal(invoice(1).to_string().as_bytes());
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
