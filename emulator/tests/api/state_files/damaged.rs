//! Damaged state: zeroed pages in the database or an export, and a lost, truncated or stale
//! WAL. One test per defect, named after it; each failed before its fix.

use std::path::{Path, PathBuf};

use irp_emulator::store::DB_FILE;
use serde_json::{Value, json};

use super::{BIN, FIXTURE_TIME, fixture_invoice, refused};
use crate::{
    invoice::GENERATE,
    wire::{Process, Wire},
};

/// A data directory with registrations (some with an e-way bill, one cancelled), stopped
/// cleanly so that everything is in the database file.
pub(super) async fn made_data_dir(registrations: usize) -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let process = Process::with_data_dir(&data);
    let wire = Wire::login(&process.url).await;
    wire.control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
        .await;
    for i in 0..registrations {
        let doc = format!("DMG-{i:03}");
        let answer = wire.open(
            &wire
                .post(GENERATE, &fixture_invoice(&doc, i % 3 == 0))
                .await
                .unwrap(),
        );
        if i == 1 {
            let cancel = json!({"Irn": answer["Irn"], "CnlRsn": "1", "CnlRem": "Duplicate"});
            wire.open(
                &wire
                    .post("/eicore/v1.03/Invoice/Cancel", &cancel)
                    .await
                    .unwrap(),
            );
        }
    }
    process.stop();
    (work, data)
}

/// The page size a SQLite file's header gives (offset 16, big-endian; 1 means 65536).
fn page_size(file: &[u8]) -> usize {
    match u16::from_be_bytes([file[16], file[17]]) {
        1 => 65536,
        n => usize::from(n),
    }
}

/// `file` with page `page` (1-based) zeroed.
fn zeroed(file: &[u8], page: usize) -> Vec<u8> {
    let size = page_size(file);
    let mut out = file.to_vec();
    out[(page - 1) * size..page * size].fill(0);
    out
}

fn pages(file: &[u8]) -> usize {
    file.len() / page_size(file)
}

#[tokio::test]
async fn a_database_with_a_zeroed_page_is_refused_at_start() {
    let (_work, data) = made_data_dir(30).await;
    let db = data.join(DB_FILE);
    let whole = std::fs::read(&db).unwrap();
    assert!(pages(&whole) > 20, "{} pages", pages(&whole));
    let damaged = zeroed(&whole, pages(&whole) / 2);
    std::fs::write(&db, &damaged).unwrap();

    let (ok, stderr) = refused(&data);
    assert!(!ok, "a database with a zeroed page was accepted");
    assert!(stderr.contains("integrity check failed"), "{stderr}");
    assert!(
        std::fs::read(&db).unwrap() == damaged,
        "the file was modified"
    );
}

#[tokio::test]
async fn an_export_with_zeroed_pages_is_refused_at_import() {
    let (work, data) = made_data_dir(30).await;
    let export = work.path().join("export.sqlite");
    let run = |action: &str, dir: &Path| {
        std::process::Command::new(BIN)
            .args(["state", action, "--data-dir"])
            .arg(dir)
            .arg(&export)
            .output()
            .unwrap()
    };
    assert!(run("export", &data).status.success());
    let whole = std::fs::read(&export).unwrap();
    let mut damaged = zeroed(&whole, pages(&whole) / 2);
    damaged = zeroed(&damaged, pages(&whole) / 3);
    std::fs::write(&export, &damaged).unwrap();

    let target = work.path().join("target");
    let import = run("import", &target);
    let stderr = String::from_utf8_lossy(&import.stderr);
    assert!(!import.status.success(), "a damaged export was imported");
    // Refused by the integrity check, or earlier when a zeroed page holds the schema.
    assert!(
        stderr.contains("integrity check failed")
            || stderr.contains("not a readable emulator database"),
        "{stderr}"
    );
    assert!(
        std::fs::read(&export).unwrap() == damaged,
        "the export was modified"
    );
    assert!(!target.join(DB_FILE).exists(), "something was swapped in");
}

/// Whichever page is zeroed, start and import refuse the file: a b-tree page fails SQLite's
/// check, and so does the last page of an overflow chain (it leaves NULs in stored text).
#[tokio::test]
async fn every_page_zeroed_in_turn_is_refused_at_start_and_at_import() {
    let (work, data) = made_data_dir(12).await;
    let whole = std::fs::read(data.join(DB_FILE)).unwrap();
    let options = irp_emulator::store::StoreOptions::default();
    for page in 1..=pages(&whole) {
        let damaged = zeroed(&whole, page);
        let dir = work.path().join(format!("page-{page}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(DB_FILE), &damaged).unwrap();
        let opened = irp_emulator::store::Store::open(
            &irp_emulator::store::Location::Dir(dir.clone()),
            options,
        );
        assert!(opened.is_err(), "page {page} zeroed: opened");
        assert!(
            std::fs::read(dir.join(DB_FILE)).unwrap() == damaged,
            "page {page}: modified"
        );
        let input = work.path().join(format!("page-{page}.sqlite"));
        std::fs::write(&input, &damaged).unwrap();
        let target = work.path().join(format!("import-{page}"));
        let imported = irp_emulator::store::import(&target, &input);
        assert!(imported.is_err(), "page {page} zeroed: imported");
        assert!(!target.join(DB_FILE).exists(), "page {page}: swapped in");
    }
}

/// The NUL scan looks only at text the emulator makes: a client's cancel remark holding a
/// NUL is stored as sent and the file still opens.
#[tokio::test]
async fn a_cancel_remark_holding_a_nul_does_not_get_the_file_refused() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let process = Process::with_data_dir(&data);
    let wire = Wire::login(&process.url).await;
    wire.control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
        .await;
    let answer = wire.open(
        &wire
            .post(GENERATE, &fixture_invoice("NUL-001", false))
            .await
            .unwrap(),
    );
    let cancel = json!({"Irn": answer["Irn"], "CnlRsn": "1", "CnlRem": "a\u{0}b"});
    wire.open(
        &wire
            .post("/eicore/v1.03/Invoice/Cancel", &cancel)
            .await
            .unwrap(),
    );
    process.stop();
    // Starts (a refused file would end the process before its "listening on" line).
    let process = Process::with_data_dir(&data);
    let wire = wire.at(&process.url);
    wire.control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
        .await;
    let irn = answer["Irn"].as_str().unwrap();
    let got = wire.open(&wire.get(&format!("/eicore/v1.03/Invoice/irn/{irn}")).await);
    assert_eq!(got["Status"], "CNL");
}

/// How the WAL is damaged after a SIGKILL.
#[derive(Debug, Clone, Copy)]
enum WalDamage {
    Deleted,
    Truncated,
    /// Replaced by a copy taken earlier in the same run.
    Stale,
}

/// The AckNo and EwbNo (if any) of an acknowledged registration.
fn numbers(answer: &Value) -> (u64, Option<u64>) {
    (answer["AckNo"].as_u64().unwrap(), answer["EwbNo"].as_u64())
}

#[tokio::test]
async fn a_lost_or_broken_wal_never_makes_an_ack_no_or_ewb_no_repeat() {
    for damage in [WalDamage::Deleted, WalDamage::Truncated, WalDamage::Stale] {
        let work = tempfile::tempdir().unwrap();
        let data = work.path().join("data");
        let wal = data.join(format!("{DB_FILE}-wal"));
        let stale = work.path().join("stale-wal");
        let process = Process::with_data_dir(&data);
        let wire = Wire::login(&process.url).await;
        wire.control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
            .await;
        let mut issued = Vec::new();
        for i in 0..8 {
            if i == 3 {
                std::fs::copy(&wal, &stale).unwrap();
            }
            let doc = format!("WAL-{i:03}");
            let answer = wire.open(
                &wire
                    .post(GENERATE, &fixture_invoice(&doc, i % 2 == 0))
                    .await
                    .unwrap(),
            );
            issued.push(numbers(&answer));
        }
        process.kill9();
        match damage {
            WalDamage::Deleted => std::fs::remove_file(&wal).unwrap(),
            WalDamage::Truncated => {
                let len = std::fs::metadata(&wal).unwrap().len();
                let file = std::fs::File::options().write(true).open(&wal).unwrap();
                file.set_len(len / 2).unwrap();
            }
            WalDamage::Stale => {
                std::fs::copy(&stale, &wal).unwrap();
            }
        }

        // Registrations in the lost part of the WAL may be gone (SQLite's contract with a
        // lost WAL), and so may the session: log in again. No number comes back.
        let process = Process::with_data_dir(&data);
        let wire = Wire::login(&process.url).await;
        wire.control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
            .await;
        let answer = wire.open(
            &wire
                .post(GENERATE, &fixture_invoice("WAL-NEXT", true))
                .await
                .unwrap(),
        );
        let (ack_no, ewb_no) = numbers(&answer);
        let highest_ack = issued.iter().map(|(a, _)| *a).max().unwrap();
        let highest_ewb = issued.iter().filter_map(|(_, e)| *e).max().unwrap();
        assert!(
            ack_no > highest_ack,
            "{damage:?}: AckNo {ack_no} after {highest_ack}"
        );
        assert!(
            ewb_no.unwrap() > highest_ewb,
            "{damage:?}: EwbNo {ewb_no:?} after {highest_ewb}"
        );
        drop(process);
    }
}

/// The cost of the start-up check at scale: 100,000 registrations (a third with an e-way
/// bill) and 100,000 journal entries, copied from real ones. Prints `quick_check`,
/// `integrity_check` and a whole `Store::open` (integrity_check and the NUL scan). Run with
/// `cargo test --release -p irp-emulator --test api integrity_check_timings -- --ignored
/// --nocapture`; `IRP_TIMINGS_KEEP=<path>` keeps the database for other tools.
#[tokio::test]
#[ignore = "builds a large database; run by hand to measure the start-up check"]
async fn integrity_check_timings_at_100k_registrations() {
    const N: u32 = 100_000;
    let (work, data) = made_data_dir(3).await;
    let db = data.join(DB_FILE);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {N})
         INSERT INTO irn (irn, ack_no, ack_dt, supplier, operator, invoice, signed_invoice,
                          signed_qr)
         SELECT printf('%064x', i), 152600000000000 + 1000000 + i, ack_dt, supplier, operator,
                invoice, signed_invoice, signed_qr
           FROM n, (SELECT * FROM irn LIMIT 1);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 3 FROM n WHERE i < {N})
         INSERT INTO ewb (ewb_no, irn, generated, valid_till, distance_km)
         SELECT 110000000000 + 1000000 + i, printf('%064x', i), generated, valid_till,
                distance_km
           FROM n, (SELECT * FROM ewb LIMIT 1);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {N})
         INSERT INTO journal (request_id, wall_time, virtual_time, api, method, path, client_id,
                              gstin, user_name, http_status, status, error_codes, info_codes,
                              latency_us, fault, request, response)
         SELECT request_id || i, wall_time, virtual_time, api, method, path, client_id, gstin,
                user_name, http_status, status, error_codes, info_codes, latency_us, fault,
                request, response
           FROM n, (SELECT * FROM journal WHERE api = 'generate_irn' LIMIT 1);"
    ))
    .unwrap();
    let timed = |what: &str, f: &dyn Fn()| {
        let start = std::time::Instant::now();
        f();
        eprintln!("{what}: {:.2?}", start.elapsed());
    };
    let size = std::fs::metadata(&db).unwrap().len();
    eprintln!("{N} registrations, {} MiB", size / (1 << 20));
    for pragma in ["quick_check", "integrity_check"] {
        timed(pragma, &|| {
            let ok: String = conn
                .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
                .unwrap();
            assert_eq!(ok, "ok");
        });
    }
    drop(conn);
    timed("Store::open (integrity_check + NUL scan)", &|| {
        irp_emulator::store::Store::open(
            &irp_emulator::store::Location::Dir(data.clone()),
            irp_emulator::store::StoreOptions::default(),
        )
        .unwrap();
    });
    if let Ok(keep) = std::env::var("IRP_TIMINGS_KEEP") {
        std::fs::copy(&db, keep).unwrap();
    }
    drop(work);
}
