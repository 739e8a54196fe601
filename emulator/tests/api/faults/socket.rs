//! The actions a client meets on the wire, on a real socket: a reset, a close without an
//! answer, an empty body, a cut body, broken JSON, a dripped body, a hang. Each is checked
//! from raw bytes, so what is asserted is what any client would read.

use std::{io, net::SocketAddr, time::Duration};

use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    time::Instant,
};

use crate::helpers::*;

/// What came back on one connection.
pub(super) struct Wire {
    pub(super) bytes: Vec<u8>,
    pub(super) error: Option<io::ErrorKind>,
    pub(super) elapsed: Duration,
}

impl Wire {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    fn head_and_body(&self) -> (String, Vec<u8>) {
        let text = self.bytes.as_slice();
        let at = text
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no head in {:?}", self.text()));
        (
            String::from_utf8_lossy(&text[..at]).to_ascii_lowercase(),
            text[at + 4..].to_vec(),
        )
    }

    fn content_length(&self) -> usize {
        let (head, _) = self.head_and_body();
        head.lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no content-length in {head}"))
    }
}

/// Sends `request` and reads until the server closes, fails, or `patience` runs out.
pub(super) async fn exchange(addr: SocketAddr, request: &str, patience: Duration) -> Wire {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    let error = loop {
        match tokio::time::timeout(patience, stream.read(&mut chunk)).await {
            Err(_) => break Some(io::ErrorKind::TimedOut),
            Ok(Ok(0)) => break None,
            Ok(Ok(n)) => bytes.extend_from_slice(&chunk[..n]),
            Ok(Err(e)) => break Some(e.kind()),
        }
    };
    Wire {
        bytes,
        error,
        elapsed: started.elapsed(),
    }
}

/// GSTIN details without a token (the handler answers an error envelope), one call per
/// connection.
pub(super) fn details_request() -> String {
    format!(
        "GET /eivital/v1.04/Master/gstin/{LARGE} HTTP/1.1\r\nHost: x\r\nclient_id: {CLIENT_ID}\r\n\
         Gstin: {LARGE}\r\nConnection: close\r\n\r\n"
    )
}

/// Posts a fault rule to the control API over the socket.
pub(super) async fn post_rule(addr: SocketAddr, rule: &Value) {
    let body = rule.to_string();
    let request = format!(
        "POST /__emulator__/faults HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let wire = exchange(addr, &request, Duration::from_secs(5)).await;
    assert!(wire.text().starts_with("HTTP/1.1 201"), "{}", wire.text());
}

/// An emulator with one rule in force.
async fn with_rule(rule: Value) -> TestApp {
    let app = spawn_app().await;
    post_rule(app.addr, &rule).await;
    app
}

const PATIENCE: Duration = Duration::from_secs(5);

#[tokio::test]
async fn reset_ends_the_connection_with_an_rst() {
    let app = with_rule(json!({"phase": "before", "action": {"type": "reset"}})).await;
    let wire = exchange(app.addr, &details_request(), PATIENCE).await;
    assert_eq!(
        wire.error,
        Some(io::ErrorKind::ConnectionReset),
        "{}",
        wire.text()
    );
    assert!(wire.bytes.is_empty(), "{}", wire.text());
}

#[tokio::test]
async fn close_ends_the_connection_without_an_answer() {
    let app = with_rule(json!({"phase": "before", "action": {"type": "close"}})).await;
    let wire = exchange(app.addr, &details_request(), PATIENCE).await;
    assert_eq!(wire.error, None, "a clean close, not a reset");
    assert!(wire.bytes.is_empty(), "{}", wire.text());
}

#[tokio::test]
async fn empty_answers_200_with_no_body() {
    let app = with_rule(json!({"phase": "before", "action": {"type": "empty"}})).await;
    let wire = exchange(app.addr, &details_request(), PATIENCE).await;
    assert!(wire.text().starts_with("HTTP/1.1 200"), "{}", wire.text());
    assert_eq!(wire.content_length(), 0);
    assert!(wire.head_and_body().1.is_empty());
}

#[tokio::test]
async fn malformed_json_is_the_answer_less_its_last_byte() {
    let app = spawn_app().await;
    let whole = exchange(app.addr, &details_request(), PATIENCE).await;
    let (_, expected) = whole.head_and_body();
    assert!(serde_json::from_slice::<Value>(&expected).is_ok());
    post_rule(
        app.addr,
        &json!({"phase": "after_commit", "action": {"type": "malformed_json"}, "times": 1}),
    )
    .await;
    let wire = exchange(app.addr, &details_request(), PATIENCE).await;
    let (head, body) = wire.head_and_body();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert_eq!(body, expected[..expected.len() - 1]);
    assert!(serde_json::from_slice::<Value>(&body).is_err());
    // Before the handler there is no answer to break: a stand-in envelope start.
    post_rule(
        app.addr,
        &json!({"phase": "before", "action": {"type": "malformed_json"}}),
    )
    .await;
    let wire = exchange(app.addr, &details_request(), PATIENCE).await;
    let (_, body) = wire.head_and_body();
    assert!(body.starts_with(b"{\"Status\":1"), "{}", wire.text());
    assert!(serde_json::from_slice::<Value>(&body).is_err());
}

#[tokio::test]
async fn truncate_promises_the_whole_body_and_sends_a_part() {
    let app = with_rule(json!({"phase": "after_commit",
        "action": {"type": "truncate", "bytes": 10}}))
    .await;
    let wire = exchange(app.addr, &details_request(), PATIENCE).await;
    let (head, body) = wire.head_and_body();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(wire.content_length() > 10, "{head}");
    assert_eq!(body.len(), 10, "{}", wire.text());
    assert!(body.starts_with(b"{"));
}

#[tokio::test]
async fn slow_body_drips_the_whole_answer_over_the_seconds() {
    let app = spawn_app().await;
    let (_, expected) = exchange(app.addr, &details_request(), PATIENCE)
        .await
        .head_and_body();
    post_rule(
        app.addr,
        &json!({"phase": "after_commit", "action": {"type": "slow_body", "seconds": 1}}),
    )
    .await;
    let wire = exchange(app.addr, &details_request(), PATIENCE).await;
    assert_eq!(wire.error, None);
    assert_eq!(wire.head_and_body().1, expected);
    assert!(
        wire.elapsed >= Duration::from_millis(900),
        "{:?}",
        wire.elapsed
    );
}

#[tokio::test]
async fn hang_sends_nothing_until_the_client_gives_up_then_closes() {
    let app = with_rule(json!({"phase": "before", "action": {"type": "hang", "seconds": 2}})).await;
    // A client that waits 300 ms gives up with nothing.
    let impatient = exchange(app.addr, &details_request(), Duration::from_millis(300)).await;
    assert_eq!(impatient.error, Some(io::ErrorKind::TimedOut));
    assert!(impatient.bytes.is_empty());
    // One that waits longer sees the connection closed, still with nothing.
    let patient = exchange(app.addr, &details_request(), PATIENCE).await;
    assert_eq!(patient.error, None);
    assert!(patient.bytes.is_empty(), "{}", patient.text());
    assert!(
        patient.elapsed >= Duration::from_millis(1900),
        "{:?}",
        patient.elapsed
    );
}

#[tokio::test]
async fn the_server_keeps_serving_after_every_connection_fault() {
    let app = spawn_app().await;
    for action in [
        json!({"type": "reset"}),
        json!({"type": "close"}),
        json!({"type": "hang", "seconds": 0}),
    ] {
        post_rule(
            app.addr,
            &json!({"phase": "before", "action": action, "times": 1}),
        )
        .await;
        exchange(app.addr, &details_request(), PATIENCE).await;
        let next = exchange(app.addr, &details_request(), PATIENCE).await;
        assert!(
            next.text().starts_with("HTTP/1.1 200"),
            "after {action}: {}",
            next.text()
        );
    }
    // The journal says what the client got: no answer (status 0) for the three.
    let journal = exchange(
        app.addr,
        "GET /__emulator__/journal?api=gstin_details HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        PATIENCE,
    )
    .await;
    let (_, body) = journal.head_and_body();
    let entries: Value = serde_json::from_slice(&body).unwrap();
    let statuses: Vec<u64> = entries["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["http_status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [0, 200, 0, 200, 0, 200]);
}
