//! Where a report goes, and never over an earlier one by accident.
//!
//! Without `--out` every report gets a folder of its own, named after the moment it was
//! started (`irp-conformance-report/2026-03-31T10-00-00/`, IST). A folder that already
//! holds report files is refused unless the caller says `--overwrite`: a report sent to
//! NIC, or kept as evidence, should not be replaced by the next run's.

use std::path::{Path, PathBuf};

use time::{OffsetDateTime, UtcOffset, macros::format_description};

use super::{JSON_FILE, JUNIT_FILE, MARKDOWN_FILE, PDF_FILE, XLSX_FILE};

/// The folder that holds the default timestamped folders.
pub const DEFAULT_PARENT: &str = "irp-conformance-report";

/// India Standard Time, in which the folder is named.
const IST: UtcOffset = match UtcOffset::from_hms(5, 30, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// Why a folder cannot take the report.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The folder holds an earlier report.
    #[error(
        "--out {}: it already holds a report ({}); pass --overwrite to replace it, or give \
         another --out",
        dir.display(),
        files.join(", ")
    )]
    Taken {
        /// The folder.
        dir: PathBuf,
        /// The report files found in it.
        files: Vec<&'static str>,
    },
}

/// The folder for a report started at `now`: `given` when there is one (refused when it
/// holds a report, unless `overwrite`), else a new timestamped folder under
/// [`DEFAULT_PARENT`] (with `-2`, `-3`, … when two reports start in the same second).
pub fn choose(
    given: Option<&Path>,
    overwrite: bool,
    now: OffsetDateTime,
) -> Result<PathBuf, FolderError> {
    match given {
        Some(dir) => {
            let files = existing_reports(dir);
            if files.is_empty() || overwrite {
                Ok(dir.to_path_buf())
            } else {
                Err(FolderError::Taken {
                    dir: dir.to_path_buf(),
                    files,
                })
            }
        }
        None => Ok(timestamped(Path::new(DEFAULT_PARENT), now)),
    }
}

/// A folder under `parent` named after `now` (IST) that does not exist yet.
pub fn timestamped(parent: &Path, now: OffsetDateTime) -> PathBuf {
    let stamp = now
        .to_offset(IST)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]-[minute]-[second]"
        ))
        .unwrap_or_else(|_| now.unix_timestamp().to_string());
    let first = parent.join(&stamp);
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| parent.join(format!("{stamp}-{n}")))
        .find(|dir| !dir.exists())
        .unwrap_or(first)
}

/// The report files `dir` already holds.
pub fn existing_reports(dir: &Path) -> Vec<&'static str> {
    [XLSX_FILE, PDF_FILE, JSON_FILE, JUNIT_FILE, MARKDOWN_FILE]
        .into_iter()
        .filter(|name| dir.join(name).exists())
        .collect()
}

/// Fails early, before any call, when `out` cannot take output files (a report, a parity
/// report). The directories it had to create are removed again (the writer creates them),
/// so a run that stops before writing leaves no empty folder behind.
pub fn check_writable(out: &Path) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let created: Vec<&Path> = out
        .ancestors()
        .take_while(|dir| !dir.as_os_str().is_empty() && !dir.exists())
        .collect();
    std::fs::create_dir_all(out)
        .with_context(|| format!("--out {}: cannot create the directory", out.display()))?;
    let probe = out.join(".irp-conformance-write-check");
    std::fs::write(&probe, b"")
        .with_context(|| format!("--out {}: cannot write there", out.display()))?;
    let _ = std::fs::remove_file(&probe);
    for dir in created {
        let _ = std::fs::remove_dir(dir);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use time::macros::datetime;

    use super::*;

    #[test]
    fn a_default_folder_is_named_after_the_time_and_never_reused() {
        let parent = tempfile::tempdir().unwrap();
        let now = datetime!(2026-03-31 04:30:05 UTC);
        let first = timestamped(parent.path(), now);
        assert_eq!(first, parent.path().join("2026-03-31T10-00-05"));
        std::fs::create_dir(&first).unwrap();
        assert_eq!(
            timestamped(parent.path(), now),
            parent.path().join("2026-03-31T10-00-05-2")
        );
    }

    #[test]
    fn a_folder_with_a_report_is_refused_unless_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let now = OffsetDateTime::UNIX_EPOCH;
        assert!(choose(Some(dir.path()), false, now).is_ok(), "empty folder");
        std::fs::write(dir.path().join("notes.txt"), "").unwrap();
        assert!(
            choose(Some(dir.path()), false, now).is_ok(),
            "no report in it"
        );
        std::fs::write(dir.path().join(JSON_FILE), "{}").unwrap();
        let err = choose(Some(dir.path()), false, now).unwrap_err();
        assert!(err.to_string().contains("--overwrite"), "{err}");
        assert!(err.to_string().contains(JSON_FILE), "{err}");
        assert_eq!(choose(Some(dir.path()), true, now).unwrap(), dir.path());
    }
}
