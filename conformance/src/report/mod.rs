//! The Test Summary Report: one model ([`model`]) and its writers.
//!
//! Each writer is a function of the [`Report`] alone, one file per format, so the outputs
//! cannot disagree on a count:
//!
//! - [`xlsx`]: NIC's Excel form (summary, case grid, outcomes, what is missing);
//! - [`pdf`]: the same form as the PDF NIC asks to be mailed;
//! - [`json`]: the whole model, for tools;
//! - [`junit`]: JUnit XML, for CI test views;
//! - [`markdown`]: a short summary for CI logs and pull-request comments.
//!
//! [`write_all`] writes all five into one directory under fixed names; [`folder`] chooses
//! that directory and refuses one that holds an earlier report. A rehearsal (a report from
//! the local emulator) carries [`REHEARSAL`] in every format and never says it can be sent.

pub mod folder;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod model;
pub mod pdf;
pub mod xlsx;

mod helvetica;
mod text;

use std::path::{Path, PathBuf};

pub use self::model::{
    Case, Exchange, Header, Kind, Outcome, REHEARSAL, Reply, Report, Tally, Verdict,
};

/// File name of the Excel form.
pub const XLSX_FILE: &str = "test-summary-report.xlsx";
/// File name of the PDF form.
pub const PDF_FILE: &str = "test-summary-report.pdf";
/// File name of the JSON model.
pub const JSON_FILE: &str = "report.json";
/// File name of the JUnit XML.
pub const JUNIT_FILE: &str = "junit.xml";
/// File name of the Markdown summary.
pub const MARKDOWN_FILE: &str = "summary.md";

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file or directory could not be written.
    #[error("report {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The workbook could not be built (a sheet past Excel's row limit, for instance).
    #[error("XLSX report: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The model could not be serialised.
    #[error("JSON report: {0}")]
    Json(#[from] serde_json::Error),
    /// An in-memory encoder failed (XML writer, page compression).
    #[error("{format} report: {source}")]
    Encode {
        /// The format being written.
        format: &'static str,
        /// The cause.
        source: std::io::Error,
    },
}

/// Where [`write_all`] put each format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The Excel form ([`XLSX_FILE`]).
    pub xlsx: PathBuf,
    /// The PDF form ([`PDF_FILE`]).
    pub pdf: PathBuf,
    /// The JSON model ([`JSON_FILE`]).
    pub json: PathBuf,
    /// The JUnit XML ([`JUNIT_FILE`]).
    pub junit: PathBuf,
    /// The Markdown summary ([`MARKDOWN_FILE`]).
    pub markdown: PathBuf,
}

/// Writes the five formats into `dir` (created if needed) under their fixed names.
pub fn write_all(report: &Report, dir: &Path) -> Result<Written, ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let written = Written {
        xlsx: dir.join(XLSX_FILE),
        pdf: dir.join(PDF_FILE),
        json: dir.join(JSON_FILE),
        junit: dir.join(JUNIT_FILE),
        markdown: dir.join(MARKDOWN_FILE),
    };
    xlsx::write(report, &written.xlsx)?;
    pdf::write(report, &written.pdf)?;
    json::write(report, &written.json)?;
    junit::write(report, &written.junit)?;
    markdown::write(report, &written.markdown)?;
    Ok(written)
}

/// Writes `bytes` to `path`, naming the path in the error.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    std::fs::write(path, bytes).map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}
