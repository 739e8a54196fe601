//! `parity.json` (the report as data) and `parity.md` (the same for people: the verdict,
//! a table per API, then every step that differs with what differs), and the refusal to
//! replace an earlier parity report by accident.

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    path::{Path, PathBuf},
};

use super::{ParityReport, Verdict};
use crate::report::folder::FolderError;

/// The JSON report's file name.
pub const JSON_FILE: &str = "parity.json";
/// The Markdown report's file name.
pub const MARKDOWN_FILE: &str = "parity.md";
/// Where the report goes without `--out`.
pub const DEFAULT_OUT: &str = "irp-parity";

/// The parity report files `dir` already holds.
pub fn existing(dir: &Path) -> Vec<&'static str> {
    [JSON_FILE, MARKDOWN_FILE]
        .into_iter()
        .filter(|name| dir.join(name).exists())
        .collect()
}

/// Refuses `dir` when it holds a parity report, unless `overwrite`.
pub fn check_out(dir: &Path, overwrite: bool) -> Result<(), FolderError> {
    let files = existing(dir);
    if files.is_empty() || overwrite {
        Ok(())
    } else {
        Err(FolderError::Taken {
            dir: dir.to_path_buf(),
            files,
        })
    }
}

/// Writes both files into `dir` (created if needed); their paths.
pub fn write_all(report: &ParityReport, dir: &Path) -> std::io::Result<[PathBuf; 2]> {
    std::fs::create_dir_all(dir)?;
    let json = dir.join(JSON_FILE);
    let text = serde_json::to_string_pretty(report).map_err(std::io::Error::other)?;
    std::fs::write(&json, text + "\n")?;
    let markdown = dir.join(MARKDOWN_FILE);
    std::fs::write(&markdown, to_markdown(report))?;
    Ok([json, markdown])
}

fn word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Same => "same",
        Verdict::Differs => "differs",
        Verdict::Skipped => "skipped",
    }
}

/// A Markdown table cell: pipes escaped, one line.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// One line for the end of a run: the verdict and its counts.
pub fn summary_line(report: &ParityReport) -> String {
    let s = &report.summary;
    format!(
        "parity: {} — {} step(s) compared, {} same, {} differ, {} skipped; {} API(s) differ",
        word(s.verdict),
        s.compared,
        s.counts.same,
        s.counts.differs,
        s.counts.skipped,
        s.apis_differing
    )
}

/// The Markdown report.
pub fn to_markdown(report: &ParityReport) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Parity: {} against the emulator\n",
        report.upstream.base
    );
    if report.upstream.emulator {
        let _ = writeln!(
            md,
            "> The upstream is itself an emulator: this compares two emulators, not the \
             emulator with NIC.\n"
        );
    }
    let _ = writeln!(md, "**{}**\n", summary_line(report));
    let _ = writeln!(md, "| | |\n|---|---|");
    let _ = writeln!(md, "| Upstream | {} |", report.upstream.base);
    let _ = writeln!(md, "| Emulator (in-process) | {} |", report.emulator.base);
    if !report.emulator.registered.is_empty() {
        let _ = writeln!(
            md,
            "| Registered in the emulator | {} |",
            report.emulator.registered.join(", ")
        );
    }
    let _ = writeln!(md, "| Scenarios | {} |", cell(&report.scenarios));
    if let Some(filter) = &report.filter {
        let _ = writeln!(md, "| Filter | `{}` |", cell(filter));
    }
    let _ = writeln!(md, "| Seed, run | {}, {} |", report.seed, report.run);
    let _ = writeln!(
        md,
        "| Generated | {} by {} |\n",
        report.generated_at, report.tool
    );

    let _ = writeln!(md, "## Per API\n");
    let _ = writeln!(md, "| API | Verdict | Steps | Same | Differ | Skipped |");
    let _ = writeln!(md, "|---|---|---:|---:|---:|---:|");
    for api in &report.apis {
        let c = &api.counts;
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            api.api,
            word(api.verdict),
            c.steps,
            c.same,
            c.differs,
            c.skipped
        );
    }

    let differing: Vec<_> = report
        .steps
        .iter()
        .filter(|s| s.verdict == Verdict::Differs)
        .collect();
    let _ = writeln!(md, "\n## Steps that differ ({})\n", differing.len());
    if differing.is_empty() {
        let _ = writeln!(md, "None.");
    } else {
        let _ = writeln!(
            md,
            "| Scenario | Step | API | Upstream | Emulator | What differs |"
        );
        let _ = writeln!(md, "|---|---|---|---|---|---|");
        for step in differing {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} |",
                cell(&step.scenario),
                cell(&step.step),
                step.api,
                cell(&step.upstream.describe()),
                cell(&step.emulator.describe()),
                cell(&step.differences.describe().join("; "))
            );
        }
    }

    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    for step in &report.steps {
        if let Some(why) = &step.skipped {
            *skipped.entry(why.as_str()).or_default() += 1;
        }
    }
    if !skipped.is_empty() {
        let _ = writeln!(md, "\n## Steps not compared\n");
        let _ = writeln!(md, "| Why | Steps |\n|---|---:|");
        for (why, count) in skipped {
            let _ = writeln!(md, "| {} | {count} |", cell(why));
        }
    }
    let _ = writeln!(
        md,
        "\nCompared per step: HTTP status, `Status`, error codes, `InfoDtls` codes, the keys \
         of the decrypted `Data`, and the values of codes and statuses. IRNs, AckNos, \
         e-way bill numbers, dates, tokens and signatures are compared by form only \
         (`<hex 64>`, `9999-99-99 99:99:99`, `<jws>`); other values are left out."
    );
    md
}
