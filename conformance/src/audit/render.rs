//! The audit written down: `audit.json` (the [`Audit`] as it is, for scripts) and
//! `audit.md` (summary, findings by check, and the rules as a footer, for people), plus the
//! one line the command prints.
//!
//! Markdown cells are escaped and shortened: subjects and messages quote what clients sent.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use super::{Audit, Check, Severity};

/// The JSON file's name.
pub const JSON_FILE: &str = "audit.json";
/// The Markdown file's name.
pub const MARKDOWN_FILE: &str = "audit.md";
/// Longest cell text, in characters.
const CELL_MAX: usize = 300;
/// Most entry ids listed in one Markdown cell (the JSON has them all).
const IDS_MAX: usize = 20;

/// Why the audit could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file or directory could not be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The audit could not be serialised.
    #[error("audit.json: {0}")]
    Json(#[from] serde_json::Error),
}

/// The files written.
#[derive(Debug, Clone)]
pub struct Written {
    /// `audit.json`.
    pub json: PathBuf,
    /// `audit.md`.
    pub markdown: PathBuf,
}

/// Writes `audit.json` and `audit.md` into `dir` (created if missing).
pub fn write_all(audit: &Audit, dir: &Path) -> Result<Written, WriteError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let written = Written {
        json: dir.join(JSON_FILE),
        markdown: dir.join(MARKDOWN_FILE),
    };
    let mut json = serde_json::to_vec_pretty(audit)?;
    json.push(b'\n');
    std::fs::write(&written.json, json).map_err(io(&written.json))?;
    std::fs::write(&written.markdown, markdown(audit)).map_err(io(&written.markdown))?;
    Ok(written)
}

fn counts(audit: &Audit) -> (usize, usize) {
    let errors = audit
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    (errors, audit.findings.len() - errors)
}

/// `irp-conformance audit: …`: the verdict, the volume and the files, on one line.
pub fn summary_line(audit: &Audit, written: &Written) -> String {
    let (errors, warnings) = counts(audit);
    let mut names: Vec<&str> = audit.findings.iter().map(|f| f.name.name()).collect();
    names.dedup();
    let verdict = if audit.passed {
        "nothing found".to_owned()
    } else {
        format!(
            "{} finding(s) ({errors} error(s), {warnings} warning(s)): {}",
            audit.findings.len(),
            names.join(", ")
        )
    };
    format!(
        "irp-conformance audit: {} calls, {} retries: {verdict}; wrote {} and {}",
        audit.summary.calls,
        audit.summary.retries,
        written.json.display(),
        written.markdown.display()
    )
}

/// `audit.md`.
pub fn markdown(audit: &Audit) -> String {
    let mut md = String::new();
    // Writing to a String cannot fail.
    let _ = write_markdown(&mut md, audit);
    md
}

fn write_markdown(md: &mut String, audit: &Audit) -> std::fmt::Result {
    let options = &audit.options;
    writeln!(md, "# Retry audit\n")?;
    writeln!(
        md,
        "Journal {}; client {}; GSTIN {}; at most {} failed attempts in a row.",
        cell(&audit.journal),
        cell(options.client_id.as_deref().unwrap_or("any")),
        cell(options.gstin.as_deref().unwrap_or("any")),
        options.max_retries
    )?;
    if !audit.tool.is_empty() {
        writeln!(md, "{}, {}.", audit.tool, audit.generated_at)?;
    }
    let (errors, warnings) = counts(audit);
    if audit.passed {
        writeln!(md, "\n**Nothing found.**\n")?;
    } else {
        writeln!(
            md,
            "\n**{} finding(s): {errors} error(s), {warnings} warning(s).**\n",
            audit.findings.len()
        )?;
    }
    let s = &audit.summary;
    let rate = s
        .irn_success_rate
        .map_or_else(|| "-".to_owned(), |r| format!("{:.1} %", r * 100.0));
    let ages = s.age_days.as_ref().map_or_else(
        || "-".to_owned(),
        |a| format!("{} / {} / {}", a.min, a.median, a.max),
    );
    writeln!(md, "## Summary\n")?;
    writeln!(
        md,
        "| Calls | Clients | Logins | Retries | Failures | Documents | IRNs | IRN success rate | Documents with an IRN | Age at submission, days (min / median / max) |"
    )?;
    writeln!(md, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")?;
    writeln!(
        md,
        "| {} | {} | {} | {} | {} | {} | {} | {rate} | {} | {ages} |\n",
        s.calls,
        cell(&s.clients.join(", ")),
        s.logins,
        s.retries,
        s.failures,
        s.documents,
        s.irns_generated,
        s.documents_with_irn
    )?;
    writeln!(md, "## Findings\n")?;
    if audit.passed {
        writeln!(md, "None.\n")?;
    }
    for check in Check::ALL {
        let findings: Vec<_> = audit.findings.iter().filter(|f| f.name == check).collect();
        if findings.is_empty() {
            continue;
        }
        writeln!(
            md,
            "### `{}` ({})\n",
            check.name(),
            severity(check.severity())
        )?;
        writeln!(md, "| Client | GSTIN | Subject | What happened | Entries |")?;
        writeln!(md, "|---|---|---|---|---|")?;
        for f in findings {
            let mut ids: Vec<String> = f.entries.iter().take(IDS_MAX).map(i64::to_string).collect();
            if f.entries.len() > IDS_MAX {
                ids.push(format!("… {} more", f.entries.len() - IDS_MAX));
            }
            writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                cell(&caller(f)),
                cell(&f.gstin),
                cell(&f.subject),
                cell(&f.message),
                ids.join(", ")
            )?;
        }
        writeln!(md)?;
    }
    writeln!(md, "## Checks\n")?;
    writeln!(md, "| Name | Severity | Rule |")?;
    writeln!(md, "|---|---|---|")?;
    for check in Check::ALL {
        writeln!(
            md,
            "| `{}` | {} | {} |",
            check.name(),
            severity(check.severity()),
            check.rule()
        )?;
    }
    Ok(())
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// One line for a table cell: control characters become spaces, `|`, `<`, `>` and
/// backticks are escaped, long text is cut.
fn cell(text: &str) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == CELL_MAX {
            out.push('…');
            break;
        }
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '`' => out.push('\''),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The client column: the client id, and the IRP when the finding is about one of several.
fn caller(finding: &super::Finding) -> String {
    if finding.irp.is_empty() {
        finding.client_id.clone()
    } else {
        format!("{} at {}", finding.client_id, finding.irp)
    }
}
