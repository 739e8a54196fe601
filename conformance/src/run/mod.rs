//! The runner: scenarios in file order, steps in order, every answer checked.
//!
//! Sessions are kept per role across the whole run, as an ERP keeps its token: a step that
//! needs a session and has none logs in first (that login is not a report row). A token
//! the target stops accepting (1005) when the step did not expect it is renewed once and
//! the call retried, as production clients do. Every call goes through the client's
//! [`RetryPolicy`] (backoff with jitter, `Retry-After`, 2150 reconciled after a lost answer)
//! unless the step sets `"retry": false`.
//!
//! A run may reach several IRPs (an emulator serving several, or NIC-1 and NIC-2): each is a
//! [`Peer`] with its own client, keys and sessions, and a step names the one it calls
//! (`"irp": "nic2"`); steps that name none call the first.

mod expect;
mod numbers;
mod outcome;
mod session;
mod step;

use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
};

use irp_client::{Client, RetryPolicy, Session};
use serde_json::Value;

pub use self::expect::{RESPONSE_SCHEMAS, describe};
pub use self::numbers::DocNumbers;
use crate::{profile::Profile, report::Outcome, scenario::Scenario, target::Target};

/// Hears about progress (a progress bar, or plain lines).
pub trait Progress {
    /// The run has `steps` steps in all.
    fn start(&self, steps: u64);
    /// One step finished.
    fn step(&self, outcome: &Outcome);
    /// A scenario finished with these outcomes.
    fn scenario(&self, name: &str, outcomes: &[Outcome]);
    /// The run finished.
    fn finish(&self);
}

/// One IRP of a run: its name (empty for the only one), target and client.
#[derive(Debug, Clone)]
pub struct Peer {
    /// `nic1`, `nic2`, …; empty when the run has one IRP.
    pub name: String,
    /// The resolved target.
    pub target: Target,
    /// The client of that target.
    pub client: Client,
}

/// Runs scenarios against one target, or several IRPs.
#[derive(Debug)]
pub struct Runner {
    /// The IRPs; the first is the default.
    peers: Vec<Peer>,
    /// The IRP of the step being run (an index into `peers`).
    at: usize,
    profile: Arc<Profile>,
    seed: u64,
    numbers: DocNumbers,
    /// Sessions by IRP (index) and role.
    sessions: HashMap<(usize, String), Session>,
    retry: RetryPolicy,
    whole_scenarios: bool,
}

/// What one repetition of a scenario remembers: captures and the bodies it sent.
#[derive(Debug, Default)]
struct Memory {
    captures: BTreeMap<String, Value>,
    requests: BTreeMap<String, Value>,
}

impl Runner {
    /// A runner of `target` through `client`, as the roles of `profile`, generating
    /// invoices from `seed`.
    pub fn new(
        target: Target,
        client: Client,
        profile: Profile,
        seed: u64,
        numbers: DocNumbers,
    ) -> Self {
        Self {
            peers: vec![Peer {
                name: String::new(),
                target,
                client,
            }],
            at: 0,
            profile: Arc::new(profile),
            seed,
            numbers,
            sessions: HashMap::new(),
            retry: RetryPolicy::default(),
            whole_scenarios: false,
        }
    }

    /// Names the first IRP `name` and adds `others`: a step's `irp` picks one by name.
    #[must_use]
    pub fn with_irps(mut self, name: &str, others: Vec<Peer>) -> Self {
        if let Some(first) = self.peers.first_mut() {
            first.name = name.to_owned();
        }
        self.peers.extend(others);
        self
    }

    /// The IRP of the step being run.
    fn peer(&self) -> &Peer {
        // `at` only ever holds an index of `peers`, which is never empty.
        self.peers
            .get(self.at)
            .unwrap_or_else(|| unreachable!("no IRP {}", self.at))
    }

    /// Retries calls under `policy` instead of the default.
    #[must_use]
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Skips every step of a scenario whose requirements the target does not meet, not
    /// only its control steps. Numbers are still drawn for the skipped steps, so a runner
    /// of another target that runs the scenario keeps the same document numbers
    /// (`irp-conformance parity`).
    #[must_use]
    pub fn skip_whole_scenarios(mut self) -> Self {
        self.whole_scenarios = true;
        self
    }

    /// The run id in this run's document numbers.
    pub fn run_id(&self) -> &str {
        self.numbers.run()
    }

    /// Runs `scenarios`, reporting to `progress`; one outcome per step run (or skipped).
    pub async fn run(&mut self, scenarios: &[Scenario], progress: &dyn Progress) -> Vec<Outcome> {
        let total: u64 = scenarios
            .iter()
            .map(|s| u64::from(s.repeat) * s.steps.len() as u64)
            .sum();
        progress.start(total);
        let mut all = Vec::new();
        for scenario in scenarios {
            let mut outcomes = Vec::new();
            for repeat in 1..=scenario.repeat {
                let mut memory = Memory::default();
                for step in &scenario.steps {
                    let outcome = self.step(scenario, step, repeat, &mut memory).await;
                    progress.step(&outcome);
                    outcomes.push(outcome);
                }
            }
            progress.scenario(&scenario.name, &outcomes);
            all.extend(outcomes);
        }
        progress.finish();
        all
    }
}
