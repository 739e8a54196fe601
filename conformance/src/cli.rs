//! The command line: `run` (scenarios against a target), `report --journal` (the report
//! from a team's own traffic), `audit --journal` (its retry behaviour), `parity` (the
//! same steps against an upstream and the in-process emulator) and `proxy` (a recording
//! proxy between a team's ERP and an upstream IRP; it serves until stopped, then exits 0)
//! and `load` (a load generator).
//! Exit codes: 0 passed, 1 a step failed (or, with `--require-minimums` and always for
//! `report`, a minimum is not met; for `audit`, something was found; for `parity`, a step
//! differs; for `load`, a recorded request was not answered as expected), 2 could not run (bad scenario or profile, unreachable target or journal,
//! unwritable output or one holding an earlier report, a journal filter no call matches).

use std::{path::PathBuf, process::ExitCode, time::Duration};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use irp_client::RetryPolicy;
use irp_emulator::{clock::Clock, config::Settings};
use regex::Regex;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use crate::{
    local::LocalEmulator,
    profile::Profile,
    progress::Console,
    report::{Header, Report, folder},
    run::{DocNumbers, Peer, Runner},
    scenario::{self, Loaded},
    target::{IST, Target},
};

/// Conformance harness for NIC IRP e-invoice integrations: runs scenario files against an
/// IRP and writes NIC's Test Summary Report (XLSX, PDF, JSON, JUnit, Markdown).
#[derive(Debug, Parser)]
#[command(name = "irp-conformance", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run scenarios against a target and write the report.
    Run(RunArgs),
    /// Build the report from the emulator's journal of your own client's calls.
    Report(ReportArgs),
    /// Grade your client's retry behaviour from the emulator's journal of its calls.
    Audit(AuditArgs),
    /// Run the same scenarios against an upstream IRP and an in-process emulator, and
    /// report every step where their answers differ.
    Parity(ParityArgs),
    /// Relay your ERP's calls to an IRP (NIC's sandbox) and journal them for `report`.
    Proxy(ProxyArgs),
    /// Put an IRP under load (default: the emulator in this process) and report latency
    /// percentiles per API, the achieved rate against this machine's RSA signing ceiling,
    /// and the server's CPU per request. Exit 0: every recorded request answered as
    /// expected; 1: some were not; 2: could not run (bad flags or --mix, target unreachable,
    /// a login refused).
    Load(crate::load::LoadArgs),
}

#[derive(Debug, Args)]
struct RunArgs {
    /// Base URL of the IRP; default: the profile's `base_url`, else an emulator started
    /// in-process on a free port. The report of the emulator (its `/__emulator__/health`
    /// answers `status: ok`) or of any target on this machine is marked a rehearsal.
    #[arg(long, conflicts_with = "irp")]
    target: Option<String>,
    /// An IRP of a run that reaches several, as `NAME=URL` (`nic1=https://…`); repeat it for
    /// each. The first is the default of steps that name no IRP (`"irp"` in a step). Each
    /// is resolved as `--target` is, with the same profile.
    #[arg(long, value_name = "NAME=URL", value_parser = named_irp)]
    irp: Vec<(String, String)>,
    /// Profile (TOML): credentials, roles, keys, report header. Default: the built-in
    /// emulator profile.
    #[arg(long)]
    profile: Option<PathBuf>,
    /// Scenario directory (searched recursively), or `builtin:<suite>` for a suite compiled
    /// into the binary (`onboarding`, `emulator`, `retry`). Default: `scenarios/onboarding`
    /// when it exists under the current directory, else `builtin:onboarding`.
    #[arg(long)]
    scenarios: Option<String>,
    /// Run only scenarios whose name or a tag matches this regular expression.
    #[arg(long)]
    filter: Option<String>,
    /// List the scenarios (after validating them) and exit.
    #[arg(long)]
    list: bool,
    /// Where the report files go. Default: a new folder
    /// `irp-conformance-report/<yyyy-mm-ddTHH-MM-SS>/` (IST) for each report. A folder that
    /// already holds a report is refused (exit 2) unless `--overwrite` is given.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the report files already in `--out`.
    #[arg(long)]
    overwrite: bool,
    /// Seed of the invoice generator: the same seed generates the same invoices.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also fail (exit 1) when a per-API minimum of NIC's report is not met.
    #[arg(long)]
    require_minimums: bool,
    /// Admin token of an emulator started with one (its control namespace, used for keys,
    /// the clock and fault steps, answers others only from loopback); default: the
    /// profile's `admin_token`.
    #[arg(long, env = "IRP_EMULATOR_ADMIN_TOKEN")]
    admin_token: Option<String>,
    /// Sends per call under the client's retry policy (backoff with jitter, Retry-After,
    /// a 2150 after a lost answer reconciled); 1 turns retries off.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=100))]
    max_attempts: u32,
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// The journal: an emulator's base URL (`http://127.0.0.1:8080`), or a file saved from
    /// `/__emulator__/journal.jsonl` or `/__emulator__/journal`. The report is marked a
    /// rehearsal unless every entry carries `upstream` (a recording proxy's journal of a
    /// real IRP).
    #[arg(long)]
    journal: String,
    /// Admin token of the emulator, if it was started with one.
    #[arg(long, env = "IRP_EMULATOR_ADMIN_TOKEN")]
    admin_token: Option<String>,
    /// Profile (TOML) for the report header (company, user type, project manager, technical
    /// contact) and the minimums applied; the GSTINs, user ids and dates come from the
    /// journal. Default: the built-in emulator profile, whose header holds placeholders.
    #[arg(long)]
    profile: Option<PathBuf>,
    /// Report only the calls with this `client_id` header.
    #[arg(long)]
    client_id: Option<String>,
    /// Report only the calls with this `Gstin` header.
    #[arg(long)]
    gstin: Option<String>,
    /// Report only the calls of this API user (the `user_name` header, or the `UserName`
    /// of a login).
    #[arg(long)]
    user: Option<String>,
    /// Where the report files go. Default: a new folder
    /// `irp-conformance-report/<yyyy-mm-ddTHH-MM-SS>/` (IST) for each report. A folder that
    /// already holds a report is refused (exit 2) unless `--overwrite` is given.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the report files already in `--out`.
    #[arg(long)]
    overwrite: bool,
}

#[derive(Debug, Args)]
struct AuditArgs {
    /// The journal: an emulator's base URL (`http://127.0.0.1:8080`), or a file saved from
    /// `/__emulator__/journal.jsonl` or `/__emulator__/journal`.
    #[arg(long)]
    journal: String,
    /// Admin token of the emulator, if it was started with one.
    #[arg(long, env = "IRP_EMULATOR_ADMIN_TOKEN")]
    admin_token: Option<String>,
    /// Audit only the calls with this `client_id` header.
    #[arg(long)]
    client_id: Option<String>,
    /// Audit only the calls with this `Gstin` header.
    #[arg(long)]
    gstin: Option<String>,
    /// Consecutive failed attempts at one document or call allowed before
    /// `unbounded_retries`.
    #[arg(long, default_value_t = 10)]
    max_retries: usize,
    /// Where `audit.json` and `audit.md` go.
    #[arg(long, default_value = "irp-audit")]
    out: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct ParityArgs {
    /// Base URL of the IRP the emulator is compared with: NIC's sandbox, or another
    /// emulator.
    #[arg(long)]
    pub(crate) upstream: String,
    /// Profile (TOML) of the upstream: credentials, keys, roles. Parties the in-process
    /// emulator lacks are registered in it. Default: the built-in emulator profile (for an
    /// upstream that is an emulator).
    #[arg(long)]
    pub(crate) profile: Option<PathBuf>,
    /// Scenario directory (searched recursively), or `builtin:<suite>`; default as for
    /// `run`. Scenarios that need the control namespace are compared only when the
    /// upstream has one.
    #[arg(long)]
    pub(crate) scenarios: Option<String>,
    /// Compare only scenarios whose name or a tag matches this regular expression.
    #[arg(long)]
    pub(crate) filter: Option<String>,
    /// Admin token of an upstream emulator started with one; default: the profile's.
    #[arg(long, env = "IRP_EMULATOR_ADMIN_TOKEN")]
    pub(crate) admin_token: Option<String>,
    /// Seed of the invoice generator, the same on both sides.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Where `parity.json` and `parity.md` go. A folder that already holds them is refused
    /// (exit 2) unless `--overwrite` is given.
    #[arg(long, default_value = "irp-parity")]
    pub(crate) out: PathBuf,
    /// Replace the parity report already in `--out`.
    #[arg(long)]
    pub(crate) overwrite: bool,
}

#[derive(Debug, Args)]
struct ProxyArgs {
    /// Address to listen on (port 0: any free port); the first stdout line is
    /// `listening on http://ADDR`. The default leaves 8080 to an emulator upstream.
    #[arg(long, default_value = "127.0.0.1:8081")]
    listen: String,
    /// Base URL of the IRP the calls go to (`https://einv-apisandbox.nic.in`); every
    /// journal entry names it as `upstream`.
    #[arg(long)]
    upstream: String,
    /// Profile (TOML) with the upstream's `auth_public_key`, `signing_certificate` (PEM
    /// paths, or `fetch` from an emulator) and `timeout_seconds`. Default: the built-in
    /// emulator profile (keys fetched from an emulator upstream).
    #[arg(long)]
    profile: Option<PathBuf>,
    /// The proxy's key directory (as `irp-emulator keys generate` makes it); your ERP
    /// encrypts its credentials with its `auth-public.pem`. Default: the emulator's
    /// built-in test keys (`keys/auth-public.pem`).
    #[arg(long)]
    keys: Option<PathBuf>,
    /// Also append every journal entry to this file as a JSON line.
    #[arg(long)]
    journal_out: Option<PathBuf>,
    /// Open `/__emulator__/journal` to any caller sending `Authorization: Bearer T`
    /// (default: loopback callers only; the journal holds decrypted invoices).
    #[arg(long)]
    admin_token: Option<String>,
}

/// The scenario source of `run`: the one given, else the repository's onboarding suite when
/// run from a checkout, else the built-in copy.
fn scenario_source(given: Option<&str>) -> String {
    const IN_CHECKOUT: &str = "scenarios/onboarding";
    match given {
        Some(source) => source.to_owned(),
        None if std::path::Path::new(IN_CHECKOUT).is_dir() => IN_CHECKOUT.to_owned(),
        None => format!("{}onboarding", scenario::BUILTIN_PREFIX),
    }
}

/// Parses the command line, runs, and maps the result to the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("irp-conformance: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(execute(cli)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!(
                "irp-conformance: error: {}",
                irp_emulator::cli::causes_once(&e)
            );
            ExitCode::from(2)
        }
    }
}

/// Runs `cli`: `Ok(true)` passed, `Ok(false)` failed, `Err` could not run.
pub async fn execute(cli: Cli) -> anyhow::Result<bool> {
    match cli.command {
        Command::Run(args) => run(args).await,
        Command::Report(args) => report(args).await,
        Command::Audit(args) => audit(args).await,
        Command::Parity(args) => crate::parity::run(args).await,
        Command::Proxy(args) => proxy(args).await,
        Command::Load(args) => load(args).await,
    }
}

/// `load` starts runtimes of its own (the generator's and the emulator's), so it runs on a
/// thread outside this one, named as the generator's threads are: its CPU is not the
/// server's.
async fn load(args: crate::load::LoadArgs) -> anyhow::Result<bool> {
    let (done, result) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name(format!("{}main", crate::load::cpu::LOAD_THREAD_PREFIX))
        .spawn(move || {
            let _ = done.send(crate::load::run(args));
        })
        .context("starting the load thread")?;
    result.await.context("the load thread ended early")?
}

fn load_profile(path: Option<&PathBuf>) -> anyhow::Result<Profile> {
    Ok(match path {
        Some(path) => Profile::load(path)?,
        None => Profile::emulator(),
    })
}

fn select(loaded: Vec<Loaded>, filter: Option<&str>) -> anyhow::Result<Vec<Loaded>> {
    let Some(filter) = filter else {
        return Ok(loaded);
    };
    let regex = Regex::new(filter).with_context(|| format!("--filter {filter}"))?;
    Ok(loaded
        .into_iter()
        .filter(|l| {
            regex.is_match(&l.scenario.name) || l.scenario.tags.iter().any(|t| regex.is_match(t))
        })
        .collect())
}

async fn run(args: RunArgs) -> anyhow::Result<bool> {
    let mut profile = load_profile(args.profile.as_ref())?;
    if let Some(token) = &args.admin_token {
        profile.admin_token = Some(token.clone());
    }
    let source = scenario_source(args.scenarios.as_deref());
    let loaded = select(scenario::load(&source)?, args.filter.as_deref())?;
    if args.list {
        for l in &loaded {
            let s = &l.scenario;
            println!(
                "{}\t{} step(s) x {}\t{}\t{}",
                s.name,
                s.steps.len(),
                s.repeat,
                s.tags.join(","),
                s.description
            );
        }
        return Ok(true);
    }
    anyhow::ensure!(!loaded.is_empty(), "no scenario matches the filter");
    let started = OffsetDateTime::now_utc();
    let out = folder::choose(args.out.as_deref(), args.overwrite, started)?;
    folder::check_writable(&out)?;
    let mut irps = args.irp.clone();
    let mut locals = Vec::new();
    let given = args.target.clone().or_else(|| profile.base_url.clone());
    let wanted = irps_named(loaded.iter().map(|l| &l.scenario));
    if irps.is_empty() && given.is_none() && !wanted.is_empty() {
        // Scenarios that name IRPs, and no target: one in-process emulator serving them.
        let started =
            LocalEmulator::start_irps(&wanted, Settings::default(), Clock::system()).await?;
        for (name, local) in started {
            irps.push((name, local.base.clone()));
            locals.push(local);
        }
    }
    let first_irp = irps.first().cloned();
    let (base, local) = match first_irp.as_ref().map(|(_, url)| url.clone()).or(given) {
        Some(base) => (base, None),
        None => {
            let local = LocalEmulator::start().await?;
            (local.base.clone(), Some(local))
        }
    };
    let target = Target::resolve(&profile, &base).await?;
    let timeout = Duration::from_secs(profile.timeout_seconds);
    let client = target.client(timeout)?;
    let mut others = Vec::new();
    for (name, url) in irps.iter().skip(1) {
        let target = Target::resolve(&profile, url).await?;
        let client = target.client(timeout)?;
        others.push(Peer {
            name: name.clone(),
            target,
            client,
        });
    }
    let first_name = first_irp.map(|(name, _)| name).unwrap_or_default();
    let base = if irps.is_empty() {
        base
    } else {
        let named: Vec<String> = irps.iter().map(|(n, u)| format!("{n}={u}")).collect();
        named.join(", ")
    };
    let unix = u64::try_from(started.unix_timestamp()).unwrap_or_default();
    let mut runner = Runner::new(
        target.clone(),
        client,
        profile.clone(),
        args.seed,
        DocNumbers::new(unix),
    )
    // A scenario that needs the control namespace (moving the clock, setting faults) means
    // nothing without it: on any other target it is skipped whole, not step by step.
    .skip_whole_scenarios()
    .with_irps(&first_name, others)
    .with_retry(RetryPolicy {
        max_attempts: args.max_attempts,
        ..RetryPolicy::default()
    });
    eprintln!(
        "irp-conformance: {} scenario(s) against {base} (seed {}, run {})",
        loaded.len(),
        args.seed,
        runner.run_id()
    );
    let scenarios: Vec<_> = loaded.into_iter().map(|l| l.scenario).collect();
    let outcomes = runner.run(&scenarios, &Console::for_stderr()).await;
    for local in local.into_iter().chain(locals) {
        local.stop().await;
    }
    let mut header = profile.header();
    let day = target.today.to_string();
    header.testing_from = day.clone();
    header.testing_to = day;
    header.target = base;
    header.source = format!(
        "irp-conformance run --scenarios {}{}",
        source,
        args.filter
            .as_deref()
            .map(|f| format!(" --filter {f}"))
            .unwrap_or_default()
    );
    header.seed = Some(args.seed);
    header.filters = args
        .filter
        .iter()
        .map(|f| format!("--filter {f}"))
        .collect();
    let mut report = Report::build(stamp(header, started), profile.minimums, outcomes);
    if let Some(reason) = target.rehearsal() {
        report = report.rehearsal(reason);
    }
    finish(&report, &out, args.require_minimums)
}

async fn report(args: ReportArgs) -> anyhow::Result<bool> {
    let profile = load_profile(args.profile.as_ref())?;
    let started = OffsetDateTime::now_utc();
    let out = folder::choose(args.out.as_deref(), args.overwrite, started)?;
    folder::check_writable(&out)?;
    let entries = crate::journal::read(&args.journal, args.admin_token.as_deref()).await?;
    let filter = crate::journal::Filter {
        client_id: args.client_id,
        gstin: args.gstin,
        user: args.user,
    };
    let header = stamp(profile.header(), started);
    let report = crate::journal::report(&entries, &args.journal, &filter, header, profile.minimums)
        .with_context(|| {
            format!(
                "no entry of {} matches {} ({} entries read)",
                args.journal,
                filter.describe().join(" "),
                entries.len()
            )
        })?;
    let passed = finish(&report, &out, true)?;
    let never_seen = report.never_seen.as_deref().unwrap_or_default();
    eprintln!(
        "irp-conformance: {} catalogue case(s) never seen{} in {} ({} of {} entries kept{})",
        never_seen.len(),
        if never_seen.is_empty() {
            ""
        } else {
            " (listed above)"
        },
        args.journal,
        entries.iter().filter(|e| filter.keeps(e)).count(),
        entries.len(),
        report
            .header
            .filters
            .iter()
            .map(|f| format!(", {f}"))
            .collect::<String>()
    );
    Ok(passed)
}

async fn audit(args: AuditArgs) -> anyhow::Result<bool> {
    let entries = crate::journal::read(&args.journal, args.admin_token.as_deref()).await?;
    let options = crate::audit::Options {
        client_id: args.client_id,
        gstin: args.gstin,
        max_retries: args.max_retries,
    };
    let mut audit = crate::audit::audit(&entries, &options);
    // Nothing to grade is a mistake (a wrong filter or journal), not a clean bill.
    anyhow::ensure!(
        audit.summary.calls > 0,
        "no IRP call in {} matches the filters ({} entries read)",
        args.journal,
        entries.len()
    );
    let header = stamp(Header::default(), OffsetDateTime::now_utc());
    audit.tool = header.tool;
    audit.generated_at = header.generated_at;
    audit.journal = args.journal;
    let written = crate::audit::write_all(&audit, &args.out)
        .with_context(|| format!("writing the audit to {}", args.out.display()))?;
    eprintln!("{}", crate::audit::summary_line(&audit, &written));
    Ok(audit.passed)
}

async fn proxy(args: ProxyArgs) -> anyhow::Result<bool> {
    let keys = match &args.keys {
        Some(dir) => irp_emulator::keys::KeyPems::read_dir(dir).context("--keys")?,
        None => irp_emulator::keys::KeyPems::embedded(),
    };
    let options = crate::proxy::Options {
        upstream: args.upstream,
        profile: load_profile(args.profile.as_ref())?,
        keys,
        journal_out: args.journal_out,
        admin_token: args.admin_token,
        limits: crate::proxy::Limits::default(),
    };
    crate::proxy::run(&args.listen, options).await
}

fn stamp(mut header: Header, at: OffsetDateTime) -> Header {
    header.tool = concat!("irp-conformance ", env!("CARGO_PKG_VERSION")).to_owned();
    header.generated_at = at
        .to_offset(IST)
        .replace_nanosecond(0)
        .unwrap_or(at)
        .format(&Rfc3339)
        .unwrap_or_default();
    header
}

/// Writes every format, prints the summary; whether the run passed (and, with `minimums`,
/// whether every minimum is met).
fn finish(report: &Report, out: &std::path::Path, minimums: bool) -> anyhow::Result<bool> {
    let written = crate::report::write_all(report, out)
        .with_context(|| format!("writing the report to {}", out.display()))?;
    eprintln!("{}", crate::report::markdown::to_string(report));
    for path in [
        &written.xlsx,
        &written.pdf,
        &written.json,
        &written.junit,
        &written.markdown,
    ] {
        eprintln!("wrote {}", path.display());
    }
    Ok(if minimums {
        report.passed()
    } else {
        report.failures().next().is_none()
    })
}

/// The IRPs `scenarios` name (a step's `irp` or `failover`), `nic1` first, then in order of
/// first mention; none when no step names one.
fn irps_named<'a>(scenarios: impl Iterator<Item = &'a scenario::Scenario>) -> Vec<String> {
    let mut names = Vec::new();
    for step in scenarios.flat_map(|s| &s.steps) {
        for name in [&step.irp, &step.failover].into_iter().flatten() {
            let name = name.trim().to_ascii_lowercase();
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    if !names.is_empty() && !names.iter().any(|n| n == "nic1") {
        names.insert(0, "nic1".to_owned());
    } else if let Some(at) = names.iter().position(|n| n == "nic1") {
        let first = names.remove(at);
        names.insert(0, first);
    }
    names
}

/// `NAME=URL` of `--irp`.
fn named_irp(text: &str) -> Result<(String, String), String> {
    let (name, url) = text
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=URL, got {text:?}"))?;
    let name = name.trim();
    let valid = !name.is_empty()
        && name.len() <= 32
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(format!(
            "IRP name {name:?}: 1 to 32 letters, digits, - or _"
        ));
    }
    if url.trim().is_empty() {
        return Err(format!("no URL for IRP {name}"));
    }
    Ok((name.to_ascii_lowercase(), url.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::named_irp;

    #[test]
    fn irps_are_named_name_equals_url() {
        assert_eq!(
            named_irp("NIC2=http://127.0.0.1:8081 "),
            Ok(("nic2".to_owned(), "http://127.0.0.1:8081".to_owned()))
        );
        for bad in [
            "nic2",
            "=http://x",
            "nic 2=http://x",
            "nic2=",
            "n/2=http://x",
        ] {
            assert!(named_irp(bad).is_err(), "{bad}");
        }
    }
}
