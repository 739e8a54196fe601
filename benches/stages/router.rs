//! The whole of Generate IRN through the router, no socket, state in memory (as `http`
//! measures the other APIs): `stage/generate_irn_router`, a new five-item registration with
//! its journal entry, and `stage/duplicate_router`, the 2150 answer (with DUPIRN) to a
//! document already registered, which stops at the duplicate check.

use criterion::{BatchSize, Criterion};
use irp_benches::send;

use crate::Bench;

pub(crate) fn stages(c: &mut Criterion, bench: &Bench) {
    let (runtime, session) = (&bench.runtime, &bench.session);
    // Built once, as a server builds it: building it per request costs about as much again
    // as a whole duplicate answer.
    let app = irp_emulator::app(bench.state.clone());
    let answer = runtime.block_on(send(&app, session.generate(1)));
    assert_eq!(answer["Status"], 1, "{answer}");
    let duplicate = runtime.block_on(send(&app, session.generate(1)));
    assert_eq!(duplicate["Status"], 0, "{duplicate}");
    assert_eq!(
        duplicate["ErrorDetails"][0]["ErrorCode"], "2150",
        "{duplicate}"
    );

    let mut group = c.benchmark_group("stage");
    let mut counter = 1_u64;
    group.bench_function("generate_irn_router", |b| {
        b.iter_batched(
            || {
                counter += 1;
                session.generate(counter)
            },
            |request| {
                let answer = runtime.block_on(send(&app, request));
                assert_eq!(answer["Status"], 1, "{answer}");
            },
            BatchSize::SmallInput,
        );
    });
    group.bench_function("duplicate_router", |b| {
        b.iter_batched(
            || session.generate(1),
            |request| runtime.block_on(send(&app, request)),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}
