//! The command line's `parity`: its flags to a comparison, the comparison to
//! `parity.json` and `parity.md`, and the verdict to the exit code (`Ok(true)` every
//! compared step the same, `Ok(false)` something differs, `Err` could not run).

use std::path::Path;

use anyhow::Context;
use regex::Regex;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{ParityReport, Sides, StepParity, Verdict, render, tally::tally};
use crate::{
    cli::ParityArgs,
    profile::Profile,
    scenario::{self, Scenario},
    target::IST,
};

/// Runs `parity` with `args`.
pub(crate) async fn run(args: ParityArgs) -> anyhow::Result<bool> {
    let mut profile = match &args.profile {
        Some(path) => Profile::load(path)?,
        None => Profile::emulator(),
    };
    if let Some(token) = &args.admin_token {
        profile.admin_token = Some(token.clone());
    }
    let source = args.scenarios.clone().unwrap_or_else(default_source);
    let scenarios = select(scenario::load(&source)?, args.filter.as_deref())?;
    anyhow::ensure!(!scenarios.is_empty(), "no scenario matches the filter");
    render::check_out(&args.out, args.overwrite)?;
    crate::report::folder::check_writable(&args.out)?;
    let started = OffsetDateTime::now_utc();
    let mut sides = Sides::prepare(&profile, &args.upstream, args.seed).await?;
    let run = sides.run_id();
    eprintln!(
        "irp-conformance parity: {} scenario(s) against {} and the in-process emulator {} \
         (seed {}, run {run})",
        scenarios.len(),
        sides.upstream_info.base,
        sides.emulator_info.base,
        args.seed
    );
    let mut steps = Vec::new();
    for scenario in &scenarios {
        let compared = sides.compare(scenario).await;
        eprintln!("{}", scenario_line(&scenario.name, &compared));
        steps.extend(compared);
    }
    let (upstream, emulator) = (sides.upstream_info.clone(), sides.emulator_info.clone());
    sides.stop().await;
    let (apis, summary) = tally(&steps);
    let report = ParityReport {
        tool: concat!("irp-conformance ", env!("CARGO_PKG_VERSION")).to_owned(),
        generated_at: started
            .to_offset(IST)
            .replace_nanosecond(0)
            .unwrap_or(started)
            .format(&Rfc3339)
            .unwrap_or_default(),
        upstream,
        emulator,
        scenarios: source,
        filter: args.filter.clone(),
        seed: args.seed,
        run,
        summary,
        apis,
        steps,
    };
    let written = render::write_all(&report, &args.out)
        .with_context(|| format!("writing the parity report to {}", args.out.display()))?;
    eprintln!("{}", render::summary_line(&report));
    for path in written {
        eprintln!("wrote {}", path.display());
    }
    // Nothing compared is a mistake (a profile without the roles, a filter that picks only
    // emulator-only scenarios against NIC), not a clean bill.
    anyhow::ensure!(
        report.summary.compared > 0,
        "no step ran on both sides ({} skipped); see {}",
        report.summary.counts.skipped,
        args.out.join(render::MARKDOWN_FILE).display()
    );
    Ok(report.same())
}

/// The repository's onboarding suite when run from a checkout, else the built-in copy (as
/// for `run`).
fn default_source() -> String {
    const IN_CHECKOUT: &str = "scenarios/onboarding";
    if Path::new(IN_CHECKOUT).is_dir() {
        IN_CHECKOUT.to_owned()
    } else {
        format!("{}onboarding", scenario::BUILTIN_PREFIX)
    }
}

/// The scenarios whose name or a tag matches `filter` (all without one).
fn select(loaded: Vec<scenario::Loaded>, filter: Option<&str>) -> anyhow::Result<Vec<Scenario>> {
    let regex = filter
        .map(|f| Regex::new(f).with_context(|| format!("--filter {f}")))
        .transpose()?;
    Ok(loaded
        .into_iter()
        .map(|l| l.scenario)
        .filter(|s| {
            regex
                .as_ref()
                .is_none_or(|r| r.is_match(&s.name) || s.tags.iter().any(|t| r.is_match(t)))
        })
        .collect())
}

/// `same    cancel_irn: 6 step(s)` / `DIFFERS generate: 2 of 6 step(s) (step: what)`.
fn scenario_line(name: &str, steps: &[StepParity]) -> String {
    let count = |v: Verdict| steps.iter().filter(|s| s.verdict == v).count();
    let (differs, skipped) = (count(Verdict::Differs), count(Verdict::Skipped));
    if let Some(first) = steps.iter().find(|s| s.verdict == Verdict::Differs) {
        let mut what = first.differences.describe();
        if what.len() > 3 {
            what.truncate(3);
            what.push("…".to_owned());
        }
        format!(
            "DIFFERS {name}: {differs} of {} step(s) (first, {}: {})",
            steps.len(),
            first.step,
            what.join("; ")
        )
    } else if skipped == steps.len() {
        format!("skipped {name}: {skipped} step(s) not run on both sides")
    } else {
        format!(
            "same    {name}: {} step(s){}",
            steps.len() - skipped,
            if skipped > 0 {
                format!(", {skipped} skipped")
            } else {
                String::new()
            }
        )
    }
}
