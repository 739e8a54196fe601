//! The load report: the JSON document (`schemas/load-report.schema.json`) and the one-line
//! summary on stdout.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{
    ceiling::Ceiling,
    cpu::Spent,
    latency::{ApiTally, Tally},
    mix::LoadApi,
    plan::{Pace, Plan},
    schedule::Recorded,
};

/// The JSON report.
#[derive(Debug, Clone, Serialize)]
pub struct LoadReport {
    /// `irp-conformance VERSION`.
    pub tool: String,
    /// The IRP's base URL.
    pub target: String,
    /// The emulator ran in this process.
    pub in_process: bool,
    /// `closed` or `open`.
    pub model: &'static str,
    /// Concurrent connections.
    pub connections: usize,
    /// The open model's target rate per second (null for the closed model).
    pub rate: Option<f64>,
    /// The mix, as `api=weight,…`.
    pub mix: String,
    /// API users the requests were spread over.
    pub users: usize,
    /// Sends per request under the retry policy.
    pub max_attempts: u32,
    /// Unrecorded seconds at the start.
    pub warmup_s: f64,
    /// Seconds from the end of the warm-up to the last recorded answer.
    pub duration_s: f64,
    /// Recorded requests sent.
    pub requests: u64,
    /// Of which errors.
    pub errors: u64,
    /// Requests not sent for want of a registered IRN.
    pub skipped: u64,
    /// Recorded requests per second.
    pub achieved_rate: f64,
    /// Open model: recorded requests sent more than 10 ms after their intended time.
    pub late_starts: u64,
    /// Cores available to this process.
    pub cores: usize,
    /// RSA-2048 PKCS#1 v1.5 SHA-256 signatures per second on one core (AWS-LC).
    pub rsa2048_signs_per_second_per_core: f64,
    /// `cores × signatures per second ÷ 2`: the most Generate IRN calls a second.
    pub ceiling_generate_rate: f64,
    /// Registered invoices per second ÷ the ceiling; null without Generate IRN.
    pub ceiling_ratio: Option<f64>,
    /// Invoices made and sealed before the clock started, and after (a stock run out).
    pub invoices: Invoices,
    /// The server's CPU over the recorded window; absent where it cannot be measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_cpu: Option<ServerCpu>,
    /// Per API, by name.
    pub apis: BTreeMap<&'static str, ApiReport>,
}

/// Invoices made for the run.
#[derive(Debug, Clone, Serialize)]
pub struct Invoices {
    /// Before the clock started.
    pub prepared: u64,
    /// During the run, when a user's stock ran out.
    pub made_during_run: u64,
}

/// The server's CPU time.
#[derive(Debug, Clone, Serialize)]
pub struct ServerCpu {
    /// What was measured: `in-process` or `pid N`.
    pub source: String,
    /// CPU seconds over the recorded window.
    pub seconds: f64,
    /// Cores kept busy on average.
    pub cores_busy: f64,
    /// CPU milliseconds per recorded request.
    pub per_request_ms: f64,
    /// Per request, in RSA-2048 signatures (the CPU of one signature on this machine).
    pub per_request_vs_one_signature: f64,
    /// Pure Generate IRN mix only: per request ÷ the time of two signatures (1.0 would be
    /// a server doing nothing but sign).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_generate_vs_two_signatures: Option<f64>,
    /// In-process only: the load generator's own CPU seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generator_seconds: Option<f64>,
}

/// One API's figures.
#[derive(Debug, Clone, Serialize)]
pub struct ApiReport {
    /// Requests sent.
    pub count: u64,
    /// Answered as expected.
    pub ok: u64,
    /// Not.
    pub errors: u64,
    /// Not sent for want of a registered IRN.
    pub skipped: u64,
    /// Sends beyond the first.
    pub retries: u64,
    /// Per second over the window.
    pub rate: f64,
    /// Latency percentiles and maximum, milliseconds.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th.
    pub p99_ms: f64,
    /// 99.9th.
    pub p999_ms: f64,
    /// Maximum.
    pub max_ms: f64,
    /// Bad answers by first error code (or `HTTP nnn`, `transport`, `timeout`).
    pub error_codes: BTreeMap<String, u64>,
}

impl ApiReport {
    fn of(tally: &ApiTally, seconds: f64) -> Self {
        Self {
            count: tally.count(),
            ok: tally.ok,
            errors: tally.errors,
            skipped: tally.skipped,
            retries: tally.retries,
            rate: round(per_second(tally.count(), seconds), 2),
            p50_ms: tally.quantile_ms(0.5),
            p90_ms: tally.quantile_ms(0.9),
            p99_ms: tally.quantile_ms(0.99),
            p999_ms: tally.quantile_ms(0.999),
            max_ms: tally.max_ms(),
            error_codes: tally.error_codes.clone(),
        }
    }
}

/// `value` to `places` decimals, so the JSON shows what was measured and no float noise.
fn round(value: f64, places: i32) -> f64 {
    let scale = 10_f64.powi(places);
    (value * scale).round() / scale
}

fn per_second(n: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        n as f64 / seconds
    } else {
        0.0
    }
}

/// What the report is made from beside the recording.
#[derive(Debug, Clone)]
pub struct Context {
    /// The IRP's base URL.
    pub target: String,
    /// The emulator ran in this process.
    pub in_process: bool,
    /// Users.
    pub users: usize,
    /// Sends per request.
    pub max_attempts: u32,
    /// The signing ceiling.
    pub ceiling: Ceiling,
    /// Invoices made.
    pub invoices: Invoices,
    /// The server's CPU and where it was read, when measured.
    pub cpu: Option<(String, Spent)>,
}

impl LoadReport {
    /// The report of `recorded` under `plan`.
    pub fn build(plan: &Plan, recorded: &Recorded, context: Context) -> Self {
        let seconds = recorded.window.as_secs_f64();
        let tally: &Tally = &recorded.tally;
        let requests = tally.requests();
        let registered = tally.api(LoadApi::Generate).map(|g| g.ok);
        let ceiling = context.ceiling;
        let server_cpu = context.cpu.map(|(source, spent)| {
            let per_request_ms = 1000.0 * spent.server / requests.max(1) as f64;
            let one = per_request_ms / ceiling.signature_ms();
            ServerCpu {
                source,
                seconds: round(spent.server, 3),
                cores_busy: if seconds > 0.0 {
                    round(spent.server / seconds, 3)
                } else {
                    0.0
                },
                per_request_ms: round(per_request_ms, 4),
                per_request_vs_one_signature: round(one, 3),
                per_generate_vs_two_signatures: plan
                    .mix
                    .is_pure(LoadApi::Generate)
                    .then_some(round(one / 2.0, 3)),
                generator_seconds: context.in_process.then_some(round(spent.generator, 3)),
            }
        });
        Self {
            tool: concat!("irp-conformance ", env!("CARGO_PKG_VERSION")).to_owned(),
            target: context.target,
            in_process: context.in_process,
            model: match plan.pace {
                Pace::Closed => "closed",
                Pace::Open(_) => "open",
            },
            connections: plan.connections,
            rate: match plan.pace {
                Pace::Closed => None,
                Pace::Open(rate) => Some(rate),
            },
            mix: plan.mix.to_string(),
            users: context.users,
            max_attempts: context.max_attempts,
            warmup_s: plan.warmup.as_secs_f64(),
            duration_s: round(seconds, 3),
            requests,
            errors: tally.errors(),
            skipped: tally.skipped(),
            achieved_rate: round(per_second(requests, seconds), 2),
            late_starts: recorded.late,
            cores: ceiling.cores,
            rsa2048_signs_per_second_per_core: round(ceiling.signs_per_second, 1),
            ceiling_generate_rate: round(ceiling.generate_rate(), 1),
            ceiling_ratio: registered
                .map(|ok| round(per_second(ok, seconds) / ceiling.generate_rate(), 4)),
            invoices: context.invoices,
            server_cpu,
            apis: tally
                .apis()
                .map(|(api, t)| (api.name(), ApiReport::of(t, seconds)))
                .collect(),
        }
    }
}
