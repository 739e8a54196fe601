//! Fault injection, as data: rules posted to `/__emulator__/faults`, kept in a [`FaultPlan`]
//! and applied by one middleware ([`apply`]) on the IRP API routes.
//!
//! This is the first slice: phase `before` only, and the actions `latency`, `http_status`,
//! `irp_error` and `rate_limited`. The first rule that matches a request fires.

mod answer;
mod layer;
mod rule;

use serde::Serialize;

pub use self::layer::apply;
pub use self::rule::{Action, Call, FaultRule, Matcher, Phase, RuleError, SUPPORTED_ACTIONS};

/// A stored rule: its id, the rule, and how often it fired.
#[derive(Debug, Clone, Serialize)]
pub struct StoredRule {
    /// The id the control API names it by.
    pub id: u64,
    /// The rule as posted.
    #[serde(flatten)]
    pub rule: FaultRule,
    /// How many times it fired.
    pub fired: u64,
    /// How many requests matched it, fired or not (what `nth` counts).
    #[serde(skip)]
    seen: u64,
}

/// What a firing rule decided for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// `<id>:<name>:<action type>:before`, for the journal.
    pub label: String,
    /// What to do.
    pub action: Action,
}

/// The rules in force, in the order they were posted.
#[derive(Debug, Default)]
pub struct FaultPlan {
    rules: Vec<StoredRule>,
    last_id: u64,
}

impl FaultPlan {
    /// Stores `rule` under a new id.
    pub fn add(&mut self, rule: FaultRule) -> StoredRule {
        self.last_id = self.last_id.saturating_add(1);
        let stored = StoredRule {
            id: self.last_id,
            rule,
            fired: 0,
            seen: 0,
        };
        self.rules.push(stored.clone());
        stored
    }

    /// Every rule, in order.
    pub fn rules(&self) -> &[StoredRule] {
        &self.rules
    }

    /// Removes the rule `id`; whether it existed.
    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.id != id);
        self.rules.len() != before
    }

    /// Removes every rule (ids keep counting up).
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// Finds the first rule that fires for `call`, and counts it. Every live rule whose
    /// fields match counts the request toward its `nth`, up to the one that fires.
    pub fn decide(&mut self, call: &Call<'_>) -> Option<Decision> {
        for stored in &mut self.rules {
            let spent = stored.rule.times.is_some_and(|t| stored.fired >= t);
            if spent || !stored.rule.matcher.admits(call) {
                continue;
            }
            stored.seen = stored.seen.saturating_add(1);
            if stored.rule.matcher.nth.is_some_and(|n| n != stored.seen) {
                continue;
            }
            stored.fired = stored.fired.saturating_add(1);
            let label = format!(
                "{}:{}:{}:before",
                stored.id,
                stored.rule.name.as_deref().unwrap_or_default(),
                stored.rule.action.kind()
            );
            return Some(Decision {
                label,
                action: stored.rule.action.clone(),
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Api;
    use time::macros::datetime;

    fn rule(json: &str) -> FaultRule {
        FaultRule::parse(json.as_bytes()).unwrap_or_else(|e| unreachable!("{e}"))
    }

    fn call(api: Api) -> Call<'static> {
        Call {
            api,
            gstin: Some("29AAACL1111A1ZD"),
            client_id: None,
            now: datetime!(2026-03-31 10:00:00 +5:30),
        }
    }

    fn fired(plan: &mut FaultPlan, api: Api) -> Option<String> {
        plan.decide(&call(api)).map(|d| d.label)
    }

    #[test]
    fn the_first_live_rule_fires_and_nth_counts_only_its_matches() {
        let mut plan = FaultPlan::default();
        plan.add(rule(
            r#"{"name":"a","match":{"api":"auth","nth":2},"phase":"before",
                "action":{"type":"rate_limited"}}"#,
        ));
        plan.add(rule(
            r#"{"phase":"before","action":{"type":"latency","ms":1},"times":2}"#,
        ));
        let got: Vec<Option<String>> = [Api::GenerateIrn, Api::Auth, Api::Auth, Api::Auth]
            .into_iter()
            .map(|api| fired(&mut plan, api))
            .collect();
        assert_eq!(
            got,
            [
                Some("2::latency:before".to_owned()),
                Some("2::latency:before".to_owned()),
                Some("1:a:rate_limited:before".to_owned()),
                None,
            ]
        );
        let counts: Vec<u64> = plan.rules().iter().map(|r| r.fired).collect();
        assert_eq!(counts, [1, 2]);
        assert!(plan.remove(1));
        assert!(!plan.remove(1));
        assert_eq!(
            plan.add(rule(
                r#"{"phase":"before","action":{"type":"rate_limited"}}"#
            ))
            .id,
            3
        );
    }

    #[test]
    fn refusals_say_why() {
        let refused = |json: &str| {
            FaultRule::parse(json.as_bytes())
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(
            refused(r#"{"phase":"after_commit","action":{"type":"rate_limited"}}"#)
                .contains("not implemented yet")
        );
        assert!(refused(r#"{"phase":"before","action":{"type":"drop"}}"#).contains("drop"));
        assert!(
            refused(r#"{"phase":"before","action":{"type":"latency","ms":1,"jitter_ms":1}}"#)
                .contains("jitter_ms")
        );
    }
}
