//! Delayed requests must not slow the others: the throughput of undelayed calls on a real
//! socket, alone and beside 1,000 requests parked by a `latency` fault, in one run.
//!
//! A fault's delay is an async timer on the request's task, so a parked request costs a
//! timer entry and a connection, not a thread. This measures it: K keep-alive connections
//! send GSTIN lookups as fast as they can for a few seconds (the baseline), then 1,000
//! more connections each send a lookup that a rule parks for ten minutes, and the K
//! connections are measured again; five rounds, alternating.
//!
//! Run: `cargo bench -p irp-benches --bench delays` (needs about 2,100 file descriptors).
//! The figure to quote is the median ratio `beside / alone`, from one run.

#![allow(clippy::expect_used, clippy::indexing_slicing, missing_docs)]

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use irp_emulator::{
    clock::Clock, config::Settings, faults::FaultRule, keys::KeySet, state::AppState,
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

const UNDELAYED: &str = "29AAACL1111A1ZD";
const DELAYED: &str = "29AAACS2222B1ZY";
const PARKED: usize = 1_000;
const CONNECTIONS: usize = 4;
const WINDOW: Duration = Duration::from_secs(2);
const ROUNDS: usize = 5;

fn lookup(gstin: &str) -> Vec<u8> {
    format!(
        "GET /eivital/v1.04/Master/gstin/{UNDELAYED} HTTP/1.1\r\nHost: bench\r\n\
         client_id: irp-emulator-client\r\nGstin: {gstin}\r\n\r\n"
    )
    .into_bytes()
}

/// Reads one answer (head and `Content-Length` body) off a keep-alive connection.
async fn read_answer(stream: &mut TcpStream, buffer: &mut Vec<u8>) {
    buffer.clear();
    let mut chunk = [0u8; 8192];
    loop {
        let n = stream.read(&mut chunk).await.expect("read");
        assert!(n > 0, "connection closed");
        buffer.extend_from_slice(&chunk[..n]);
        let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .and_then(|n| n.trim().parse().ok())
            .expect("content-length");
        if buffer.len() >= end + 4 + length {
            return;
        }
    }
}

/// Requests per second of `CONNECTIONS` closed-loop clients over `WINDOW`.
async fn throughput(addr: SocketAddr) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let request = lookup(UNDELAYED);
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (done, stop, request) = (done.clone(), stop.clone(), request.clone());
            tokio::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.expect("connect");
                stream.set_nodelay(true).expect("nodelay");
                let mut buffer = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    stream.write_all(&request).await.expect("write");
                    read_answer(&mut stream, &mut buffer).await;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    // Warm-up, then the window.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let from = done.load(Ordering::Relaxed);
    let started = Instant::now();
    tokio::time::sleep(WINDOW).await;
    let count = done.load(Ordering::Relaxed) - from;
    let rate = count as f64 / started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.expect("client");
    }
    rate
}

/// Opens `PARKED` connections whose request the rule parks, and waits until every one has
/// reached its timer (the `round`th batch the rule fired for).
async fn park(addr: SocketAddr, state: &AppState, round: usize) -> Vec<TcpStream> {
    let mut parked = Vec::with_capacity(PARKED);
    let request = lookup(DELAYED);
    for _ in 0..PARKED {
        let mut stream = TcpStream::connect(addr)
            .await
            .expect("connect (raise ulimit -n?)");
        stream.write_all(&request).await.expect("write");
        parked.push(stream);
    }
    let target = (PARKED * round) as u64;
    while state.fault_plan().rules()[0].fired < target {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    parked
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut settings = Settings::default();
        settings.server.max_connections = 4 * PARKED;
        let keys = KeySet::embedded().expect("keys");
        let state = AppState::new(settings, keys, Clock::system()).expect("state");
        let rule = format!(
            r#"{{"name":"park","match":{{"gstin":"{DELAYED}"}},"phase":"before",
                "action":{{"type":"latency","ms":600000}}}}"#
        );
        state
            .fault_plan()
            .add(FaultRule::parse(rule.as_bytes()).expect("rule"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(irp_emulator::serve(
            listener,
            state.clone(),
            std::future::pending(),
        ));

        // Alternate alone / beside the parked ones, so drift on a shared machine falls on
        // both sides; the figure is the median of the rounds' ratios.
        let mut ratios = Vec::new();
        for round in 1..=ROUNDS {
            let alone = throughput(addr).await;
            let parked = park(addr, &state, round).await;
            let with = throughput(addr).await;
            drop(parked);
            tokio::time::sleep(Duration::from_millis(300)).await;
            println!(
                "delays round {round}: {alone:.0}/s alone, {with:.0}/s beside {PARKED} parked \
                 requests: {:.2}",
                with / alone
            );
            ratios.push(with / alone);
        }
        ratios.sort_by(f64::total_cmp);
        println!(
            "delays: undelayed GSTIN lookups on {CONNECTIONS} connections, beside {PARKED} \
             parked requests / alone = {:.2} (median of {ROUNDS} rounds)",
            ratios[ratios.len() / 2]
        );
    });
}
