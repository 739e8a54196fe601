//! Rate limits, as data: rules posted to `/__emulator__/rate-limits` (or read from the
//! start-up file), kept in a [`RateLimiter`] and enforced by one middleware ([`limit`]) on
//! the IRP API routes.
//!
//! NIC throttles GSPs per client and per GSTIN; an ERP has to survive HTTP 429 and honour
//! `Retry-After`. A rule counts requests per value of one header (`client_id` or `Gstin`)
//! in sliding windows of a second, a minute and an hour, on wall time (not the emulator's
//! virtual clock, which tests move by days). A refused request is not counted, so a client
//! that waits the `Retry-After` it was given is admitted.
//!
//! This is separate from the fault plan's `rate_limited` action: that one refuses on a
//! schedule the test writes; this one refuses when a client sends too much.

mod layer;
mod rule;
mod tally;
#[cfg(test)]
mod tests;
mod window;

use serde::Serialize;
use tokio::time::Instant;

pub use self::layer::limit;
pub use self::rule::{MAX_LIMIT, Per, RateLimitRule, RuleError, Span};
pub use self::tally::MAX_KEYS;
use self::tally::Tally;
use crate::api::Api;

/// A stored rule: its id, the rule, and how many requests it refused.
#[derive(Debug, Clone, Serialize)]
pub struct StoredLimit {
    /// The id the control API names it by.
    pub id: u64,
    /// The rule as posted.
    #[serde(flatten)]
    pub rule: RateLimitRule,
    /// How many requests it refused.
    pub refused: u64,
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The rule that refused it.
    pub rule_id: u64,
    /// The rule's name.
    pub name: Option<String>,
    /// Whole seconds until the full window admits again (rounded up, at least 1).
    pub retry_after: u64,
    /// The header the rule counts by.
    pub per: Per,
    /// The full window.
    pub span: Span,
}

impl Refusal {
    /// `<per>:<window>`, e.g. `client_id:second`.
    pub fn limit(&self) -> String {
        format!("{}:{}", self.per.name(), self.span.name())
    }

    /// `rate_limit:<id>:<name>`, for the journal's `fault`.
    pub fn label(&self) -> String {
        format!(
            "rate_limit:{}:{}",
            self.rule_id,
            self.name.as_deref().unwrap_or_default()
        )
    }
}

/// The rules in force and the windows of every key they have counted.
#[derive(Debug)]
pub struct RateLimiter {
    rules: Vec<StoredLimit>,
    last_id: u64,
    tally: Tally,
    /// The rules of the `--faults` file, which a reset brings back.
    initial: Vec<RateLimitRule>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::with_key_cap(MAX_KEYS)
    }
}

impl RateLimiter {
    /// A limiter that remembers at most `cap` keys (see [`MAX_KEYS`]).
    fn with_key_cap(cap: usize) -> Self {
        Self {
            rules: Vec::new(),
            last_id: 0,
            tally: Tally::new(cap),
            initial: Vec::new(),
        }
    }

    /// Adds the rules of the `--faults` file; a reset brings them back.
    pub fn load(&mut self, rules: Vec<RateLimitRule>) {
        for rule in &rules {
            self.add(rule.clone());
        }
        self.initial.extend(rules);
    }

    /// Back to the state at start: the file's rules only, ids from 1, no window counted.
    pub fn reset(&mut self) {
        let initial = std::mem::take(&mut self.initial);
        *self = Self::default();
        self.load(initial);
    }

    /// Stores `rule` under a new id (from 1).
    pub fn add(&mut self, rule: RateLimitRule) -> StoredLimit {
        self.last_id = self.last_id.saturating_add(1);
        let stored = StoredLimit {
            id: self.last_id,
            rule,
            refused: 0,
        };
        self.rules.push(stored.clone());
        stored
    }

    /// Every rule, in order.
    pub fn rules(&self) -> &[StoredLimit] {
        &self.rules
    }

    /// Whether there is no rule: the middleware's fast path.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Removes the rule `id` and its windows; whether it existed.
    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.id != id);
        self.tally.forget(id);
        self.rules.len() != before
    }

    /// Removes every rule and window (ids keep counting up).
    pub fn clear(&mut self) {
        self.rules.clear();
        self.tally.clear();
    }

    /// Admits a call of `api` at `now` and counts it in every window of every rule that
    /// covers it, or refuses it and counts nothing. A rule keyed on a header the request
    /// lacks does not apply. When several rules refuse, each counts the refusal and the
    /// answer names the one with the longest wait (the first of them on a tie).
    pub fn check(
        &mut self,
        api: Api,
        client_id: Option<&str>,
        gstin: Option<&str>,
        now: Instant,
    ) -> Option<Refusal> {
        // GSTINs are compared in any case elsewhere (the fault matcher, the master).
        let gstin = gstin.map(str::to_ascii_uppercase);
        let key = |rule: &RateLimitRule| match rule.per() {
            Per::ClientId => client_id,
            Per::Gstin => gstin.as_deref(),
        };
        let mut worst: Option<Refusal> = None;
        for stored in &mut self.rules {
            let Some(value) = key(&stored.rule).filter(|_| stored.rule.covers(api)) else {
                continue;
            };
            let Some((wait, span)) = self.tally.wait(stored.id, value, now) else {
                continue;
            };
            stored.refused = stored.refused.saturating_add(1);
            let retry_after = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            if worst.as_ref().is_none_or(|w| retry_after > w.retry_after) {
                worst = Some(Refusal {
                    rule_id: stored.id,
                    name: stored.rule.name().map(str::to_owned),
                    retry_after: retry_after.max(1),
                    per: stored.rule.per(),
                    span,
                });
            }
        }
        if worst.is_some() {
            return worst;
        }
        for stored in &self.rules {
            if let Some(value) = key(&stored.rule).filter(|_| stored.rule.covers(api)) {
                self.tally
                    .admit(stored.id, value, stored.rule.windows(), now);
            }
        }
        None
    }
}
