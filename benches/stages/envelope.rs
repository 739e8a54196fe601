//! The envelope at both ends of Generate IRN: `stage/envelope_open` (the `Encrypted`
//! extractor whole: client and token check, body, base64, AES decrypt, JSON),
//! `stage/payload_parse` (its last step alone), and `stage/answer_seal` (the answer
//! serialised, AES-encrypted and base64-encoded under the session key).

use std::hint::black_box;

use axum::extract::FromRequest;
use criterion::{BatchSize, Criterion};
use irp_benches::invoice;
use irp_emulator::{envelope::Encrypted, spelling::Spelled};
use serde_json::Value;

use crate::Bench;

pub(crate) fn stages(c: &mut Criterion, bench: &Bench) {
    let Bench {
        runtime,
        state,
        session,
        ..
    } = bench;
    let open = |request| runtime.block_on(Encrypted::<Value>::from_request(request, state));
    let opened = open(session.generate(1)).expect("opened");
    assert_eq!(opened.payload["DocDtls"]["No"], "BENCH/1");
    let plain = invoice(1).to_string();
    let auth = opened.auth;
    auth.seal(&bench.answer).expect("sealed");

    let mut group = c.benchmark_group("stage");
    group.bench_function("envelope_open", |b| {
        b.iter_batched(
            || session.generate(1),
            |request| open(request).expect("opened"),
            BatchSize::SmallInput,
        );
    });
    group.bench_function("payload_parse", |b| {
        b.iter(|| Value::read(black_box(plain.as_bytes())).expect("json"));
    });
    group.bench_function("answer_seal", |b| {
        b.iter(|| auth.seal(black_box(&bench.answer)).expect("sealed"));
    });
    group.finish();
}
