//! Fault injection: rules posted to `/__emulator__/faults`, counted, matched on API,
//! headers, `nth` and the virtual clock, journaled; the replacing actions through the
//! router here, the connection-level ones on a real socket (`socket`), the commit point
//! (`commit`), the per-call header and the seed (`header`).

mod commit;
mod header;
mod schema;
mod socket;

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use irp_emulator::state::AppState;
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::*;

const SMALL: &str = "29AAACS2222B1ZY";

/// Get GSTIN details as `gstin`, without a token: the handler answers 1005 or similar.
pub(super) fn details(gstin: &str) -> Request<Body> {
    Request::get(format!("/eivital/v1.04/Master/gstin/{LARGE}"))
        .header("client_id", CLIENT_ID)
        .header("Gstin", gstin)
        .body(Body::empty())
        .unwrap()
}

/// A Generate IRN call with an empty body: the handler refuses it.
fn generate() -> Request<Body> {
    Request::post("/eicore/v1.03/Invoice")
        .header("client_id", CLIENT_ID)
        .header("Gstin", LARGE)
        .header("content-type", "application/json")
        .body(Body::from("{}"))
        .unwrap()
}

async fn add(state: &AppState, rule: Value) -> Raw {
    oneshot_raw(
        state,
        Request::post("/__emulator__/faults")
            .header("content-type", "application/json")
            .body(Body::from(rule.to_string()))
            .unwrap(),
    )
    .await
}

pub(super) async fn add_ok(state: &AppState, rule: Value) -> Value {
    let raw = add(state, rule).await;
    assert_eq!(raw.status, StatusCode::CREATED, "{}", raw.text);
    raw.json()
}

pub(super) async fn control(state: &AppState, method: &str, path: &str) -> Raw {
    oneshot_raw(
        state,
        Request::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// Whether the answer is the injected 2150 envelope.
fn injected(raw: &Raw) -> bool {
    raw.status == StatusCode::OK && raw.json()["ErrorDetails"][0]["ErrorCode"] == "2150"
}

fn irp_2150() -> Value {
    json!({"type": "irp_error", "code": "2150"})
}

#[tokio::test(start_paused = true)]
async fn latency_waits_then_the_handler_answers() {
    let (state, _) = state();
    add_ok(
        &state,
        json!({"phase": "before", "action": {"type": "latency", "ms": 1500}}),
    )
    .await;
    let started = tokio::time::Instant::now();
    let raw = oneshot_raw(&state, details(LARGE)).await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(1500));
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(
        raw.json()["Status"],
        0,
        "the handler answered: {}",
        raw.text
    );
    assert_ne!(raw.json()["ErrorDetails"][0]["ErrorCode"], "2150");
}

#[tokio::test]
async fn http_status_answers_a_gateway_page_without_the_handler() {
    let (state, _) = state();
    add_ok(
        &state,
        json!({"phase": "before",
            "action": {"type": "http_status", "status": 503, "retry_after": 7}}),
    )
    .await;
    let raw = oneshot_raw(&state, details(LARGE)).await;
    assert_eq!(raw.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(raw.headers["retry-after"], "7");
    assert!(
        raw.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(raw.text.contains("503 Service Unavailable"), "{}", raw.text);
}

#[tokio::test]
async fn irp_error_answers_the_envelope_with_http_200() {
    let (state, _) = state();
    add_ok(
        &state,
        json!({"phase": "before", "action": irp_2150(), "times": 1}),
    )
    .await;
    add_ok(
        &state,
        json!({"phase": "before",
            "action": {"type": "irp_error", "code": "5001", "message": "Try later"}}),
    )
    .await;
    let first = oneshot_raw(&state, generate()).await;
    assert!(injected(&first), "{}", first.text);
    let body = first.json();
    assert_eq!(
        (body["Status"].clone(), body["Data"].clone()),
        (json!(0), Value::Null)
    );
    assert!(
        !body["ErrorDetails"][0]["ErrorMessage"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    let second = oneshot_raw(&state, generate()).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(
        second.json()["ErrorDetails"],
        json!([{"ErrorCode": "5001", "ErrorMessage": "Try later"}])
    );
}

#[tokio::test]
async fn rate_limited_answers_429_with_retry_after() {
    let (state, _) = state();
    add_ok(
        &state,
        json!({"phase": "before", "action": {"type": "rate_limited"}, "times": 1}),
    )
    .await;
    add_ok(
        &state,
        json!({"phase": "before", "action": {"type": "rate_limited", "retry_after": 30}}),
    )
    .await;
    let first = oneshot_raw(&state, details(LARGE)).await;
    assert_eq!(first.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(first.headers["retry-after"], "1");
    assert_eq!(first.json()["retry_after"], 1);
    let second = oneshot_raw(&state, details(LARGE)).await;
    assert_eq!(second.headers["retry-after"], "30");
}

#[tokio::test]
async fn times_stops_a_rule_and_nth_picks_one_request() {
    let (state, _) = state();
    add_ok(
        &state,
        json!({"phase": "before", "action": irp_2150(), "times": 2}),
    )
    .await;
    let mut hits = Vec::new();
    for _ in 0..3 {
        hits.push(injected(&oneshot_raw(&state, generate()).await));
    }
    assert_eq!(hits, [true, true, false]);

    let (state, _) = crate::helpers::state();
    add_ok(
        &state,
        json!({"match": {"nth": 2}, "phase": "before", "action": irp_2150()}),
    )
    .await;
    let mut hits = Vec::new();
    for _ in 0..4 {
        hits.push(injected(&oneshot_raw(&state, generate()).await));
    }
    assert_eq!(hits, [false, true, false, false]);
}

#[tokio::test]
async fn api_gstin_and_client_id_select_the_requests() {
    let (state, _) = state();
    add_ok(
        &state,
        json!({"match": {"api": "generate_irn", "gstin": LARGE}, "phase": "before",
            "action": irp_2150()}),
    )
    .await;
    assert!(injected(&oneshot_raw(&state, generate()).await));
    assert!(
        !injected(&oneshot_raw(&state, details(LARGE)).await),
        "other API"
    );

    let (state, _) = crate::helpers::state();
    add_ok(
        &state,
        json!({"match": {"gstin": SMALL, "client_id": CLIENT_ID}, "phase": "before",
            "action": irp_2150()}),
    )
    .await;
    assert!(injected(&oneshot_raw(&state, details(SMALL)).await));
    assert!(
        !injected(&oneshot_raw(&state, details(LARGE)).await),
        "other GSTIN"
    );
    let mut other_client = details(SMALL);
    other_client
        .headers_mut()
        .insert("client_id", "someone-else".parse().unwrap());
    assert!(
        !injected(&oneshot_raw(&state, other_client).await),
        "other client"
    );
}

#[tokio::test]
async fn from_and_until_follow_the_virtual_clock() {
    let (state, clock) = state();
    // T0 is 2026-03-31 10:00:00 IST.
    add_ok(
        &state,
        json!({"match": {"from": "2026-03-31 11:00:00", "until": "2026-03-31 12:00:00"},
            "phase": "before", "action": irp_2150()}),
    )
    .await;
    assert!(
        !injected(&oneshot_raw(&state, generate()).await),
        "before from"
    );
    clock.advance(Duration::hours(1));
    assert!(injected(&oneshot_raw(&state, generate()).await), "at from");
    clock.advance(Duration::minutes(59));
    assert!(injected(&oneshot_raw(&state, generate()).await), "inside");
    clock.advance(Duration::minutes(1));
    assert!(
        !injected(&oneshot_raw(&state, generate()).await),
        "at until"
    );
}

#[tokio::test]
async fn the_journal_records_the_fault_that_fired() {
    let (state, _) = state();
    let rule = add_ok(
        &state,
        json!({"name": "gw", "match": {"api": "gstin_details"}, "phase": "before",
            "action": {"type": "http_status", "status": 502}, "times": 1}),
    )
    .await;
    let id = rule["id"].as_u64().unwrap();
    oneshot_raw(&state, details(LARGE)).await;
    oneshot_raw(&state, details(LARGE)).await;
    let entries = control(&state, "GET", "/__emulator__/journal").await.json()["entries"]
        .as_array()
        .unwrap()
        .clone();
    let faults: Vec<Value> = entries.iter().map(|e| e["fault"].clone()).collect();
    assert_eq!(
        faults,
        [json!(format!("{id}:gw:http_status:before")), Value::Null]
    );
    assert_eq!(entries[0]["http_status"], 502);
    assert_eq!(entries[0]["api"], "gstin_details");
}

/// An outage answers before the handler, yet the journal keeps the decrypted request, so an
/// auditor can tell which document the failed call carried; nothing is registered.
#[tokio::test]
async fn an_answer_in_the_handlers_place_still_journals_the_decrypted_request() {
    let (state, _) = state();
    let outage = json!({"name": "down", "match": {"api": "generate_irn"}, "phase": "before",
        "action": {"type": "http_status", "status": 503}, "times": 1});
    let generations = || async {
        control(&state, "GET", "/__emulator__/journal?api=generate_irn")
            .await
            .json()["entries"]
            .as_array()
            .unwrap()
            .clone()
    };
    add_ok(&state, outage.clone()).await;
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let invoice = crate::invoice::sample("OUTAGE/1");
    let refused = oneshot_raw(
        &state,
        authed_post(&session, crate::invoice::GENERATE, &invoice),
    )
    .await;
    assert_eq!(refused.status, 503);
    let entries = generations().await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["request"]["DocDtls"]["No"], "OUTAGE/1");
    assert!(
        entries[0]["fault"]
            .as_str()
            .unwrap()
            .ends_with(":down:http_status:before")
    );
    let registered = control(&state, "GET", "/__emulator__/registrations")
        .await
        .json();
    assert_eq!(registered["count"], 0);
    // A request that does not decrypt is journaled without one, as before.
    let mut garbled = authed_post(&session, crate::invoice::GENERATE, &invoice);
    *garbled.body_mut() = Body::from(r#"{"Data":"not base64"}"#);
    add_ok(&state, outage).await;
    assert_eq!(oneshot_raw(&state, garbled).await.status, 503);
    let entries = generations().await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["request"], Value::Null);
}

#[tokio::test]
async fn the_control_api_stores_lists_and_removes_rules() {
    let (state, _) = state();
    let rule = json!({"name": "slow", "match": {"api": "auth", "nth": 3}, "phase": "before",
        "action": {"type": "latency", "ms": 10}, "times": 5});
    let stored = add_ok(&state, rule.clone()).await;
    let id = stored["id"].as_u64().unwrap();
    let mut expected = rule.as_object().unwrap().clone();
    expected.insert("id".into(), json!(id));
    expected.insert("fired".into(), json!(0));
    assert_eq!(stored, Value::Object(expected.clone()));

    add_ok(&state, json!({"phase": "before", "action": irp_2150()})).await;
    oneshot_raw(&state, generate()).await;
    let listed = control(&state, "GET", "/__emulator__/faults").await.json();
    let list = listed["faults"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0], Value::Object(expected));
    assert_eq!(list[1]["fired"], 1);

    let removed = control(&state, "DELETE", &format!("/__emulator__/faults/{id}")).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.text);
    let again = control(&state, "DELETE", &format!("/__emulator__/faults/{id}")).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(again.json()["Status"], 0);
    let listed = control(&state, "GET", "/__emulator__/faults").await.json();
    assert_eq!(listed["faults"].as_array().unwrap().len(), 1);

    assert_eq!(
        control(&state, "DELETE", "/__emulator__/faults")
            .await
            .status,
        200
    );
    let listed = control(&state, "GET", "/__emulator__/faults").await.json();
    assert_eq!(listed["faults"], json!([]));
    assert!(!injected(&oneshot_raw(&state, generate()).await));

    add_ok(&state, json!({"phase": "before", "action": irp_2150()})).await;
    assert_eq!(
        control(&state, "POST", "/__emulator__/reset").await.status,
        200
    );
    let listed = control(&state, "GET", "/__emulator__/faults").await.json();
    assert_eq!(listed["faults"], json!([]), "reset clears the posted rules");
}

#[tokio::test]
async fn bad_rules_are_refused_with_400() {
    let (state, _) = state();
    let cases = [
        (
            json!({"phase": "before", "action": {"type": "drop"}}),
            "rate_limited",
        ),
        (json!({"phase": "later", "action": irp_2150()}), "later"),
        (
            json!({"phase": "before", "action": {"type": "slow_body", "seconds": 1}}),
            "after_commit",
        ),
        (
            json!({"match": {"probability": -0.1}, "phase": "before", "action": irp_2150()}),
            "probability",
        ),
        (
            json!({"phase": "before", "action": irp_2150(), "extra": 1}),
            "extra",
        ),
        (
            json!({"match": {"api": "nope"}, "phase": "before", "action": irp_2150()}),
            "nope",
        ),
        (
            json!({"match": {"from": "31-03-2026"}, "phase": "before", "action": irp_2150()}),
            "yyyy-MM-dd HH:mm:ss",
        ),
        (
            json!({"match": {"nth": 0}, "phase": "before", "action": irp_2150()}),
            "nth",
        ),
        (
            json!({"phase": "before", "action": {"type": "http_status", "status": 42}}),
            "status",
        ),
        (json!({"action": irp_2150()}), "phase"),
    ];
    for (rule, needle) in cases {
        let raw = add(&state, rule.clone()).await;
        assert_eq!(raw.status, StatusCode::BAD_REQUEST, "{rule}: {}", raw.text);
        let message = raw.json()["ErrorDetails"][0]["ErrorMessage"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(needle), "{rule}: {message}");
    }
    let listed = control(&state, "GET", "/__emulator__/faults").await.json();
    assert_eq!(listed["faults"], json!([]));
}

/// A fault id that does not decode is refused in the control namespace's JSON shape, and
/// an unknown one is 404 in the envelope: never axum's plain-text answer.
#[tokio::test]
async fn a_malformed_or_unknown_fault_id_is_refused_in_the_envelope() {
    let (state, _) = state();
    for (path, code) in [
        ("/__emulator__/faults/%FF%FE", "400"),
        ("/__emulator__/faults/999", "404"),
        ("/__emulator__/faults/abc", "404"),
    ] {
        let raw = oneshot_raw(&state, Request::delete(path).body(Body::empty()).unwrap()).await;
        assert_eq!(
            raw.json()["ErrorDetails"][0]["ErrorCode"],
            code,
            "{path}: {}",
            raw.text
        );
    }
}
