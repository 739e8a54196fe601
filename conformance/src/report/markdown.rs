//! A short Markdown summary for CI logs and pull-request comments.
//!
//! It carries what a reviewer needs to act on (the rehearsal banner when the report is one,
//! the verdict, the per-API counts, what is failing and why, what is missing, the catalogue
//! cases a journal never showed) and leaves the exchanges to the XLSX and JSON. Table
//! cells are escaped and shortened so a hostile or huge string cannot break the table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::api::Api;

use super::model::Verdict;
use super::text::{
    self, NEVER_SEEN_NOTE, filters_text, kind_label, met_label, minimums_label, nothing_missing,
    ordered_tallies, rehearsal_banner, totals, verdict_line,
};
use super::{Report, ReportError};

/// Longest cell text, in characters.
const CELL_MAX: usize = 200;
/// Most failing cases listed.
const MAX_FAILING: usize = 200;

/// The summary as Markdown text.
pub fn to_string(report: &Report) -> String {
    let mut md = String::new();
    // Writing to a String cannot fail.
    let _ = write_summary(&mut md, report);
    md
}

/// Writes [`to_string`] to `path`.
pub fn write(report: &Report, path: &Path) -> Result<(), ReportError> {
    super::write_file(path, to_string(report).as_bytes())
}

fn write_summary(md: &mut String, report: &Report) -> std::fmt::Result {
    let header = &report.header;
    if let Some(banner) = rehearsal_banner(report) {
        writeln!(md, "> **⚠️ {}**", inline(&banner))?;
        writeln!(md)?;
    }
    writeln!(md, "# E-Invoice API Test Summary Report")?;
    writeln!(md)?;
    let mark = match (report.is_rehearsal(), report.passed()) {
        (true, _) => "⚠️",
        (false, true) => "✅",
        (false, false) => "❌",
    };
    writeln!(md, "**{mark} {}**", inline(&verdict_line(report)))?;
    writeln!(md)?;
    let mut facts = Vec::new();
    for (label, value) in [
        ("Company", &header.company),
        ("Target", &header.target),
        ("Tool", &header.tool),
        ("Generated at", &header.generated_at),
    ] {
        if !value.is_empty() {
            facts.push(format!("{label}: {}", inline(value)));
        }
    }
    if let Some(seed) = header.seed {
        facts.push(format!("Seed: {seed}"));
    }
    if !header.filters.is_empty() {
        facts.push(format!("Filters: {}", inline(&filters_text(header))));
    }
    if !facts.is_empty() {
        writeln!(md, "{}", facts.join(" · "))?;
        writeln!(md)?;
    }

    writeln!(md, "## Per-API counts ({})", minimums_label(report))?;
    writeln!(md)?;
    writeln!(
        md,
        "| API | Min. success | Success | Min. failure | Failure | Not as expected | Skipped | Met |"
    )?;
    writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---|")?;
    for tally in ordered_tallies(report) {
        let min = |m: Option<u32>| m.map(|m| m.to_string()).unwrap_or_default();
        writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            tally.api.title(),
            min(tally.min_success),
            tally.success,
            min(tally.min_failure),
            tally.failure,
            tally.failed,
            tally.skipped,
            met_label(tally)
        )?;
    }
    let total = totals(report);
    writeln!(
        md,
        "| **Total (counted)** | {} | {} | {} | {} | {} | {} | {} |",
        total.min_success,
        total.success,
        total.min_failure,
        total.failure,
        total.failed,
        total.skipped,
        if total.met { "Yes" } else { "No" }
    )?;
    writeln!(md)?;

    let failing: Vec<_> = report
        .cases
        .iter()
        .filter(|c| c.verdict() == Verdict::Failed)
        .collect();
    writeln!(md, "## Failing cases ({})", failing.len())?;
    writeln!(md)?;
    if failing.is_empty() {
        writeln!(md, "None.")?;
    } else {
        writeln!(
            md,
            "| API | Case | Feature | Kind | Expected | Actual | Passed/runs | Reasons |"
        )?;
        writeln!(md, "|---|---|---|---|---|---|---:|---|")?;
        let mut reasons_of: BTreeMap<(Api, &str), Vec<&str>> = BTreeMap::new();
        for outcome in report.failures() {
            if let (Some(api), Some(case)) = (outcome.api, &outcome.case) {
                let reasons = reasons_of.entry((api, case.as_str())).or_default();
                for reason in &outcome.reasons {
                    // A handful of distinct reasons says enough in a table cell.
                    if reasons.len() < 10 && !reasons.contains(&reason.as_str()) {
                        reasons.push(reason);
                    }
                }
            }
        }
        for case in failing.iter().take(MAX_FAILING) {
            let reasons = reasons_of
                .get(&(case.api, case.id.as_str()))
                .cloned()
                .unwrap_or_default();
            writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {}/{} | {} |",
                case.api.title(),
                cell(&case.id),
                cell(&case.feature),
                kind_label(case.kind),
                cell(&case.expected),
                cell(&case.actual),
                case.passed,
                case.runs,
                cell(&reasons.join("; "))
            )?;
        }
        if failing.len() > MAX_FAILING {
            writeln!(md)?;
            writeln!(
                md,
                "… and {} more failing case(s); see the XLSX report.",
                failing.len() - MAX_FAILING
            )?;
        }
    }
    writeln!(md)?;

    let unclassified: Vec<_> = report.failures().filter(|o| o.case.is_none()).collect();
    if !unclassified.is_empty() {
        writeln!(
            md,
            "## Failing steps outside the case grid ({})",
            unclassified.len()
        )?;
        writeln!(md)?;
        for outcome in unclassified.iter().take(MAX_FAILING) {
            writeln!(
                md,
                "- {} / {}: {}",
                inline(&outcome.scenario),
                inline(&outcome.step),
                inline(&outcome.reasons.join("; "))
            )?;
        }
        writeln!(md)?;
    }

    writeln!(md, "## What is missing ({})", report.missing.len())?;
    writeln!(md)?;
    if report.missing.is_empty() {
        writeln!(md, "{}", nothing_missing(report))?;
    } else {
        for item in &report.missing {
            writeln!(md, "- {}", inline(item))?;
        }
    }
    if let Some(never_seen) = &report.never_seen {
        writeln!(md)?;
        writeln!(md, "## Catalogue cases never seen ({})", never_seen.len())?;
        writeln!(md)?;
        writeln!(md, "{NEVER_SEEN_NOTE}")?;
        writeln!(md)?;
        if never_seen.is_empty() {
            writeln!(md, "None: the journal shows every case a client reaches.")?;
        }
        for case in never_seen.iter().take(MAX_FAILING) {
            writeln!(md, "- {}", inline(case))?;
        }
    }
    Ok(())
}

/// Text for a table cell: one line, pipes escaped, shortened.
fn cell(s: &str) -> String {
    inline(s).replace('|', "\\|")
}

/// Text for one line: control characters and line breaks become spaces, `<` and `>` are
/// escaped (a PR comment would take them for HTML), shortened.
fn inline(s: &str) -> String {
    let short = text::truncate(s, CELL_MAX);
    let mut out = String::with_capacity(short.len());
    for c in short.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
