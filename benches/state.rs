//! Generate IRN throughput with the state on disk (SQLite, WAL, group commit) against
//! `--in-memory`, in one run, next to the machine's RSA-2048 signing rate: 64 concurrent
//! registrations per iteration on a 4-worker runtime, each answered only after its commit.
//!
//! Quote the results as ratios to `rsa2048_sign` (both are reported per element).

#![allow(clippy::expect_used, clippy::indexing_slicing, missing_docs)]

use std::sync::atomic::{AtomicU64, Ordering};

use aws_lc_rs::{rand::SystemRandom, signature::RSA_PKCS1_SHA256};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use irp_benches::{BENCH_TIME, Session, send};
use irp_emulator::{
    clock::Clock,
    config::Settings,
    keys::KeySet,
    state::AppState,
    store::{Location, Store, StoreOptions, Synchronous},
};

const CONCURRENT: u64 = 64;

fn state_on(location: &Location, synchronous: Synchronous) -> AppState {
    let options = StoreOptions {
        synchronous,
        ..StoreOptions::default()
    };
    let store = Store::open(location, options).expect("store");
    let state = AppState::open(
        Settings::default(),
        KeySet::embedded().expect("keys"),
        Clock::system(),
        store,
    )
    .expect("state");
    state.clock.freeze_at(BENCH_TIME);
    state
}

fn throughput(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("dir");
    let variants = [
        ("in_memory", Location::Memory, Synchronous::Full),
        (
            "disk_sync_full",
            Location::Dir(dir.path().join("full")),
            Synchronous::Full,
        ),
        (
            "disk_sync_normal",
            Location::Dir(dir.path().join("normal")),
            Synchronous::Normal,
        ),
    ];
    let mut group = c.benchmark_group("generate_throughput");
    group.throughput(Throughput::Elements(CONCURRENT));
    let keys = KeySet::embedded().expect("keys");
    let rng = SystemRandom::new();
    let mut signature = vec![0; keys.signing.public_modulus_len()];
    group.bench_function("rsa2048_sign", |b| {
        b.iter(|| {
            for _ in 0..CONCURRENT {
                keys.signing
                    .sign(
                        &RSA_PKCS1_SHA256,
                        &rng,
                        b"payload of a typical size",
                        &mut signature,
                    )
                    .expect("sign");
            }
        });
    });
    for (name, location, synchronous) in &variants {
        let state = state_on(location, *synchronous);
        let session = runtime.block_on(Session::login(&state));
        let app = irp_emulator::app(state.clone());
        let counter = AtomicU64::new(0);
        group.bench_function(*name, |b| {
            b.iter(|| {
                runtime.block_on(async {
                    let tasks: Vec<_> = (0..CONCURRENT)
                        .map(|_| {
                            let request = session.generate(counter.fetch_add(1, Ordering::Relaxed));
                            let app = app.clone();
                            tokio::spawn(async move { send(&app, request).await })
                        })
                        .collect();
                    for task in tasks {
                        let answer = task.await.expect("task");
                        assert_eq!(answer["Status"], 1, "{answer}");
                    }
                });
            });
        });
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
