//! `stage/journal_write`: the entry the router journaled for a Generate IRN, appended the
//! way the journal layer appends it (`Journal::append`: queued for the writer's next group
//! commit) to a store on disk (a temporary directory, default `synchronous`) whose journal
//! is already at its default retention bound, so the pruning a long run pays is in the
//! figure and the figure does not drift as the journal grows. A sample of n entries waits
//! once for their commit, so criterion's slope is one entry's cost to the writer, its share
//! of the commits and prunes included. The prefill's size and time are printed.

use std::time::Instant;

use criterion::Criterion;
use irp_emulator::{
    api::Api,
    journal::{Entry, Filter, Journal, Retention},
    store::{Location, Store, StoreOptions},
};

use tokio::runtime::Runtime;

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
    let journal = Journal::new(store, Retention::default()).expect("journal");
    journal.append(entry.clone());
    runtime.block_on(journal.flush()).expect("flush");
    let written = journal.query(&generated).expect("query");
    assert_eq!(
        written.first().map(|e| &e.request_id),
        Some(&entry.request_id)
    );

    let mut prefilled = false;
    let mut group = c.benchmark_group("stage");
    group.bench_function("journal_write", |b| {
        if !std::mem::replace(&mut prefilled, true) {
            prefill(&journal, &entry, runtime);
        }
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

/// Appends copies of `entry` until the default retention has pruned the journal: a tenth
/// more than the entry count or the byte budget allows, whichever binds first.
fn prefill(journal: &Journal, entry: &Entry, runtime: &Runtime) {
    let retention = Retention::default();
    let size = (entry.request.to_string().len() + entry.response.to_string().len()) as u64;
    let count = retention
        .max_entries
        .min(retention.max_bytes / size.max(1))
        .saturating_mul(11)
        / 10;
    let started = Instant::now();
    for _ in 0..count {
        journal.append(entry.clone());
    }
    runtime.block_on(journal.flush()).expect("flush");
    println!(
        "stage/journal_write: {count} entries of {size} B payload appended in {:.1} s \
         (the journal at its retention bound)",
        started.elapsed().as_secs_f64()
    );
}
