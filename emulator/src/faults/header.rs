//! `X-Emulator-Fault: <action type>[;key=value…]`: one fault on one call, for tests that
//! want a failure exactly here without managing rules. Honoured only when the emulator was
//! started with `--allow-fault-header`, so a header cannot break a shared emulator.
//!
//! The keys are the action's (`ms`, `status`, `code`, …) plus `phase` (`before` by
//! default). Values that read as numbers or booleans are passed as such, except the text
//! fields `code`, `message` and `body`.

use serde_json::{Map, Value, json};

use super::{FaultRule, RuleError};

/// The header's name.
pub const FAULT_HEADER: &str = "x-emulator-fault";

/// The one-call rule a header asks for.
pub fn parse_header(text: &str) -> Result<FaultRule, RuleError> {
    let mut parts = text.split(';').map(str::trim);
    let kind = parts.next().unwrap_or_default();
    let mut action = Map::new();
    action.insert("type".into(), Value::from(kind));
    let mut phase = Value::from("before");
    for part in parts.filter(|p| !p.is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| RuleError::Shape(format!("`{part}`: expected key=value")))?;
        let (key, value) = (key.trim(), value.trim());
        match key {
            "phase" => phase = Value::from(value),
            // Text fields stay text, even when they read as a number (`code=5001`).
            "code" | "message" | "body" => {
                action.insert(key.to_owned(), Value::from(value));
            }
            key => {
                action.insert(key.to_owned(), scalar(value));
            }
        }
    }
    let rule = json!({"name": "header", "phase": phase, "action": action, "times": 1});
    FaultRule::parse(rule.to_string().as_bytes())
}

fn scalar(text: &str) -> Value {
    if let Ok(n) = text.parse::<u64>() {
        return Value::from(n);
    }
    match text {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => Value::from(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::{Action, Phase};

    #[test]
    fn header_values_become_the_rule() {
        let cases: &[(&str, Action, Phase)] = &[
            (
                "http_status;status=503;retry_after=2",
                Action::HttpStatus {
                    status: 503,
                    body: None,
                    retry_after: Some(2),
                },
                Phase::Before,
            ),
            (
                "irp_error; code=5001 ; message=down",
                Action::IrpError {
                    code: "5001".into(),
                    message: Some("down".into()),
                },
                Phase::Before,
            ),
            (
                "truncate;bytes=10;phase=after_commit",
                Action::Truncate { bytes: 10 },
                Phase::AfterCommit,
            ),
            ("reset", Action::Reset {}, Phase::Before),
        ];
        for (text, action, phase) in cases {
            let rule = parse_header(text).unwrap_or_else(|e| unreachable!("{text}: {e}"));
            assert_eq!(
                (&rule.action, rule.phase, rule.times),
                (action, *phase, Some(1))
            );
        }
    }

    #[test]
    fn bad_headers_say_why() {
        for (text, why) in [
            ("explode", "explode"),
            ("latency;ms", "key=value"),
            ("latency;ms=fast", "fast"),
            ("truncate;bytes=3", "after_commit"),
        ] {
            let error = parse_header(text).err().map(|e| e.to_string());
            assert!(
                error.as_deref().is_some_and(|e| e.contains(why)),
                "{text}: {error:?}"
            );
        }
    }
}
