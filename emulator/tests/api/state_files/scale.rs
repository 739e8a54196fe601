//! Start-up time and memory at a million registrations (README "Performance"): a restart
//! after a clean stop must not read the whole file, and memory must not grow with the
//! number of stored IRNs. Ignored by default (it writes about 9 GB); run with
//! `IRP_SCALE_IRNS=1000000 cargo test --release -p irp-emulator --test api restart_at_scale
//! -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use irp_emulator::store::{CLEAN_FILE, DB_FILE};
use serde_json::json;

use super::{FIXTURE_TIME, damaged::made_data_dir};
use crate::wire::{Process, Wire};

/// Resident memory of `pid` in KiB (`VmRSS` of /proc/PID/status).
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Starts the emulator on `data` and times it to its first health answer.
async fn start_timed(data: &std::path::Path) -> (Process, Duration) {
    let started = Instant::now();
    let process = Process::with_data_dir(data);
    let http = crate::wire::http();
    loop {
        let health = http
            .get(format!("{}/__emulator__/health", process.url))
            .send()
            .await;
        if health.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    (process, started.elapsed())
}

/// Some Get IRN calls over the stored registrations, so the figure is of a serving process.
async fn touch(process: &Process, n: u64) {
    let wire = Wire::login(&process.url).await;
    wire.control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
        .await;
    let step = (n / 200).max(1);
    for i in (1..=n).step_by(usize::try_from(step).unwrap()) {
        let irn = format!("{i:064x}");
        let answer = wire.get(&format!("/eicore/v1.03/Invoice/irn/{irn}")).await;
        assert_eq!(wire.open(&answer)["Irn"], irn);
    }
}

#[tokio::test]
#[ignore = "writes about 9 GB at a million registrations; run by hand (README Performance)"]
async fn restart_at_scale() {
    let n: u64 = std::env::var("IRP_SCALE_IRNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let (work, data) = made_data_dir(3).await;
    let (small, took) = start_timed(&data).await;
    touch(&small, 0).await;
    let small_rss = rss_kib(small.child.id());
    eprintln!("3 registrations: start {took:.2?}, RSS {small_rss} KiB");
    small.stop();

    let db = data.join(DB_FILE);
    let filling = Instant::now();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
         INSERT INTO irn (irn, ack_no, ack_dt, supplier, operator, invoice, signed_invoice,
                          signed_qr)
         SELECT printf('%064x', i), 152600000000000 + 1000000 + i, ack_dt, supplier, operator,
                invoice, signed_invoice, signed_qr
           FROM n, (SELECT * FROM irn LIMIT 1);
         UPDATE sequence SET value = 1000000 + {n} WHERE name = 'ack';
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
         INSERT INTO journal (request_id, wall_time, virtual_time, api, method, path, client_id,
                              gstin, user_name, http_status, status, error_codes, info_codes,
                              latency_us, fault, request, response, bytes)
         SELECT request_id || i, wall_time, virtual_time, api, method, path, client_id, gstin,
                user_name, http_status, status, error_codes, info_codes, latency_us, fault,
                request, response, bytes
           FROM n, (SELECT * FROM journal WHERE api = 'generate_irn' LIMIT 1);"
    ))
    .unwrap();
    drop(conn);
    let size = std::fs::metadata(&db).unwrap().len();
    eprintln!(
        "filled {n} registrations and 100,000 journal entries in {:.1?}: {} MiB",
        filling.elapsed(),
        size >> 20
    );

    // Written by another program since the clean stop: the record no longer matches the
    // file, so the first start checks everything (and takes the record away).
    assert!(data.join(CLEAN_FILE).exists());
    let (checked, took) = start_timed(&data).await;
    eprintln!("{n} registrations, first start (whole-file checks): {took:.2?}");
    assert!(!data.join(CLEAN_FILE).exists());
    checked.stop();

    for round in 0..3 {
        let (process, took) = start_timed(&data).await;
        touch(&process, n).await;
        let rss = rss_kib(process.child.id());
        eprintln!(
            "{n} registrations, restart after a clean stop #{round}: {took:.2?}, RSS {rss} KiB after 200 Get IRN"
        );
        assert!(took < Duration::from_secs(5), "{took:?}");
        process.stop();
    }
    drop(work);
}
