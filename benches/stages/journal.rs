//! `stage/journal_write`: the entry the router journaled for a Generate IRN, appended the
//! way the journal layer appends it (`Journal::append`: queued for the writer's next group
//! commit) to a store on disk (a temporary directory, default `synchronous`). A sample of n
//! entries waits once for their commit, so criterion's slope is one entry's cost to the
//! writer, its share of the commits included.

use std::time::Instant;

use criterion::Criterion;
use irp_emulator::{
    api::Api,
    journal::{Filter, Journal, Retention},
    store::{Location, Store, StoreOptions},
};

use crate::Bench;

pub(crate) fn stage(c: &mut Criterion, bench: &Bench) {
    let Bench { runtime, state, .. } = bench;
    runtime.block_on(state.journal.flush()).expect("flush");
    let generated = Filter {
        api: Some(Api::GenerateIrn),
        status: Some(1),
        limit: Some(1),
        ..Filter::default()
    };
    let entry = state
        .journal
        .query(&generated)
        .expect("query")
        .pop()
        .expect("a Generate IRN entry");
    assert!(!entry.request.is_null() && !entry.response.is_null());

    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(
        &Location::Dir(dir.path().to_path_buf()),
        StoreOptions::default(),
    )
    .expect("store");
    let journal = Journal::new(store, Retention::default());
    journal.append(entry.clone());
    runtime.block_on(journal.flush()).expect("flush");
    let written = journal.query(&generated).expect("query");
    assert_eq!(
        written.first().map(|e| &e.request_id),
        Some(&entry.request_id)
    );

    let mut group = c.benchmark_group("stage");
    group.bench_function("journal_write", |b| {
        b.iter_custom(|entries| {
            let started = Instant::now();
            for _ in 0..entries {
                journal.append(entry.clone());
            }
            runtime.block_on(journal.flush()).expect("flush");
            started.elapsed()
        });
    });
    group.finish();
}
