//! The registry in a SQLite file (a temporary directory, default `synchronous`) prefilled to
//! 10,000 registrations, and with `IRP_BENCH_LARGE=1` also to 1,000,000 (8.3 GB, filled
//! in about a minute and a half on 2 cores): `stage/store_lookup/<n>`, a registered IRN read back (the duplicate
//! check of Generate IRN, and Get IRN), and `stage/store_insert/<n>`, an IRN claimed and
//! its row committed, as Generate IRN does (one transaction; with `synchronous` full, one
//! fsync). The prefill copies a real registration under its own IRNs and AckNos
//! (`registry::fill`), 10,000 rows a transaction, and prints its time and the file's size.
//! A store is filled only when one of its ids is selected, and deleted after them.

use std::{hint::black_box, time::Instant};

use criterion::{BatchSize, BenchmarkId, Criterion};
use irp_benches::BENCH_TIME;
use irp_emulator::{
    gstin::Gstin,
    invoice::{AckNo, DocType, Invoice},
    irn::{DocNoCase, FinancialYear, Irn},
    registry::{self, IrnRecord, NewRecord, Registry},
    store::{DB_FILE, Location, Store, StoreOptions},
};
use tempfile::TempDir;
use tokio::runtime::Runtime;

use crate::Bench;

/// Rows a prefill transaction holds.
const CHUNK: u64 = 10_000;
/// Registered IRNs the lookups cycle through, picked at random.
const PROBES: usize = 4096;

/// A real registration: the row every prefilled one copies.
struct Template {
    record: IrnRecord,
    invoice: Invoice,
}

/// A registry prefilled to `rows`; fields drop in order, the directory last.
struct Filled {
    registry: Registry,
    probes: Vec<Irn>,
    inserted: u64,
    _dir: TempDir,
}

/// The IRN of document `{prefix}/{n}` of `seller`.
fn irn_of(seller: &Gstin, prefix: &str, n: u64) -> Irn {
    Irn::derive(
        seller,
        FinancialYear::of(BENCH_TIME.date()),
        DocType::Invoice,
        &format!("{prefix}/{n}"),
        DocNoCase::Upper,
    )
}

impl Filled {
    fn new(label: &str, rows: u64, template: &Template, runtime: &Runtime) -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let location = Location::Dir(dir.path().to_path_buf());
        let store = Store::open(&location, StoreOptions::default()).expect("store");
        let new = NewRecord {
            record: template.record.clone(),
            invoice: &template.invoice,
        };
        let seller = &template.record.supplier;
        let started = Instant::now();
        for first in (0..rows).step_by(CHUNK as usize) {
            let numbers = (first..(first + CHUNK).min(rows))
                .map(|n| {
                    (
                        irn_of(seller, "FILL", n),
                        AckNo::issue(BENCH_TIME.year(), n + 1),
                    )
                })
                .collect();
            runtime
                .block_on(registry::fill(&store, &new, numbers))
                .expect("fill");
        }
        let filled = started.elapsed();
        let started = Instant::now();
        let registry = Registry::open(store).expect("registry");
        let opened = started.elapsed();
        let size = |name: &str| std::fs::metadata(dir.path().join(name)).map_or(0, |m| m.len());
        let (db, wal) = (size(DB_FILE), size(&format!("{DB_FILE}-wal")));
        println!(
            "stage/store_*/{label}: {rows} registrations prefilled in {:.1} s, {db} B database \
             ({} B a registration) + {wal} B WAL; registry opened in {:.2} s",
            filled.as_secs_f64(),
            db / rows.max(1),
            opened.as_secs_f64(),
        );
        let mut x = 0x9E37_79B9_7F4A_7C15_u64;
        let probes: Vec<Irn> = (0..PROBES)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                irn_of(seller, "FILL", x % rows)
            })
            .collect();
        for irn in &probes {
            assert!(registry.get(irn).expect("lookup").is_some(), "{irn}");
        }
        Self {
            registry,
            probes,
            inserted: 0,
            _dir: dir,
        }
    }
}

pub(crate) fn stages(c: &mut Criterion, bench: &Bench) {
    let Bench { runtime, state, .. } = bench;
    let irn = Irn::parse(&bench.answer.irn).expect("irn");
    let template = Template {
        record: state.registry.get(&irn).expect("read").expect("registered"),
        invoice: state
            .registry
            .invoice(&irn)
            .expect("read")
            .expect("registered"),
    };
    let large = std::env::var("IRP_BENCH_LARGE").is_ok_and(|v| v == "1");
    let sizes: &[(&str, u64)] = if large {
        &[("10k", 10_000), ("1M", 1_000_000)]
    } else {
        &[("10k", 10_000)]
    };
    let mut group = c.benchmark_group("stage");
    for &(label, rows) in sizes {
        let mut fixture = None;
        let fill = || Filled::new(label, rows, &template, runtime);
        group.bench_function(BenchmarkId::new("store_lookup", label), |b| {
            let Filled {
                registry, probes, ..
            } = fixture.get_or_insert_with(fill);
            let mut next = probes.iter().cycle();
            b.iter(|| {
                let irn = next.next().expect("probes");
                registry.get(black_box(irn)).expect("lookup")
            });
        });
        group.bench_function(BenchmarkId::new("store_insert", label), |b| {
            let Filled {
                registry, inserted, ..
            } = fixture.get_or_insert_with(fill);
            let seller = &template.record.supplier;
            b.iter_batched(
                || {
                    *inserted += 1;
                    irn_of(seller, "INSERT", *inserted)
                },
                |irn| {
                    let claim = registry
                        .reserve(&irn, BENCH_TIME, &irp_emulator::irp::Irp::default())
                        .expect("store")
                        .expect("a new document");
                    let record = IrnRecord {
                        irn,
                        ack_no: claim.ack_no,
                        ..template.record.clone()
                    };
                    let new = NewRecord {
                        record,
                        invoice: &template.invoice,
                    };
                    runtime
                        .block_on(registry.commit(claim, new))
                        .expect("commit");
                },
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}
