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
