//! Fault injection, as data: rules from the `--faults` file, the control API
//! (`/__emulator__/faults`) or one call's `X-Emulator-Fault` header, kept in a
//! [`FaultPlan`] and applied by one middleware ([`apply`]) on the IRP API routes.
//!
//! The plan decides under its lock, in arrival order, with its own seeded generator (for
//! `probability` and `jitter_ms`): the same seed and the same sequence of requests give the
//! same faults. The first rule that fires wins. A rule acts `before` the handler (nothing
//! is processed) or `after_commit` (the handler committed, then its answer is replaced or
//! shaped), which is how "the IRN was registered but the answer was lost" is produced.

mod answer;
mod file;
mod header;
mod layer;
mod rule;

use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

pub use self::file::{FaultFile, FaultFileError};
pub use self::header::{FAULT_HEADER, parse_header};
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

/// What a firing rule decided for one request, with its random parts drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// `<id>:<name>:<action type>:<phase>`, for the journal (`header` for the id of a
    /// header fault).
    pub label: String,
    /// When it acts.
    pub phase: Phase,
    /// What to do, with `jitter_ms` added into `ms` and an escalating `retry_after`
    /// worked out.
    pub action: Action,
}

/// The rules in force, in the order they were posted, and the seeded generator.
#[derive(Debug)]
pub struct FaultPlan {
    rules: Vec<StoredRule>,
    last_id: u64,
    seed: u64,
    rng: ChaCha8Rng,
    /// The rules of the `--faults` file, which a reset brings back.
    initial: Vec<FaultRule>,
}

impl Default for FaultPlan {
    fn default() -> Self {
        Self::seeded(0)
    }
}

impl FaultPlan {
    /// An empty plan drawing from `seed`.
    pub fn seeded(seed: u64) -> Self {
        Self {
            rules: Vec::new(),
            last_id: 0,
            seed,
            rng: ChaCha8Rng::seed_from_u64(seed),
            initial: Vec::new(),
        }
    }

    /// Adds the rules of the `--faults` file; a reset brings them back.
    pub fn load(&mut self, rules: Vec<FaultRule>) {
        for rule in &rules {
            self.add(rule.clone());
        }
        self.initial.extend(rules);
    }

    /// The seed the generator started from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

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

    /// Back to the state at start: the file's rules only, ids from 1, none fired, the
    /// generator at its seed.
    pub fn reset(&mut self) {
        let initial = std::mem::take(&mut self.initial);
        *self = Self::seeded(self.seed);
        self.load(initial);
    }

    /// Finds the first rule that fires for `call`, and counts it. Every live rule whose
    /// fields match counts the request toward its `nth`, up to the one that fires; a rule
    /// with a `probability` draws once per request it would otherwise fire on.
    pub fn decide(&mut self, call: &Call<'_>) -> Option<Decision> {
        let Self { rules, rng, .. } = self;
        for stored in rules.iter_mut() {
            let spent = stored.rule.times.is_some_and(|t| stored.fired >= t);
            if spent || !stored.rule.matcher.admits(call) {
                continue;
            }
            stored.seen = stored.seen.saturating_add(1);
            if stored.rule.matcher.nth.is_some_and(|n| n != stored.seen) {
                continue;
            }
            if let Some(p) = stored.rule.matcher.probability
                && rng.r#gen::<f64>() >= p
            {
                continue;
            }
            stored.fired = stored.fired.saturating_add(1);
            let id = stored.id.to_string();
            return Some(decision(rng, &id, &stored.rule, stored.fired));
        }
        None
    }

    /// The decision of a one-off rule (the `X-Emulator-Fault` header), drawn from the same
    /// generator so header faults stay reproducible too.
    pub fn decide_once(&mut self, rule: &FaultRule) -> Decision {
        decision(&mut self.rng, "header", rule, 1)
    }
}

/// The label and the drawn action of `rule` firing for the `fired`th time.
fn decision(rng: &mut ChaCha8Rng, id: &str, rule: &FaultRule, fired: u64) -> Decision {
    let action = match &rule.action {
        Action::Latency {
            ms,
            jitter_ms: Some(jitter),
        } => Action::Latency {
            ms: ms.saturating_add(rng.gen_range(0..=*jitter)),
            jitter_ms: None,
        },
        Action::RateLimited {
            retry_after,
            escalating: Some(true),
            max_retry_after,
        } => {
            let base = retry_after.unwrap_or(1).max(1);
            let doublings = u32::try_from(fired.saturating_sub(1).min(32)).unwrap_or(32);
            let ceiling = max_retry_after.unwrap_or(60).max(base);
            Action::RateLimited {
                retry_after: Some(base.saturating_mul(1u64 << doublings).min(ceiling)),
                escalating: None,
                max_retry_after: None,
            }
        }
        other => other.clone(),
    };
    Decision {
        label: format!(
            "{id}:{}:{}:{}",
            rule.name.as_deref().unwrap_or_default(),
            rule.action.kind(),
            rule.phase.name()
        ),
        phase: rule.phase,
        action,
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
            irp: "nic1",
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
        let cases = [
            (r#"{"phase":"later","action":{"type":"reset"}}"#, "later"),
            (r#"{"phase":"before","action":{"type":"drop"}}"#, "drop"),
            (
                r#"{"phase":"before","action":{"type":"truncate","bytes":3}}"#,
                "after_commit",
            ),
            (
                r#"{"phase":"before","match":{"probability":1.5},"action":{"type":"reset"}}"#,
                "probability",
            ),
            (
                r#"{"phase":"before","action":{"type":"hang","seconds":100000}}"#,
                "at most a day",
            ),
            (
                r#"{"phase":"before","action":{"type":"http_status","status":99}}"#,
                "status",
            ),
        ];
        for (json, why) in cases {
            let error = refused(json);
            assert!(error.contains(why), "{json}: {error}");
        }
    }

    fn fire_pattern(seed: u64) -> Vec<Option<String>> {
        let mut plan = FaultPlan::seeded(seed);
        plan.add(rule(
            r#"{"match":{"probability":0.5},"phase":"before",
                "action":{"type":"latency","ms":10,"jitter_ms":1000}}"#,
        ));
        (0..64)
            .map(|_| {
                plan.decide(&call(Api::GenerateIrn))
                    .map(|d| format!("{:?}", d.action))
            })
            .collect()
    }

    #[test]
    fn the_same_seed_draws_the_same_faults_and_another_seed_does_not() {
        let first = fire_pattern(7);
        assert_eq!(first, fire_pattern(7));
        assert_ne!(first, fire_pattern(8));
        let fired = first.iter().flatten().count();
        assert!((16..=48).contains(&fired), "{fired} of 64 at p = 0.5");
        // Jitter is drawn into `ms`, within its bound.
        assert!(
            first
                .iter()
                .flatten()
                .all(|a| a.contains("jitter_ms: None"))
        );
    }

    #[test]
    fn an_escalating_rate_limit_doubles_up_to_its_ceiling() {
        let mut plan = FaultPlan::default();
        plan.add(rule(
            r#"{"phase":"before","action":{"type":"rate_limited","retry_after":2,
                "escalating":true,"max_retry_after":10}}"#,
        ));
        let waits: Vec<Option<u64>> = (0..5)
            .map(|_| match plan.decide(&call(Api::Auth)).map(|d| d.action) {
                Some(Action::RateLimited { retry_after, .. }) => retry_after,
                _ => None,
            })
            .collect();
        assert_eq!(waits, [Some(2), Some(4), Some(8), Some(10), Some(10)]);
    }

    #[test]
    fn a_reset_brings_back_the_file_rules_and_the_seed() {
        let mut plan = FaultPlan::seeded(3);
        plan.load(vec![rule(
            r#"{"match":{"probability":0.5},"phase":"before","action":{"type":"reset"}}"#,
        )]);
        plan.add(rule(r#"{"phase":"before","action":{"type":"close"}}"#));
        let draw = |plan: &mut FaultPlan| -> Vec<bool> {
            (0..16)
                .map(|_| {
                    plan.decide(&call(Api::Auth))
                        .is_some_and(|d| d.action == Action::Reset {})
                })
                .collect()
        };
        let before = draw(&mut plan);
        plan.reset();
        assert_eq!(plan.rules().len(), 1);
        assert_eq!(plan.rules()[0].id, 1);
        assert_eq!(draw(&mut plan)[..], before[..]);
    }
}
