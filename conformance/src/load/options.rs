//! The command line of `irp-conformance load`, and the run plan it makes.

use std::{path::PathBuf, time::Duration};

use clap::Args;

use super::{
    mix::Mix,
    plan::{Pace, Plan, Stop},
};

/// `irp-conformance load` flags.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Base URL of the IRP. Default: an emulator started in this process on a runtime of its
    /// own (in-memory state), whose CPU time is then measured apart from the generator's.
    #[arg(long)]
    pub target: Option<String>,
    /// Profile (TOML): client, credentials, users and GSTINs, as for `run`. Default: the
    /// built-in emulator profile.
    #[arg(long)]
    pub profile: Option<PathBuf>,
    /// Concurrent connections. Closed model: each sends its next request when the previous
    /// answer arrives. Open model: at most this many requests in flight.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub connections: u32,
    /// Open model: requests per second, timed from their intended send time (so a stall
    /// shows in the latency of the requests queued behind it). Absent: closed model.
    #[arg(long, value_parser = positive)]
    pub rate: Option<f64>,
    /// Seconds of recorded load after the warm-up [default: 10].
    #[arg(long, value_parser = positive, conflicts_with = "count")]
    pub duration: Option<f64>,
    /// Recorded requests, instead of a duration.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Seconds of load before recording starts (sent, not recorded).
    #[arg(long, default_value_t = 1.0, value_parser = not_negative)]
    pub warmup: f64,
    /// Which APIs, in what proportions: generate, duplicate (an invoice already registered,
    /// answered 2150), get (Get IRN), gstin (Get GSTIN details), cancel, ewb (Generate
    /// e-way bill by IRN), health (the emulator's health check).
    #[arg(long, default_value = "generate=100")]
    pub mix: String,
    /// Write the JSON report here.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Measure the server's CPU from /proc/PID/stat (an IRP running as another local
    /// process); the in-process emulator is measured without it.
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// API users to spread requests over. Default: every user of the profile; more are
    /// registered as new suppliers on an emulator with its control namespace.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub users: Option<u64>,
    /// Sends per request under the client's retry policy. 1 (default): no retries, so the
    /// latencies are the IRP's own; a 1005 still renews the session once.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_attempts: u32,
    /// Fault rules for the in-process emulator (the emulator's `--faults` TOML file).
    #[arg(long, conflicts_with = "target")]
    pub faults: Option<PathBuf>,
    /// Items per invoice.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub items: u32,
    /// Seed of the invoice generator.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Admin token of an emulator started with one; default: the profile's.
    #[arg(long, env = "IRP_EMULATOR_ADMIN_TOKEN")]
    pub admin_token: Option<String>,
}

/// The default `--duration`, in seconds.
pub const DEFAULT_DURATION: f64 = 10.0;

fn positive(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!("`{text}` is not a number above zero")),
    }
}

fn not_negative(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("`{text}` is not a number of seconds (0 or more)")),
    }
}

impl LoadArgs {
    /// The run plan, or why the flags do not make one.
    pub fn plan(&self) -> anyhow::Result<Plan> {
        let mix = Mix::parse(&self.mix)?;
        let stop = match self.count {
            Some(count) => Stop::Count(count),
            None => Stop::Duration(seconds(self.duration.unwrap_or(DEFAULT_DURATION))?),
        };
        Ok(Plan {
            connections: usize::try_from(self.connections)?,
            pace: self.rate.map_or(Pace::Closed, Pace::Open),
            stop,
            warmup: seconds(self.warmup)?,
            mix,
        })
    }
}

fn seconds(value: f64) -> anyhow::Result<Duration> {
    Duration::try_from_secs_f64(value).map_err(|e| anyhow::anyhow!("{value} s: {e}"))
}
