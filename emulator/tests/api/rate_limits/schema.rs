//! `schemas/rate-limit-rule.schema.json` agrees with the emulator's parser: both accept
//! the rules the tests post, both refuse the bad ones, and the schema lists the same keys
//! and API names as the typed rule.

use std::collections::BTreeSet;

use irp_emulator::{api::Api, ratelimit::RateLimitRule};
use serde_json::Value;

use super::{bad_rules, examples};

fn schema() -> Value {
    let text = include_str!("../../../../schemas/rate-limit-rule.schema.json");
    serde_json::from_str(text).unwrap()
}

#[test]
fn the_schema_and_the_parser_accept_and_refuse_the_same_rules() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    for rule in examples() {
        assert!(validator.is_valid(&rule), "schema refused {rule}");
        assert!(
            RateLimitRule::parse(rule.to_string().as_bytes()).is_ok(),
            "{rule}"
        );
    }
    for (rule, _) in bad_rules() {
        assert!(!validator.is_valid(&rule), "schema accepted {rule}");
        assert!(
            RateLimitRule::parse(rule.to_string().as_bytes()).is_err(),
            "{rule}"
        );
    }
}

#[test]
fn the_schema_lists_the_keys_and_apis_of_the_typed_rule() {
    let schema = schema();
    let properties: BTreeSet<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // The last example sets every key; serialising it back gives the type's key set.
    let full = RateLimitRule::parse(examples()[3].to_string().as_bytes()).unwrap();
    let typed = serde_json::to_value(full).unwrap();
    let typed: BTreeSet<&str> = typed
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(properties, typed);

    let apis: Vec<&str> = schema["properties"]["api"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let served: Vec<&str> = Api::served().map(Api::name).collect();
    assert_eq!(apis, served);
}
