//! `schemas/fault-rule.schema.json` agrees with the emulator's parser: both accept a rule
//! of every action in both phases, both refuse the bad ones, and the schema names the same
//! action types and APIs.

use irp_emulator::{
    api::Api,
    faults::{FaultRule, SUPPORTED_ACTIONS},
};
use serde_json::{Value, json};

fn schema() -> Value {
    serde_json::from_str(include_str!("../../../../schemas/fault-rule.schema.json")).unwrap()
}

fn actions() -> Vec<Value> {
    vec![
        json!({"type": "latency", "ms": 100, "jitter_ms": 50}),
        json!({"type": "http_status", "status": 503, "body": "down", "retry_after": 5}),
        json!({"type": "irp_error", "code": "5001", "message": "Try later"}),
        json!({"type": "revoke_token"}),
        json!({"type": "rate_limited", "retry_after": 2, "escalating": true, "max_retry_after": 30}),
        json!({"type": "reset"}),
        json!({"type": "close"}),
        json!({"type": "empty"}),
        json!({"type": "truncate", "bytes": 12}),
        json!({"type": "malformed_json"}),
        json!({"type": "slow_body", "seconds": 3}),
        json!({"type": "hang", "seconds": 30}),
    ]
}

fn examples() -> Vec<Value> {
    let mut rules = Vec::new();
    for action in actions() {
        let shaping = matches!(action["type"].as_str(), Some("truncate" | "slow_body"));
        for phase in ["before", "after_commit"] {
            if shaping && phase == "before" {
                continue;
            }
            rules.push(json!({"phase": phase, "action": action.clone()}));
        }
    }
    rules.push(json!({"name": "lose-the-answer",
        "match": {"api": "generate_irn", "gstin": "29AAACL1111A1ZD", "client_id": "c",
            "nth": 3, "probability": 0.2,
            "from": "2026-04-30 16:00:00", "until": "2026-04-30 18:00:00"},
        "phase": "after_commit", "action": {"type": "http_status", "status": 503}, "times": 1}));
    rules
}

fn bad_rules() -> Vec<Value> {
    vec![
        json!({"action": {"type": "reset"}}),
        json!({"phase": "later", "action": {"type": "reset"}}),
        json!({"phase": "before", "action": {"type": "drop"}}),
        json!({"phase": "before", "action": {"type": "truncate", "bytes": 1}}),
        json!({"phase": "before", "action": {"type": "slow_body", "seconds": 1}}),
        json!({"phase": "before", "action": {"type": "latency"}}),
        json!({"phase": "before", "action": {"type": "reset", "extra": 1}}),
        json!({"phase": "before", "action": {"type": "http_status", "status": 42}}),
        json!({"phase": "before", "action": {"type": "hang", "seconds": 86401}}),
        json!({"phase": "before", "match": {"nth": 0}, "action": {"type": "reset"}}),
        json!({"phase": "before", "match": {"probability": 2}, "action": {"type": "reset"}}),
        json!({"phase": "before", "match": {"api": "nope"}, "action": {"type": "reset"}}),
        json!({"phase": "before", "match": {"from": "30/04/2026"}, "action": {"type": "reset"}}),
        json!({"phase": "before", "action": {"type": "reset"}, "extra": true}),
    ]
}

#[test]
fn the_schema_and_the_parser_accept_and_refuse_the_same_rules() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    for rule in examples() {
        assert!(validator.is_valid(&rule), "schema refused {rule}");
        let parsed = FaultRule::parse(rule.to_string().as_bytes());
        assert!(parsed.is_ok(), "{rule}: {parsed:?}");
    }
    for rule in bad_rules() {
        assert!(!validator.is_valid(&rule), "schema accepted {rule}");
        assert!(
            FaultRule::parse(rule.to_string().as_bytes()).is_err(),
            "{rule}"
        );
    }
}

#[test]
fn the_schema_names_every_action_type_and_api() {
    let schema = schema();
    let types: Vec<&str> = schema["properties"]["action"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["properties"]["type"]["const"].as_str().unwrap())
        .collect();
    let supported: Vec<&str> = SUPPORTED_ACTIONS.split(", ").collect();
    assert_eq!(types, supported);
    let examples = actions();
    let listed: Vec<&str> = examples
        .iter()
        .map(|a| a["type"].as_str().unwrap())
        .collect();
    assert_eq!(listed, supported, "the examples cover every action");
    let apis: Vec<&str> = schema["properties"]["match"]["properties"]["api"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(apis, Api::served().map(Api::name).collect::<Vec<_>>());
}
