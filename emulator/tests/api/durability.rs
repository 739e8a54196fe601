//! The durability contract with the real binary: SIGKILL while submissions are in flight,
//! restart on the same data directory, and every acknowledged registration is still there,
//! byte for byte, still blocks its duplicate, and the AckNo sequence moves on. Once, and in
//! repeated kill cycles (`IRP_CRASH_CYCLES`, 20 by default) where the AckNo and EwbNo
//! sequences must rise strictly across every cycle.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::{Value, json};

use crate::{
    invoice::GENERATE,
    state_files::{AFTER_FIXTURE, FIXTURE_TIME, fixture_invoice},
    wire::{Process, Wire},
};

/// What one submission came to.
#[derive(Debug, Clone)]
enum Outcome {
    /// Acknowledged with this answer.
    Acknowledged(Value),
    /// Sent, but the process died before it answered.
    Unanswered,
}

const WRITERS: usize = 8;

/// Submissions of one load phase: acknowledged ones with their answer, and unanswered ones.
struct Load {
    acknowledged: Vec<(String, Value)>,
    unanswered: Vec<String>,
}

/// Writers submit distinct documents named `prefix-…` until `process` is SIGKILLed, once at
/// least `before_kill` of them were acknowledged.
async fn load_until_killed(
    process: Process,
    wire: &Wire,
    prefix: &str,
    before_kill: usize,
) -> Load {
    let outcomes = Arc::new(Mutex::new(Vec::<(String, Outcome)>::new()));
    let tasks: Vec<_> = (0..WRITERS)
        .map(|w| {
            let wire = wire.clone();
            let outcomes = Arc::clone(&outcomes);
            let prefix = prefix.to_owned();
            tokio::spawn(async move {
                for i in 0..500 {
                    let doc = format!("{prefix}-{w}-{i:03}");
                    let outcome = match wire
                        .post(GENERATE, &fixture_invoice(&doc, i % 4 == 0))
                        .await
                    {
                        Ok(envelope) => Outcome::Acknowledged(wire.open(&envelope)),
                        Err(_) => Outcome::Unanswered,
                    };
                    let stop = matches!(outcome, Outcome::Unanswered);
                    outcomes.lock().unwrap().push((doc, outcome));
                    if stop {
                        return;
                    }
                }
            })
        })
        .collect();
    // Kill once the load is well under way.
    for _ in 0..500 {
        if outcomes.lock().unwrap().len() >= before_kill {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    process.kill9();
    for task in tasks {
        task.await.unwrap();
    }
    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap());
    let mut load = Load {
        acknowledged: Vec::new(),
        unanswered: Vec::new(),
    };
    for (doc, outcome) in outcomes {
        match outcome {
            Outcome::Acknowledged(answer) => load.acknowledged.push((doc, answer)),
            Outcome::Unanswered => load.unanswered.push(doc),
        }
    }
    assert!(
        load.acknowledged.len() >= before_kill,
        "only {} acknowledged",
        load.acknowledged.len()
    );
    assert!(
        !load.unanswered.is_empty(),
        "the kill landed after the load finished"
    );
    load
}

/// After a restart: every acknowledged registration reads back identical (signed invoice,
/// QR, AckNo, AckDt, EwbNo) and its resubmission gets 2150 with the same AckNo. Checked by
/// `WRITERS` tasks in parallel.
async fn check_acknowledged(wire: &Wire, acknowledged: &[(String, Value)]) {
    let shared: Arc<Vec<(String, Value)>> = Arc::new(acknowledged.to_vec());
    let tasks: Vec<_> = (0..WRITERS)
        .map(|w| {
            let wire = wire.clone();
            let shared = Arc::clone(&shared);
            tokio::spawn(async move {
                for (doc, answer) in shared.iter().skip(w).step_by(WRITERS) {
                    let irn = answer["Irn"].as_str().unwrap();
                    let got =
                        wire.open(&wire.get(&format!("/eicore/v1.03/Invoice/irn/{irn}")).await);
                    for key in ["SignedInvoice", "SignedQRCode", "AckNo", "AckDt", "EwbNo"] {
                        assert_eq!(got[key], answer[key], "{doc}: {key}");
                    }
                    let again = wire
                        .post(GENERATE, &fixture_invoice(doc, false))
                        .await
                        .unwrap();
                    assert_eq!(
                        again["ErrorDetails"][0]["ErrorCode"], "2150",
                        "{doc}: {again}"
                    );
                    assert_eq!(
                        again["InfoDtls"][0]["Desc"]["AckNo"], answer["AckNo"],
                        "{doc}"
                    );
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
}

/// An unanswered submission, looked at after the restart.
struct Settled {
    doc: String,
    /// Its registration as it now stands.
    answer: Value,
    /// Whether it was committed before the kill (else it was registered just now).
    committed: bool,
}

/// After a restart: an unanswered submission is either wholly registered (2150, and the
/// registration reads back with its signed copies) or not at all (it is registered now).
async fn settle_unanswered(wire: &Wire, unanswered: &[String]) -> Vec<Settled> {
    let mut settled = Vec::new();
    for doc in unanswered {
        let retry = wire
            .post(GENERATE, &fixture_invoice(doc, false))
            .await
            .unwrap();
        if retry["Status"] == 1 {
            let answer = wire.open(&retry);
            settled.push(Settled {
                doc: doc.clone(),
                answer,
                committed: false,
            });
            continue;
        }
        assert_eq!(
            retry["ErrorDetails"][0]["ErrorCode"], "2150",
            "{doc}: {retry}"
        );
        let irn = retry["InfoDtls"][0]["Desc"]["Irn"].as_str().unwrap();
        let got = wire.open(&wire.get(&format!("/eicore/v1.03/Invoice/irn/{irn}")).await);
        assert_eq!(got["SignedInvoice"].as_str().unwrap().split('.').count(), 3);
        assert_eq!(got["AckNo"], retry["InfoDtls"][0]["Desc"]["AckNo"], "{doc}");
        settled.push(Settled {
            doc: doc.clone(),
            answer: got,
            committed: true,
        });
    }
    settled
}

/// Asserts that every AckNo and EwbNo in `new` is above every one in `known`.
#[track_caller]
fn assert_above(known: &[(String, Value)], new: &[(String, Value)], when: &str) {
    let (ack_before, ewb_before) = (highest(known, "AckNo"), highest(known, "EwbNo"));
    for (doc, answer) in new {
        let ack = answer["AckNo"].as_u64().unwrap();
        assert!(
            ack > ack_before,
            "{when}, {doc}: AckNo {ack} after {ack_before}"
        );
        if let Some(ewb) = answer["EwbNo"].as_u64() {
            assert!(
                ewb > ewb_before,
                "{when}, {doc}: EwbNo {ewb} after {ewb_before}"
            );
        }
    }
}

fn highest(answers: &[(String, Value)], key: &str) -> u64 {
    answers
        .iter()
        .filter_map(|(_, a)| a[key].as_u64())
        .max()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_under_load_loses_no_acknowledged_registration() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let process = Process::with_data_dir(&data);
    let wire = Wire::login(&process.url).await;
    wire.control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
        .await;

    // A first batch, acknowledged before any load.
    let mut acknowledged = Vec::new();
    for i in 0..10 {
        let doc = format!("PRE-{i:03}");
        let answer = wire.open(
            &wire
                .post(GENERATE, &fixture_invoice(&doc, i % 3 == 0))
                .await
                .unwrap(),
        );
        acknowledged.push((doc, answer));
    }
    let load = load_until_killed(process, &wire, "LOAD", 60).await;
    acknowledged.extend(load.acknowledged);

    // Restart on the same directory. The old session still works.
    let process = Process::with_data_dir(&data);
    let wire = wire.at(&process.url);
    wire.control("clock", &json!({ "freeze_at": AFTER_FIXTURE }))
        .await;
    check_acknowledged(&wire, &acknowledged).await;
    let settled = settle_unanswered(&wire, &load.unanswered).await;
    let committed = settled.iter().filter(|s| s.committed).count();
    // The sequence continues past every number handed out before the kill.
    let next = wire.open(
        &wire
            .post(GENERATE, &fixture_invoice("POST-KILL", false))
            .await
            .unwrap(),
    );
    assert!(
        next["AckNo"].as_u64().unwrap() > highest(&acknowledged, "AckNo"),
        "{next}"
    );
    eprintln!(
        "{} acknowledged, {} unanswered ({committed} of them committed)",
        acknowledged.len(),
        settled.len()
    );
}

/// Kill cycles: `IRP_CRASH_CYCLES` (default 20) rounds of load, SIGKILL and restart on one
/// data directory. After every restart, everything acknowledged in any earlier cycle reads
/// back identical and blocks its duplicate, the unanswered submissions are wholly there or
/// not at all, and every AckNo and EwbNo of the new cycle is above every one seen before.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn repeated_sigkill_cycles_lose_nothing_and_never_repeat_a_number() {
    let cycles: usize = std::env::var("IRP_CRASH_CYCLES")
        .ok()
        .map_or(20, |n| n.parse().expect("IRP_CRASH_CYCLES: a number"));
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let mut process = Process::with_data_dir(&data);
    let mut wire = Wire::login(&process.url).await;
    let mut known: Vec<(String, Value)> = Vec::new();
    let mut unanswered: Vec<String> = Vec::new();
    let mut committed_unanswered = 0;
    for cycle in 0..cycles {
        wire.control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
            .await;
        check_acknowledged(&wire, &known).await;
        let (committed, fresh): (Vec<_>, Vec<_>) = settle_unanswered(&wire, &unanswered)
            .await
            .into_iter()
            .partition(|s| s.committed);
        committed_unanswered += committed.len();
        known.extend(committed.into_iter().map(|s| (s.doc, s.answer)));
        let fresh: Vec<_> = fresh.into_iter().map(|s| (s.doc, s.answer)).collect();
        assert_above(&known, &fresh, &format!("cycle {cycle}, after the restart"));
        known.extend(fresh);
        let load = load_until_killed(process, &wire, &format!("C{cycle:02}"), 30).await;
        assert_above(&known, &load.acknowledged, &format!("cycle {cycle}"));
        known.extend(load.acknowledged);
        unanswered = load.unanswered;
        process = Process::with_data_dir(&data);
        wire = wire.at(&process.url);
    }
    wire.control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
        .await;
    check_acknowledged(&wire, &known).await;
    let mut numbers: Vec<u64> = known
        .iter()
        .map(|(_, a)| a["AckNo"].as_u64().unwrap())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), known.len(), "an AckNo was issued twice");
    eprintln!(
        "{cycles} kill cycles: {} registrations checked after every restart, {committed_unanswered} unanswered ones found committed",
        known.len()
    );
}

/// The AckNo marks reserve numbers in blocks, but a clean stop writes them back down: the
/// next start continues at the next number, as it did before the marks existed.
#[tokio::test]
async fn a_clean_stop_leaves_no_gap_in_the_ack_no_sequence() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let mut last = None;
    for round in 0..3 {
        let process = Process::with_data_dir(&data);
        let wire = Wire::login(&process.url).await;
        wire.control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
            .await;
        let answer = wire.open(
            &wire
                .post(GENERATE, &fixture_invoice(&format!("GAP-{round}"), true))
                .await
                .unwrap(),
        );
        let numbers = (
            answer["AckNo"].as_u64().unwrap(),
            answer["EwbNo"].as_u64().unwrap(),
        );
        if let Some((ack, ewb)) = last {
            assert_eq!(numbers, (ack + 1, ewb + 1), "round {round}");
        }
        last = Some(numbers);
        process.stop();
    }
}
