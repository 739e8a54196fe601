//! The mutation test: generated and mutated requests through a real socket to an emulator
//! started in-process on `127.0.0.1:0`, then the state checked against what the clients
//! were told.
//!
//! A test binary of its own (not a module of `tests/api/`) because CI runs it alone in
//! release mode with 100,000 requests (`--ignored`): building the whole API suite in release
//! for that would cost minutes, and its load would share the process with timing-sensitive
//! tests. The default test run sends a small count.
//!
//! - `wire`: HTTP/1.1 by hand on TCP (mutations reach the server as made).
//! - `traffic`: what a worker sends, and the check of every answer.
//! - `ledger`: answer classes and, per document, what Generate IRN told the clients.
//!
//! Environment: `IRP_MUTATIONS` (request count), `IRP_MUTATION_SEED` (the ChaCha seed,
//! printed on every run and with every failure), `IRP_MUTATION_WORKERS` (concurrent
//! connections, default 4).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod ledger;
mod traffic;
mod wire;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Instant,
};

use irp_client::{Endpoint, Session, request};
use irp_emulator::{clock::Clock, config::Settings, keys::KeySet, state::AppState};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rsa::{RsaPublicKey, pkcs8::DecodePublicKey};
use serde_json::{Value, json};
use time::macros::datetime;

use crate::{
    ledger::{Allowed, DocKey, Ledger, classify},
    traffic::{Worker, caller},
    wire::{Connection, Raw},
};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Sends `raw` on a fresh connection and returns the IRP envelope, checked.
async fn call(addr: SocketAddr, raw: &Raw) -> Value {
    let reply = Connection::new(addr)
        .exchange(&raw.to_bytes())
        .await
        .unwrap_or_else(|e| panic!("no answer ({e}) to {}", raw.summary()));
    classify(&reply, Allowed::Envelope).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_slice(&reply.body).unwrap()
}

/// Logs the large supplier in over the socket: the session and the auth request itself.
async fn login(addr: SocketAddr) -> (Session, Raw) {
    let keys = KeySet::embedded().unwrap();
    let public = RsaPublicKey::from_public_key_pem(&keys.pems.auth_public).unwrap();
    let login = irp_client::Login::new("29AAACL1111A1ZD", "large_supplier", "Emulator@123")
        .with_app_key(&[0x42; 32]);
    let outgoing = request::auth_request(&caller(), &login, &public).unwrap();
    let raw = Raw::of(&outgoing.to_http("").unwrap());
    let answer = call(addr, &raw).await;
    let (_, session) = irp_client::answer::open_login(&login, &answer).unwrap();
    (session.expect("logged in"), raw)
}

/// A call in `session` whose answer is opened (`Data` decrypted).
async fn api(
    addr: SocketAddr,
    session: &Session,
    endpoint: &Endpoint,
    payload: Option<&Value>,
) -> Value {
    let outgoing = request::api_request(&caller(), session, endpoint, payload).unwrap();
    let answer = call(addr, &Raw::of(&outgoing.to_http("").unwrap())).await;
    irp_client::answer::open_answer(endpoint, session, &answer).unwrap()
}

/// Generates a fresh invoice `no`: its AckNo.
async fn generate(addr: SocketAddr, session: &Session, no: &str) -> (u64, String) {
    let spec = irp_emulator::samples::InvoiceSpec::simple(no, time::macros::date!(2026 - 03 - 30));
    let invoice = irp_emulator::samples::invoice(&spec);
    let answer = api(addr, session, &Endpoint::generate_irn(), Some(&invoice)).await;
    assert_eq!(answer["Status"], 1, "{answer}");
    let data = &answer["Data"];
    (
        data["AckNo"].as_u64().unwrap(),
        data["Irn"].as_str().unwrap().to_owned(),
    )
}

/// The 11-digit sequence inside an AckNo.
fn sequence(ack: u64) -> u64 {
    ack % 100_000_000_000
}

async fn run(count: u64) {
    let seed = env_u64("IRP_MUTATION_SEED", 0x1A9_2026);
    let workers = env_u64("IRP_MUTATION_WORKERS", 4).max(1);
    println!("mutation run: {count} requests, seed {seed}, {workers} workers");
    let clock = Clock::fixed(datetime!(2026-03-31 10:00:00 +5:30));
    let state = AppState::new(Settings::default(), KeySet::embedded().unwrap(), clock).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(irp_emulator::serve(listener, state, async {
        let _ = stopped.await;
    }));

    let (session, auth) = login(addr).await;
    let (first_ack, _) = generate(addr, &session, "MUT/BEFORE").await;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for id in 0..workers {
        let share = count / workers + u64::from(id < count % workers);
        let rng = ChaCha8Rng::seed_from_u64(seed ^ (id << 32));
        let mut worker = Worker::new(
            usize::try_from(id).unwrap(),
            addr,
            session.clone(),
            auth.clone(),
            rng,
            ledger.clone(),
        );
        tasks.push(tokio::spawn(async move { worker.run(share).await }));
    }
    for task in tasks {
        if let Err(e) = task.await.unwrap() {
            panic!("seed {seed}: {e}");
        }
    }
    let elapsed = started.elapsed();
    // Requests whose client went away may still be finishing on the server.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;

    // The server still answers a whole valid flow: login, generate, get, cancel.
    let (session, _) = login(addr).await;
    let (last_ack, irn) = generate(addr, &session, "MUT/AFTER").await;
    let got = api(addr, &session, &Endpoint::get_irn(&irn), None).await;
    assert_eq!(got["Data"]["AckNo"], json!(last_ack), "{got}");
    let cancel = json!({"Irn": irn, "CnlRsn": "1", "CnlRem": "Wrong entry"});
    let cancelled = api(addr, &session, &Endpoint::cancel_irn(), Some(&cancel)).await;
    assert_eq!(cancelled["Status"], 1, "{cancelled}");
    let got = api(addr, &session, &Endpoint::get_irn(&irn), None).await;
    assert_eq!(got["Data"]["Status"], "CNL", "{got}");

    // The state matches what the clients were told.
    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    // Distinct AckNos: two keys may name one registration (dates of one financial year).
    let mut registered = std::collections::HashSet::new();
    for (key, told) in &ledger.docs {
        let registration = registration(addr, &session, key).await;
        let mut acks = told.acks.clone();
        acks.extend(&told.duplicates);
        match registration {
            Some(ack) => {
                registered.insert(ack);
                assert!(
                    acks.iter().all(|a| *a == ack),
                    "seed {seed}: {key:?} is registered with AckNo {ack} but clients were told {told:?}"
                );
            }
            None => assert!(
                acks.is_empty(),
                "seed {seed}: {key:?} was acknowledged ({told:?}) but is not registered"
            ),
        }
    }
    // AckNos are issued in sequence, one per registration: any registration the ledger
    // does not know of would be a phantom.
    let issued = sequence(last_ack) - sequence(first_ack) - 1;
    let registered = registered.len() as u64;
    assert_eq!(
        issued, registered,
        "seed {seed}: {issued} registrations were made during the run, {registered} are accounted for"
    );
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();

    println!(
        "{} requests in {:.1} s ({:.0}/s); {} documents submitted, {registered} registered",
        ledger.requests,
        elapsed.as_secs_f64(),
        ledger.requests as f64 / elapsed.as_secs_f64(),
        ledger.docs.len()
    );
    for (class, n) in &ledger.classes {
        println!("  {n:>7}  {class}");
    }
}

/// The AckNo a document is registered with (active or cancelled), or `None`.
async fn registration(addr: SocketAddr, session: &Session, key: &DocKey) -> Option<u64> {
    let endpoint = Endpoint::get_irn_by_document(&key.typ, &key.no, &key.dt);
    let answer = api(addr, session, &endpoint, None).await;
    match answer["Status"].as_u64() {
        Some(1) => Some(answer["Data"]["AckNo"].as_u64().expect("an AckNo")),
        _ => {
            let code = answer["ErrorDetails"][0]["ErrorCode"]
                .as_str()
                .unwrap_or("");
            // 2148: not registered; 2142/2140: a key the mutations made that the API cannot
            // even ask for, so the registration cannot have happened either.
            assert!(
                matches!(code, "2148" | "2142" | "2140"),
                "{key:?}: unexpected answer {answer}"
            );
            None
        }
    }
}

/// The default test run: a small count, fast in debug builds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutated_requests_get_documented_answers_and_state_matches() {
    run(env_u64("IRP_MUTATIONS", 5_000)).await;
}

/// The CI run: `cargo test --release -p irp-emulator --test mutation -- --ignored`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "100,000 requests: run in release mode (CI does)"]
async fn hundred_thousand_mutated_requests() {
    run(env_u64("IRP_MUTATIONS", 100_000)).await;
}
