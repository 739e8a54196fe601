//! Rate limits: rules posted to `/__emulator__/rate-limits`, the 429 answer and its
//! journal entry, per-key isolation, the control API; `schema`: the rule's JSON Schema
//! against the typed parser, on the same examples.

mod schema;

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use irp_emulator::state::AppState;
use serde_json::{Value, json};

use crate::helpers::*;

const SMALL: &str = "29AAACS2222B1ZY";

/// Rules the tests post (also checked against the schema).
pub(super) fn examples() -> [Value; 4] {
    [
        json!({"name": "gsp", "per": "client_id", "per_second": 2}),
        json!({"per": "gstin", "per_minute": 1}),
        json!({"per": "gstin", "api": "generate_irn", "per_second": 1, "per_hour": 100}),
        json!({"name": "all", "per": "client_id", "api": "auth",
            "per_second": 5, "per_minute": 50, "per_hour": 500}),
    ]
}

/// Rules refused, each with a word of the reason (also refused by the schema).
pub(super) fn bad_rules() -> [(Value, &'static str); 7] {
    [
        (json!({"per": "gstin"}), "at least one of per_second"),
        (json!({"per": "gstin", "per_second": 0}), "per_second"),
        (json!({"per": "gstin", "per_hour": 1_000_001}), "per_hour"),
        (json!({"per": "user", "per_second": 1}), "user"),
        (json!({"per_second": 1}), "per"),
        (
            json!({"per": "gstin", "per_second": 1, "burst": 3}),
            "burst",
        ),
        (
            json!({"per": "gstin", "api": "nope", "per_second": 1}),
            "nope",
        ),
    ]
}

/// Get GSTIN details with these headers (no token: the handler answers in the envelope).
fn details(client_id: &str, gstin: Option<&str>) -> Request<Body> {
    let mut request =
        Request::get(format!("/eivital/v1.04/Master/gstin/{LARGE}")).header("client_id", client_id);
    if let Some(gstin) = gstin {
        request = request.header("Gstin", gstin);
    }
    request.body(Body::empty()).unwrap()
}

async fn call(state: &AppState, method: &str, path: &str, body: Option<Value>) -> Raw {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json");
    let body = body.map_or_else(Body::empty, |v| Body::from(v.to_string()));
    oneshot_raw(state, request.body(body).unwrap()).await
}

async fn add_ok(state: &AppState, rule: &Value) -> Value {
    let raw = call(
        state,
        "POST",
        "/__emulator__/rate-limits",
        Some(rule.clone()),
    )
    .await;
    assert_eq!(raw.status, StatusCode::CREATED, "{}", raw.text);
    raw.json()
}

async fn listed(state: &AppState) -> Value {
    call(state, "GET", "/__emulator__/rate-limits", None)
        .await
        .json()["rate_limits"]
        .clone()
}

/// The status of each answer: 429, or 200 when the handler answered.
async fn statuses(state: &AppState, requests: Vec<Request<Body>>) -> Vec<u16> {
    let mut out = Vec::new();
    for request in requests {
        out.push(oneshot_raw(state, request).await.status.as_u16());
    }
    out
}

// Paused time: Tokio's clock moves only when told, so "three calls within a second" holds
// however slow the machine is.
#[tokio::test(start_paused = true)]
async fn the_third_call_in_a_second_is_refused_with_429_and_journaled() {
    let (state, _) = state();
    let id = add_ok(&state, &examples()[0]).await["id"].as_u64().unwrap();
    let started = tokio::time::Instant::now();
    let mut answers = Vec::new();
    for _ in 0..3 {
        answers.push(oneshot_raw(&state, details(CLIENT_ID, Some(LARGE))).await);
    }
    let moved = started.elapsed();
    assert!(
        moved < std::time::Duration::from_millis(10),
        "time moved {moved:?}"
    );
    let codes: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    assert_eq!(codes, [200, 200, 429]);
    let refused = &answers[2];
    assert_eq!(refused.headers["retry-after"], "1");
    assert_eq!(refused.headers["content-type"], "application/json");
    assert_eq!(
        refused.json(),
        json!({"status": 429, "error": "Too Many Requests", "retry_after": 1,
            "limit": "client_id:second"})
    );

    let journal = call(&state, "GET", "/__emulator__/journal", None)
        .await
        .json();
    let entries = journal["entries"].as_array().unwrap();
    let faults: Vec<&Value> = entries.iter().map(|e| &e["fault"]).collect();
    let label = json!(format!("rate_limit:{id}:gsp"));
    assert_eq!(faults, [&Value::Null, &Value::Null, &label]);
    assert_eq!(entries[2]["http_status"], 429);
    assert_eq!(entries[2]["api"], "gstin_details");

    tokio::time::advance(std::time::Duration::from_secs(1)).await;
    let again = oneshot_raw(&state, details(CLIENT_ID, Some(LARGE))).await;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "after Retry-After: {}",
        again.text
    );
}

#[tokio::test(start_paused = true)]
async fn each_gstin_has_its_own_window_and_a_missing_header_is_not_limited() {
    let (state, _) = state();
    add_ok(&state, &examples()[1]).await;
    let got = statuses(
        &state,
        vec![
            details(CLIENT_ID, Some(LARGE)),
            details(CLIENT_ID, Some(SMALL)),
            details(CLIENT_ID, None),
            details(CLIENT_ID, None),
            details("another-client", Some(&LARGE.to_ascii_lowercase())),
        ],
    )
    .await;
    assert_eq!(got, [200, 200, 200, 200, 429]);
    let refused = oneshot_raw(&state, details(CLIENT_ID, Some(SMALL))).await;
    assert_eq!(refused.headers["retry-after"], "60");
    assert_eq!(refused.json()["limit"], "gstin:minute");
}

#[tokio::test(start_paused = true)]
async fn a_rule_for_one_api_leaves_the_others_alone_and_runs_before_the_faults() {
    let (state, _) = state();
    add_ok(&state, &examples()[2]).await;
    let fault = json!({"phase": "before", "action": {"type": "irp_error", "code": "2150"}});
    let raw = call(&state, "POST", "/__emulator__/faults", Some(fault)).await;
    assert_eq!(raw.status, StatusCode::CREATED, "{}", raw.text);
    let generate = || {
        Request::post("/eicore/v1.03/Invoice")
            .header("client_id", CLIENT_ID)
            .header("Gstin", LARGE)
            .body(Body::from("{}"))
            .unwrap()
    };
    let first = oneshot_raw(&state, generate()).await;
    assert_eq!(first.json()["ErrorDetails"][0]["ErrorCode"], "2150");
    let second = oneshot_raw(&state, generate()).await;
    assert_eq!(
        second.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        second.text
    );
    let others = statuses(
        &state,
        (0..3).map(|_| details(CLIENT_ID, Some(LARGE))).collect(),
    )
    .await;
    assert_eq!(others, [200, 200, 200], "the fault answers, not the limit");

    let journal = call(&state, "GET", "/__emulator__/journal", None)
        .await
        .json();
    let fault = &journal["entries"][1]["fault"];
    assert!(
        fault.as_str().unwrap().starts_with("rate_limit:1:"),
        "{fault}"
    );
    let faults = call(&state, "GET", "/__emulator__/faults", None)
        .await
        .json();
    assert_eq!(
        faults["faults"][0]["fired"], 4,
        "the refused call never reached it"
    );
}

#[tokio::test(start_paused = true)]
async fn the_control_api_stores_lists_with_refused_and_removes() {
    let (state, _) = state();
    let rule = examples()[0].clone();
    let stored = add_ok(&state, &rule).await;
    let mut expected = rule.as_object().unwrap().clone();
    expected.insert("id".into(), json!(1));
    expected.insert("refused".into(), json!(0));
    assert_eq!(stored, Value::Object(expected.clone()));
    assert_eq!(add_ok(&state, &examples()[1]).await["id"], 2);

    statuses(&state, (0..4).map(|_| details(CLIENT_ID, None)).collect()).await;
    expected.insert("refused".into(), json!(2));
    let list = listed(&state).await;
    assert_eq!(list[0], Value::Object(expected));
    assert_eq!(
        (list[1]["id"].clone(), list[1]["refused"].clone()),
        (json!(2), json!(0))
    );

    let removed = call(&state, "DELETE", "/__emulator__/rate-limits/1", None).await;
    assert_eq!(
        (removed.status, removed.json()),
        (StatusCode::OK, json!({"status": "removed", "id": 1}))
    );
    let again = call(&state, "DELETE", "/__emulator__/rate-limits/1", None).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(again.json()["Status"], 0);
    assert_eq!(again.json()["ErrorDetails"][0]["ErrorCode"], "404");
    let bad_id = call(&state, "DELETE", "/__emulator__/rate-limits/%FF", None).await;
    assert_eq!(bad_id.json()["ErrorDetails"][0]["ErrorCode"], "400");
    assert_eq!(listed(&state).await.as_array().unwrap().len(), 1);
    let ok = statuses(&state, (0..3).map(|_| details(CLIENT_ID, None)).collect());
    assert_eq!(ok.await, [200, 200, 200], "rule 1 is gone");

    let cleared = call(&state, "DELETE", "/__emulator__/rate-limits", None).await;
    assert_eq!(cleared.json(), json!({"status": "cleared"}));
    assert_eq!(listed(&state).await, json!([]));

    add_ok(&state, &examples()[1]).await;
    let reset = call(&state, "POST", "/__emulator__/reset", None).await;
    assert_eq!(reset.status, StatusCode::OK);
    assert_eq!(
        listed(&state).await,
        json!([]),
        "reset clears the rate limits"
    );
}

#[tokio::test]
async fn bad_rules_are_refused_with_400_and_a_reason() {
    let (state, _) = state();
    let mut cases = bad_rules().to_vec();
    cases.push((
        json!({"per": "gstin", "api": "unknown", "per_hour": 1}),
        "generate_irn",
    ));
    for (rule, needle) in cases {
        let raw = call(
            &state,
            "POST",
            "/__emulator__/rate-limits",
            Some(rule.clone()),
        )
        .await;
        assert_eq!(raw.status, StatusCode::BAD_REQUEST, "{rule}: {}", raw.text);
        let body = raw.json();
        assert_eq!(body["ErrorDetails"][0]["ErrorCode"], "400", "{rule}");
        let message = body["ErrorDetails"][0]["ErrorMessage"].as_str().unwrap();
        assert!(message.contains(needle), "{rule}: {message}");
    }
    let not_json = oneshot_raw(
        &state,
        Request::post("/__emulator__/rate-limits")
            .body(Body::from("per=gstin"))
            .unwrap(),
    )
    .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    assert_eq!(listed(&state).await, json!([]));
}
