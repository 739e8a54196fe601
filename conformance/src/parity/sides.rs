//! The two sides of a comparison: the upstream IRP and an emulator started in this
//! process, each with its own [`Target`] (the upstream's keys come from the profile, the
//! emulator's from its own sandbox endpoint) and its own [`Runner`], fed the same
//! scenarios, seed and document numbers, so both are sent the same invoices.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{
    compare::StepParity,
    taxpayers::{self, TaxpayerError},
};
use crate::{
    local::{LocalEmulator, LocalError},
    profile::{FETCH, Profile},
    report::Outcome,
    run::{DocNumbers, Progress, Runner},
    scenario::Scenario,
    target::{Target, TargetError},
};

/// Why the sides could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum SideError {
    /// The upstream could not be resolved (unreachable, keys).
    #[error("upstream: {0}")]
    Upstream(TargetError),
    /// The in-process emulator did not start or could not be resolved.
    #[error("in-process emulator: {0}")]
    Local(String),
    /// The profile's parties could not be registered.
    #[error(transparent)]
    Taxpayers(#[from] TaxpayerError),
}

impl From<LocalError> for SideError {
    fn from(error: LocalError) -> Self {
        Self::Local(error.to_string())
    }
}

/// What the report says about one side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideInfo {
    /// Base URL.
    pub base: String,
    /// It is an emulator (its `/__emulator__/health` answered `status: ok`).
    pub emulator: bool,
    /// Its control namespace answered: scenarios that need it ran there.
    pub control: bool,
    /// GSTINs registered in it before the run (the profile's parties its master lacked).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub registered: Vec<String>,
}

impl SideInfo {
    fn of(target: &Target) -> Self {
        Self {
            base: target.portal.base.clone(),
            emulator: target.emulator,
            control: target.control,
            registered: Vec::new(),
        }
    }
}

/// Hears nothing: the comparison reports per scenario itself.
struct Quiet;

impl Progress for Quiet {
    fn start(&self, _steps: u64) {}
    fn step(&self, _outcome: &Outcome) {}
    fn scenario(&self, _name: &str, _outcomes: &[Outcome]) {}
    fn finish(&self) {}
}

/// Both sides, ready to run.
#[derive(Debug)]
pub struct Sides {
    upstream: Runner,
    emulator: Runner,
    local: LocalEmulator,
    /// The upstream, as the report shows it.
    pub upstream_info: SideInfo,
    /// The in-process emulator, as the report shows it.
    pub emulator_info: SideInfo,
}

/// The profile of the in-process side: the parties of `profile`, the emulator's own
/// client, keys fetched from its sandbox endpoint.
fn local_profile(profile: &Profile) -> Profile {
    let builtin = Profile::emulator();
    Profile {
        base_url: None,
        client_id: builtin.client_id,
        client_secret: builtin.client_secret,
        auth_public_key: FETCH.to_owned(),
        signing_certificate: FETCH.to_owned(),
        admin_token: None,
        ..profile.clone()
    }
}

impl Sides {
    /// Resolves `upstream` with `profile`, starts the in-process emulator, registers the
    /// profile's parties in it, and builds a runner for each with `seed` and the same
    /// document numbers.
    pub async fn prepare(profile: &Profile, upstream: &str, seed: u64) -> Result<Self, SideError> {
        let timeout = Duration::from_secs(profile.timeout_seconds);
        let up_target = Target::resolve(profile, upstream)
            .await
            .map_err(SideError::Upstream)?;
        let local = LocalEmulator::start().await?;
        let here = local_profile(profile);
        let em_target = Target::resolve(&here, &local.base)
            .await
            .map_err(|e| SideError::Local(e.to_string()))?;
        let up_client = up_target
            .client(timeout)
            .map_err(|e| SideError::Upstream(e.into()))?;
        let em_client = em_target
            .client(timeout)
            .map_err(|e| SideError::Local(e.to_string()))?;
        let records = taxpayers::records(profile)?;
        taxpayers::register(&em_client, &records).await?;
        let unix = u64::try_from(OffsetDateTime::now_utc().unix_timestamp()).unwrap_or_default();
        let numbers = DocNumbers::new(unix);
        let mut emulator_info = SideInfo::of(&em_target);
        emulator_info.registered = records
            .iter()
            .filter_map(|r| r["Gstin"].as_str().map(str::to_owned))
            .collect();
        Ok(Self {
            upstream_info: SideInfo::of(&up_target),
            emulator_info,
            upstream: Runner::new(up_target, up_client, profile.clone(), seed, numbers.clone())
                .skip_whole_scenarios(),
            emulator: Runner::new(em_target, em_client, here, seed, numbers).skip_whole_scenarios(),
            local,
        })
    }

    /// The run id in both sides' document numbers.
    pub fn run_id(&self) -> String {
        self.upstream.run_id().to_owned()
    }

    /// Runs `scenario` on both sides at once and compares its steps.
    pub async fn compare(&mut self, scenario: &Scenario) -> Vec<StepParity> {
        let one = std::slice::from_ref(scenario);
        let (up, em) = tokio::join!(
            self.upstream.run(one, &Quiet),
            self.emulator.run(one, &Quiet)
        );
        // Both runners make one outcome per step and repetition, in the same order.
        up.iter()
            .zip(&em)
            .map(|(up, em)| StepParity::compare(up, em))
            .collect()
    }

    /// Stops the in-process emulator.
    pub async fn stop(self) {
        self.local.stop().await;
    }
}
