//! One test per defect found by hostile clients and crashes, named after the defect; each
//! failed before its fix.

use axum::{body::Body, http::Request};
use serde_json::{Value, json};

use crate::helpers::*;

fn control(path: &str, body: Value) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// `advance_seconds: 300000000000` was accepted and every later IRP request got an empty
/// reply; a freeze near 9999-12-31 made auth answer 500.
#[tokio::test]
async fn clock_out_of_range_is_refused_and_requests_keep_working() {
    let (state, _) = state();
    for change in [
        json!({"advance_seconds": 300_000_000_000_i64}),
        json!({"advance_seconds": -300_000_000_000_i64}),
        json!({"advance_seconds": i64::MAX}),
        json!({"freeze_at": "9999-12-31 23:59:59"}),
        json!({"freeze_at": "1999-12-31 23:59:59"}),
        json!({"freeze_at": "2026-04-01 09:00:00", "advance_seconds": 3_000_000_000_i64}),
    ] {
        let answer = oneshot(&state, control("/__emulator__/clock", change.clone())).await;
        answer.assert_error("400");
        assert_eq!(answer.status, 400, "{change}");
    }
    // Nothing was applied: the clock still stands at the tests' start.
    let clock = oneshot(
        &state,
        Request::get("/__emulator__/clock")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(clock.body["now"], "2026-03-31 10:00:00");
    let session = login(&state, LARGE, LARGE_USER, false).await;
    assert_eq!(session.expiry, "2026-03-31 11:00:00");
    let edge = oneshot(
        &state,
        control(
            "/__emulator__/clock",
            json!({"freeze_at": "2099-12-31 23:00:00"}),
        ),
    )
    .await;
    assert_eq!(edge.status, 200, "{edge:?}");
    let late = login(&state, LARGE, LARGE_USER, true).await;
    assert!(!late.token.is_empty());
}

/// A dual-stack listener (`--addr [::]:8080`) sees IPv4 loopback clients as
/// `::ffff:127.0.0.1`; the control namespace refused them.
#[tokio::test]
async fn ipv4_mapped_loopback_reaches_the_control_namespace() {
    use std::net::{Ipv4Addr, SocketAddr};

    use axum::extract::ConnectInfo;
    use tower::ServiceExt;

    let (state, _) = state();
    for (peer, status) in [
        (Ipv4Addr::LOCALHOST.to_ipv6_mapped(), 200),
        (Ipv4Addr::new(10, 1, 2, 3).to_ipv6_mapped(), 403),
        (std::net::Ipv6Addr::LOCALHOST, 200),
    ] {
        // Not `health`: it answers every caller.
        let mut request = Request::get("/__emulator__/clock")
            .body(Body::empty())
            .unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((peer, 5000))));
        let response = irp_emulator::app(state.clone())
            .oneshot(request)
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{peer}");
    }
}

/// Control bodies over 2 MiB got axum's plain-text 413, and taxpayer records were
/// unbounded (100,000-character names, 5,000 users).
#[tokio::test]
async fn control_bodies_and_taxpayer_records_are_bounded_with_json_refusals() {
    let (state, _) = state();
    let huge = Request::post("/__emulator__/taxpayers")
        .header("content-type", "application/json")
        .body(Body::from(vec![b' '; 3 * 1024 * 1024]))
        .unwrap();
    let answer = oneshot(&state, huge).await;
    assert_eq!(answer.status, 413);
    answer.assert_error("5002");

    let record = |name: String, users: usize| {
        let users: Vec<Value> = (0..users)
            .map(|i| json!({"UserName": format!("u{i}"), "Password": "p"}))
            .collect();
        json!({"Gstin": "29AAACL1111A1ZD", "LegalName": name, "StateCode": 29,
               "AddrPncd": 560001, "Users": users})
    };
    for (body, field) in [
        (record("N".repeat(100_000), 1), "LegalName"),
        (record("Name".into(), 5_000), "Users"),
    ] {
        let answer = oneshot(&state, control("/__emulator__/taxpayers", body)).await;
        answer.assert_error("400");
        let message = answer.body["ErrorDetails"][0]["ErrorMessage"]
            .as_str()
            .unwrap();
        assert!(message.contains(field), "{message}");
    }
    // Within the bounds, the record is taken.
    let answer = oneshot(
        &state,
        control("/__emulator__/taxpayers", record("N".repeat(200), 20)),
    )
    .await;
    assert_eq!(answer.status, 200, "{answer:?}");
}

/// The AuthToken was stored in clear (session rows and journal) and returned by the journal
/// API. It is now kept as a digest plus a sealed copy, and the journal shows a fingerprint.
#[tokio::test]
async fn auth_token_is_not_stored_in_clear_and_survives_a_restart() {
    use irp_emulator::{
        clock::Clock,
        config::Settings,
        keys::KeySet,
        state::AppState,
        store::{Location, Store, StoreOptions},
    };

    let dir = tempfile::tempdir().unwrap();
    let open = || {
        let store = Store::open(
            &Location::Dir(dir.path().to_owned()),
            StoreOptions::default(),
        )
        .unwrap();
        AppState::open(
            Settings::default(),
            KeySet::embedded().unwrap(),
            Clock::fixed(T0),
            store,
        )
        .unwrap()
    };
    let gstin_path = format!("/eivital/v1.03/Master/gstin/{LARGE}");
    let session = {
        let state = open();
        let session = login(&state, LARGE, LARGE_USER, false).await;
        let answer = oneshot(&state, authed_get(&session, &gstin_path)).await;
        assert_eq!(answer.body["Status"], 1, "{answer:?}");
        state.journal.flush().await.unwrap();
        let entries = oneshot(
            &state,
            Request::get("/__emulator__/journal?api=auth")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let shown = entries.body["entries"][0]["response"]["Data"]["AuthToken"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            shown.starts_with("***") && !shown.contains(&session.token),
            "{shown}"
        );
        session
    };
    let mut bytes = Vec::new();
    for file in std::fs::read_dir(dir.path()).unwrap() {
        bytes.extend(std::fs::read(file.unwrap().path()).unwrap());
    }
    let token = session.token.as_bytes();
    assert!(bytes.len() > 4096);
    assert!(
        !bytes.windows(token.len()).any(|w| w == token),
        "the AuthToken is in the stored bytes"
    );
    // After a restart the token still works, and a login inside its life answers it again.
    let state = open();
    let answer = oneshot(&state, authed_get(&session, &gstin_path)).await;
    assert_eq!(answer.body["Status"], 1, "{answer:?}");
    let again = login(&state, LARGE, LARGE_USER, false).await;
    assert_eq!(again.token, session.token);
}

/// The loser of a cancel-IRN vs generate-e-way-bill race was told 4002 ("already
/// generated") although the IRN was cancelled and no e-way bill existed; it is 4000.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_vs_ewb_race_loser_is_told_what_won() {
    use crate::invoice::{GENERATE, sample};

    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let (mut cancels_won, mut ewbs_won) = (0, 0);
    for round in 0..60 {
        let made = open(
            &session,
            &oneshot(
                &state,
                authed_post(&session, GENERATE, &sample(&format!("RACE/{round}"))),
            )
            .await,
        );
        let irn = made["Irn"].as_str().unwrap().to_owned();
        let cancel = authed_post(
            &session,
            "/eicore/v1.03/Invoice/Cancel",
            &json!({"Irn": irn, "CnlRsn": "1", "CnlRem": "Duplicate"}),
        );
        let ewb = authed_post(
            &session,
            "/eiewb/v1.03/ewaybill",
            &json!({"Irn": irn, "Distance": 100, "TransMode": "1", "VehNo": "KA01AB1234",
                    "VehType": "R"}),
        );
        let (a, b) = (state.clone(), state.clone());
        let cancel = tokio::spawn(async move { oneshot(&a, cancel).await });
        let ewb = tokio::spawn(async move { oneshot(&b, ewb).await });
        let (cancel, ewb) = (cancel.await.unwrap(), ewb.await.unwrap());
        match (cancel.body["Status"].as_u64(), ewb.body["Status"].as_u64()) {
            (Some(1), Some(0)) => {
                cancels_won += 1;
                ewb.assert_error("4000");
            }
            (Some(0), Some(1)) => {
                ewbs_won += 1;
                cancel.assert_error("2230");
            }
            other => panic!("round {round}: both or neither succeeded: {other:?}"),
        }
    }
    assert_eq!(cancels_won + ewbs_won, 60);
}

/// An emulator on a real port with tight connection limits.
async fn serve_with_limits(limits: irp_emulator::server::ServerLimits) -> std::net::SocketAddr {
    let (state, _) = state_with(irp_emulator::config::Settings {
        server: limits,
        ..Default::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(irp_emulator::serve(listener, state, std::future::pending()));
    addr
}

/// Reads until the peer closes (or answers), at most `within`; `None` if still open then.
async fn read_until_closed(
    stream: &mut tokio::net::TcpStream,
    within: std::time::Duration,
) -> Option<Vec<u8>> {
    use tokio::io::AsyncReadExt;
    let mut seen = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(within, read).await.ok().map(|()| seen)
}

/// No timeouts: a half-sent head, a half-sent body, a silent connection and an idle
/// keep-alive all stayed open indefinitely.
#[tokio::test]
async fn silent_slow_and_idle_connections_are_closed_by_the_timeouts() {
    use std::time::Duration;

    use tokio::{io::AsyncWriteExt, net::TcpStream};

    let addr = serve_with_limits(irp_emulator::server::ServerLimits {
        header_timeout_seconds: 1,
        body_timeout_seconds: 1,
        idle_timeout_seconds: 2,
        max_connections: 64,
        shutdown_grace_seconds: 1,
        ..Default::default()
    })
    .await;
    let within = Duration::from_secs(6);

    // Silent from the start, and a head that stops half-way: closed.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    let mut half_head = TcpStream::connect(addr).await.unwrap();
    half_head
        .write_all(b"POST /eicore/v1.03/Invoice HTTP/1.1\r\nHost: x\r\nContent-Le")
        .await
        .unwrap();
    assert!(
        read_until_closed(&mut silent, within).await.is_some(),
        "silent stays open"
    );
    assert!(
        read_until_closed(&mut half_head, within).await.is_some(),
        "half head stays open"
    );

    // A body that stops half-way: answered 408 in the IRP envelope, then closed.
    let mut half_body = TcpStream::connect(addr).await.unwrap();
    half_body
        .write_all(
            b"POST /__emulator__/clock HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"advance",
        )
        .await
        .unwrap();
    let answer = read_until_closed(&mut half_body, within)
        .await
        .expect("a stalled body stays open");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains(r#""ErrorCode":"408""#), "{text}");

    // A kept-alive connection that goes quiet after its answer: closed.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /__emulator__/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answer = read_until_closed(&mut idle, within)
        .await
        .expect("an idle keep-alive stays open");
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
}

/// With a descriptor limit, 300 silent connections locked real clients out: connections
/// are capped, and silent ones give their place back when their timeout closes them.
#[tokio::test]
async fn silent_connections_beyond_the_cap_do_not_lock_clients_out() {
    use std::time::Duration;

    use tokio::{io::AsyncWriteExt, net::TcpStream};

    let addr = serve_with_limits(irp_emulator::server::ServerLimits {
        header_timeout_seconds: 1,
        body_timeout_seconds: 1,
        idle_timeout_seconds: 1,
        max_connections: 64,
        shutdown_grace_seconds: 1,
        ..Default::default()
    })
    .await;
    let mut silent = Vec::new();
    for _ in 0..300 {
        silent.push(TcpStream::connect(addr).await.unwrap());
    }
    let mut client = TcpStream::connect(addr).await.unwrap();
    client
        .write_all(b"GET /__emulator__/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = read_until_closed(&mut client, Duration::from_secs(30))
        .await
        .expect("the client was locked out");
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
    drop(silent);
}

/// SIGTERM waited forever for a stalled request; shutdown is now bounded by its grace.
#[cfg(unix)]
#[tokio::test]
async fn sigterm_with_a_stalled_request_exits_within_the_grace() {
    use std::time::{Duration, Instant};

    use tokio::{io::AsyncWriteExt, net::TcpStream};

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("emulator.toml");
    std::fs::write(
        &config,
        "[server]\nshutdown_grace_seconds = 1\nbody_timeout_seconds = 600\nidle_timeout_seconds = 600\n",
    )
    .unwrap();
    let mut process = crate::wire::Process::start(
        dir.path(),
        &[
            "--addr",
            "127.0.0.1:0",
            "--in-memory",
            "--config",
            config.to_str().unwrap(),
        ],
    );
    let addr = process.url.trim_start_matches("http://").to_owned();
    let mut stalled = TcpStream::connect(&addr).await.unwrap();
    stalled
        .write_all(
            b"POST /__emulator__/clock HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = Instant::now();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &process.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    loop {
        if let Some(status) = process.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(stalled);
}

/// HTTP/2 with prior knowledge was accepted on the plain port although the README says
/// HTTP/1.1: both ports now speak HTTP/1.1 only, as the IRP.
#[tokio::test]
async fn http2_prior_knowledge_is_refused() {
    use std::time::Duration;

    use tokio::{io::AsyncWriteExt, net::TcpStream};

    let addr = serve_with_limits(irp_emulator::server::ServerLimits::default()).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream, Duration::from_secs(5))
        .await
        .expect("the connection stays open");
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 "),
        "{:?}",
        String::from_utf8_lossy(&answer)
    );
}

/// In-memory mode kept every decrypted payload whole in the journal: 120 requests of 4.6 MB
/// took the process from 16 MB to 464 MB. Payloads are now cut at `max_payload_bytes` and
/// the journal kept within `max_bytes`, in every mode.
#[tokio::test]
async fn journal_payloads_and_total_bytes_are_bounded() {
    use irp_emulator::{config::Settings, journal::Retention};

    let (state, _) = state_with(Settings {
        journal: Retention {
            max_payload_bytes: 256 * 1024,
            max_bytes: 1024 * 1024,
            ..Retention::default()
        },
        ..Settings::default()
    });
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let padding = "x".repeat(1_500_000);
    for i in 0..12 {
        let invoice = json!({"Version": "1.1", "Pad": padding, "N": i});
        let answer = oneshot(
            &state,
            authed_post(&session, crate::invoice::GENERATE, &invoice),
        )
        .await;
        answer.assert_error("2140");
    }
    state.journal.flush().await.unwrap();
    let entries = state
        .journal
        .query(&irp_emulator::journal::Filter::default())
        .unwrap();
    let mut total = 0;
    for entry in &entries {
        let request = entry.request.to_string().len();
        assert!(request <= 256 * 1024 + 100, "{request} bytes kept");
        total += request + entry.response.to_string().len();
    }
    let big: Vec<_> = entries
        .iter()
        .filter(|e| e.request["truncated"] == true)
        .collect();
    assert!(!big.is_empty());
    assert!(big[0].request["bytes"].as_u64().unwrap() > 1_500_000);
    assert!(
        total <= 1024 * 1024 * 11 / 10,
        "{total} bytes of payload kept"
    );
}
