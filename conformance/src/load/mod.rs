//! `irp-conformance load`: a load generator for an IRP, with the emulator as its default
//! target.
//!
//! A capacity figure means little without the machine it was measured on, so a run also
//! measures this machine's RSA-2048 signing rate (two signatures are the floor of every
//! Generate IRN) and, where it can, the server's CPU per request; the report states the
//! achieved rate as a share of that ceiling.
//!
//! The run: measure the signing rate (1 s); start the emulator in this process on its own
//! runtime (unless `--target`); log every user in; make and seal the invoices and register
//! the IRNs the mix needs; then drive the load on a runtime whose threads are named
//! `irp-load-N`, so the server's CPU can be told from the generator's.
//!
//! # Layout
//!
//! - [`options`]: the flags; [`plan`]: the run's shape; [`mix`]: which API each request
//!   calls.
//! - [`schedule`]: closed and open models, warm-up, count and duration.
//! - [`users`], [`stock`], [`prepare`]: sessions, sealed invoices, registered IRNs.
//! - [`exchange`]: one request over HTTP and what its answer counts as.
//! - [`latency`]: per-API HDR histograms; [`report`]: the JSON report; [`summary`]: the
//!   line on stdout.
//! - [`ceiling`]: the signing rate; [`cpu`]: CPU time from `/proc`; [`hosted`]: the
//!   in-process emulator.

pub mod ceiling;
pub mod cpu;
pub mod exchange;
pub mod hosted;
pub mod latency;
pub mod mix;
pub mod options;
pub mod plan;
pub mod prepare;
pub mod report;
pub mod schedule;
pub mod stock;
pub mod summary;
pub mod users;

use std::{
    sync::{Arc, Mutex, PoisonError, atomic::Ordering},
    time::Duration,
};

use anyhow::Context;
use irp_client::RetryPolicy;

pub use self::options::LoadArgs;
use self::{
    ceiling::Ceiling,
    cpu::{LOAD_THREAD_PREFIX, Server, Snapshot},
    exchange::Http,
    hosted::Hosted,
    plan::Plan,
    prepare::Sizing,
    report::{Context as ReportContext, Invoices as Made, LoadReport},
    schedule::{Progress, drive},
    stock::Invoices,
};
use crate::{
    generator::Generator,
    profile::Profile,
    run::DocNumbers,
    scenario::{EwbSpec, InvoiceSpec},
    target::Target,
};

/// Runs `load`: `Ok(true)` when every recorded request was answered as expected,
/// `Ok(false)` when some were not, `Err` when the run could not be made. Call it outside
/// any runtime: it starts its own.
pub fn run(args: LoadArgs) -> anyhow::Result<bool> {
    let plan = args.plan()?;
    let mut profile = match &args.profile {
        Some(path) => Profile::load(path)?,
        None => Profile::emulator(),
    };
    if let Some(token) = &args.admin_token {
        profile.admin_token = Some(token.clone());
    }
    let target = args.target.clone().or_else(|| profile.base_url.clone());
    anyhow::ensure!(
        args.faults.is_none() || target.is_none(),
        "--faults applies to the in-process emulator; the profile names a base_url"
    );
    eprintln!("load: measuring this machine's RSA-2048 signing rate (1 s, one core)");
    let ceiling = Ceiling::measure(Duration::from_secs(1))?;
    let hosted = match target {
        Some(_) => None,
        None => Some(Hosted::start(args.faults.as_deref())?),
    };
    let base = target
        .or_else(|| hosted.as_ref().map(|h| h.base.clone()))
        .unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(ceiling.cores)
        .thread_name_fn(thread_names(LOAD_THREAD_PREFIX))
        .enable_all()
        .build()
        .context("starting the load generator's runtime")?;
    let server = match (args.server_pid, &hosted) {
        (Some(pid), _) => Some(Server::Pid(pid)),
        (None, Some(_)) => Some(Server::InProcess),
        (None, None) => None,
    };
    let outcome = runtime.block_on(load(&args, &plan, &profile, &base, ceiling, server));
    runtime.shutdown_timeout(Duration::from_secs(5));
    let in_process = hosted.is_some();
    if let Some(hosted) = hosted {
        hosted.stop();
    }
    let (recorded, context) = outcome?;
    let context = ReportContext {
        in_process,
        ..context
    };
    let report = LoadReport::build(&plan, &recorded, context);
    anyhow::ensure!(report.requests > 0, "no request was recorded");
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, text + "\n")
            .with_context(|| format!("writing the report to {}", path.display()))?;
        eprintln!("load: wrote {}", path.display());
    }
    println!("{}", report.summary());
    Ok(report.errors == 0)
}

/// Names `prefix0`, `prefix1`, … for a runtime's threads (Linux keeps 15 characters).
fn thread_names(prefix: &'static str) -> impl Fn() -> String + Send + Sync + 'static {
    let next = std::sync::atomic::AtomicUsize::new(0);
    move || format!("{prefix}{}", next.fetch_add(1, Ordering::Relaxed))
}

/// Prepares and drives the run on the generator's runtime.
async fn load(
    args: &LoadArgs,
    plan: &Plan,
    profile: &Profile,
    base: &str,
    ceiling: Ceiling,
    server: Option<Server>,
) -> anyhow::Result<(schedule::Recorded, ReportContext)> {
    let target = Target::resolve(profile, base).await?;
    let client = target.client(Duration::from_secs(profile.timeout_seconds))?;
    let wanted = args.users.map(usize::try_from).transpose()?;
    let sellers = users::sellers(profile, wanted, &client, target.control).await?;
    let mut logged_in = Vec::new();
    for seller in sellers {
        logged_in.push(users::User::login(&client, seller).await?);
    }
    let buyer = profile
        .party("buyer_other_state")
        .or_else(|| profile.party("buyer_same_state"))
        .cloned()
        .context("the profile has no buyer_other_state or buyer_same_state party")?;
    let spec = InvoiceSpec {
        supply: Default::default(),
        doc_type: Default::default(),
        buyer: None,
        items: args.items,
        services: false,
        reverse_charge: false,
        igst_on_intra: false,
        dispatch_ship: false,
        ewb: None,
        date_offset_days: 0,
        doc_no: None,
    };
    let unix = time::OffsetDateTime::now_utc().unix_timestamp();
    let numbers = DocNumbers::new(u64::try_from(unix).unwrap_or_default());
    let mut gstins: Vec<String> = logged_in.iter().map(|u| u.seller.gstin.clone()).collect();
    gstins.push(buyer.gstin.clone());
    let road = EwbSpec {
        mode: Some(1),
        distance: 0,
        transporter: false,
    };
    let ewb = Generator::new(args.seed, "load").ewb_details(&road, target.today);
    let invoices = Arc::new(Invoices::new(args.seed, spec, buyer, target.today, numbers));
    let sizing = Sizing::of(plan, logged_in.len(), &ceiling);
    let per_user = sizing.invoices_per_user + sizing.registered_per_user;
    eprintln!(
        "load: {} user(s) logged in at {}; sealing {} invoice(s) of {} item(s)",
        logged_in.len(),
        target.portal.base,
        per_user * logged_in.len(),
        args.items
    );
    let (users, invoices) = tokio::task::spawn_blocking(move || {
        prepare::fill(&logged_in, &invoices, per_user, ceiling.cores);
        (logged_in, invoices)
    })
    .await?;
    let prepared = invoices.made();
    let http = Arc::new(Http {
        client,
        users,
        gstins,
        ewb,
        retry: (args.max_attempts > 1).then(|| RetryPolicy {
            max_attempts: args.max_attempts,
            ..RetryPolicy::default()
        }),
        invoices: invoices.clone(),
    });
    if sizing.registered_per_user > 0 {
        let (registered, failed) =
            prepare::register(&http, sizing.registered_per_user, plan.connections).await;
        eprintln!("load: {registered} IRN(s) registered for the mix ({failed} refused)");
        anyhow::ensure!(
            http.users.iter().all(|u| u.stock.irns() > 0),
            "could not register an IRN for every user before the run"
        );
    }
    let (recorded, cpu) = measured(&http, plan, server).await;
    let made = Made {
        prepared,
        made_during_run: invoices.late.load(Ordering::Relaxed),
    };
    if made.made_during_run > 0 {
        eprintln!(
            "load: {} invoice(s) were made during the run (the stock made beforehand ran out)",
            made.made_during_run
        );
    }
    let context = ReportContext {
        target: target.portal.base.clone(),
        in_process: false,
        users: http.users.len(),
        max_attempts: args.max_attempts,
        ceiling,
        invoices: made,
        cpu,
    };
    Ok((recorded, context))
}

/// Drives `plan`, with progress on stderr and the server's CPU read over the window.
async fn measured(
    http: &Arc<Http>,
    plan: &Plan,
    server: Option<Server>,
) -> (schedule::Recorded, Option<(String, cpu::Spent)>) {
    let opened: Arc<Mutex<Option<Snapshot>>> = Arc::default();
    let mark = opened.clone();
    let progress = Arc::new(Progress::default());
    let ticker = tokio::spawn(tick(progress.clone()));
    eprintln!(
        "load: running {} ({} connection(s))",
        plan.mix, plan.connections
    );
    let recorded = drive(http.clone(), plan, progress, move || {
        *mark.lock().unwrap_or_else(PoisonError::into_inner) = server.and_then(Server::snapshot);
    })
    .await;
    ticker.abort();
    let start = opened.lock().unwrap_or_else(PoisonError::into_inner).take();
    let cpu = match (server, start) {
        (Some(server), Some(start)) => server.snapshot().map(|end| {
            let source = match server {
                Server::InProcess => "in-process".to_owned(),
                Server::Pid(pid) => format!("pid {pid}"),
            };
            (source, start.until(&end))
        }),
        _ => None,
    };
    if cpu.is_none() {
        eprintln!(
            "load: server CPU not measured ({})",
            match server {
                None => "the target is not in this process; give --server-pid for a local one",
                Some(_) => "/proc could not be read",
            }
        );
    }
    (recorded, cpu)
}

/// A progress line on stderr every two seconds.
async fn tick(progress: Arc<Progress>) {
    let mut every = tokio::time::interval(Duration::from_secs(2));
    every.tick().await;
    loop {
        every.tick().await;
        eprintln!(
            "load: {} recorded, {} error(s)",
            progress.answered.load(Ordering::Relaxed),
            progress.errors.load(Ordering::Relaxed)
        );
    }
}
