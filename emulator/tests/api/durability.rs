//! The durability contract with the real binary: SIGKILL while submissions are in flight,
//! restart on the same data directory, and every acknowledged registration is still there,
//! byte for byte, still blocks its duplicate, and the AckNo sequence moves on.

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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_under_load_loses_no_acknowledged_registration() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let process = Process::with_data_dir(&data);
    let wire = Wire::login(&process.url).await;
    wire.control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
        .await;

    // A first batch, acknowledged before any load.
    let outcomes = Arc::new(Mutex::new(Vec::<(String, Outcome)>::new()));
    for i in 0..10 {
        let doc = format!("PRE-{i:03}");
        let answer = wire.open(
            &wire
                .post(GENERATE, &fixture_invoice(&doc, i % 3 == 0))
                .await
                .unwrap(),
        );
        outcomes
            .lock()
            .unwrap()
            .push((doc, Outcome::Acknowledged(answer)));
    }

    // Load: writers submit distinct documents until the connection dies.
    let tasks: Vec<_> = (0..WRITERS)
        .map(|w| {
            let wire = wire.clone();
            let outcomes = Arc::clone(&outcomes);
            tokio::spawn(async move {
                for i in 0..500 {
                    let doc = format!("LOAD-{w}-{i:03}");
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
    for _ in 0..200 {
        if outcomes.lock().unwrap().len() >= 60 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    process.kill9();
    for task in tasks {
        task.await.unwrap();
    }
    let outcomes = outcomes.lock().unwrap().clone();
    let acknowledged: Vec<(&String, &Value)> = outcomes
        .iter()
        .filter_map(|(doc, o)| match o {
            Outcome::Acknowledged(answer) => Some((doc, answer)),
            Outcome::Unanswered => None,
        })
        .collect();
    let unanswered: Vec<&String> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Unanswered))
        .map(|(doc, _)| doc)
        .collect();
    assert!(
        acknowledged.len() >= 60,
        "only {} acknowledged",
        acknowledged.len()
    );
    assert!(
        !unanswered.is_empty(),
        "the kill landed after the load finished"
    );

    // Restart on the same directory. The old session still works.
    let process = Process::with_data_dir(&data);
    let wire = wire.at(&process.url);
    wire.control("clock", &json!({ "freeze_at": AFTER_FIXTURE }))
        .await;
    for (doc, answer) in &acknowledged {
        let irn = answer["Irn"].as_str().unwrap();
        let got = wire.open(&wire.get(&format!("/eicore/v1.03/Invoice/irn/{irn}")).await);
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
    // An unanswered submission is either wholly registered or not at all.
    let mut committed_unanswered = 0;
    for doc in &unanswered {
        let retry = wire
            .post(GENERATE, &fixture_invoice(doc, false))
            .await
            .unwrap();
        if retry["Status"] == 1 {
            continue;
        }
        assert_eq!(
            retry["ErrorDetails"][0]["ErrorCode"], "2150",
            "{doc}: {retry}"
        );
        let irn = retry["InfoDtls"][0]["Desc"]["Irn"].as_str().unwrap();
        let got = wire.open(&wire.get(&format!("/eicore/v1.03/Invoice/irn/{irn}")).await);
        assert_eq!(got["SignedInvoice"].as_str().unwrap().split('.').count(), 3);
        committed_unanswered += 1;
    }
    // The sequence continues past every number handed out before the kill.
    let highest = acknowledged
        .iter()
        .map(|(_, a)| a["AckNo"].as_u64().unwrap())
        .max()
        .unwrap();
    let next = wire.open(
        &wire
            .post(GENERATE, &fixture_invoice("POST-KILL", false))
            .await
            .unwrap(),
    );
    assert!(next["AckNo"].as_u64().unwrap() > highest, "{next}");
    eprintln!(
        "{} acknowledged, {} unanswered ({committed_unanswered} of them committed)",
        acknowledged.len(),
        unanswered.len()
    );
}
