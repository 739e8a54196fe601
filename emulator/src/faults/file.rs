//! The `--faults FILE` start-up file: `[[fault]]` tables (the rule's JSON keys) and
//! `[[rate_limit]]` tables, so a team's failure plan lives in its repository beside its
//! tests and is in force from the first request.
//!
//! ```toml
//! [[fault]]
//! name = "lose-the-answer"
//! phase = "after_commit"
//! times = 1
//! match = { api = "generate_irn", nth = 3 }
//! action = { type = "http_status", status = 503 }
//! ```

use std::path::Path;

use serde::Deserialize;

use super::{FaultRule, RuleError};
use crate::ratelimit::RateLimitRule;

/// The file, read and every rule checked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultFile {
    /// Fault rules, in order (the first that fires wins).
    #[serde(default)]
    pub fault: Vec<FaultRule>,
    /// Rate limits.
    #[serde(default)]
    pub rate_limit: Vec<RateLimitRule>,
}

/// Why the file was refused (the emulator does not start on a bad plan).
#[derive(Debug, thiserror::Error)]
pub enum FaultFileError {
    /// Unreadable.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Not TOML of the file's shape.
    #[error("{path}: {source}")]
    Parse {
        /// The file.
        path: String,
        /// Why.
        source: toml::de::Error,
    },
    /// A rule is out of range.
    #[error("{path}: [[fault]] number {index}: {source}")]
    Rule {
        /// The file.
        path: String,
        /// Which `[[fault]]` table, from 1.
        index: usize,
        /// Why.
        source: RuleError,
    },
}

impl FaultFile {
    /// Reads and checks `path`.
    pub fn read(path: &Path) -> Result<Self, FaultFileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| FaultFileError::Read {
            path: shown.clone(),
            source,
        })?;
        Self::parse(&text).map_err(|error| match error {
            FaultFileError::Parse { source, .. } => FaultFileError::Parse {
                path: shown.clone(),
                source,
            },
            FaultFileError::Rule { index, source, .. } => FaultFileError::Rule {
                path: shown.clone(),
                index,
                source,
            },
            other @ FaultFileError::Read { .. } => other,
        })
    }

    /// Parses and checks the text of a file.
    pub fn parse(text: &str) -> Result<Self, FaultFileError> {
        let mut file: Self = toml::from_str(text).map_err(|source| FaultFileError::Parse {
            path: String::new(),
            source,
        })?;
        file.fault = std::mem::take(&mut file.fault)
            .into_iter()
            .enumerate()
            .map(|(i, rule)| {
                rule.check().map_err(|source| FaultFileError::Rule {
                    path: String::new(),
                    index: i + 1,
                    source,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{api::Api, faults::Action};

    #[test]
    fn toml_uses_the_json_keys() {
        let file = FaultFile::parse(
            r#"
            [[fault]]
            name = "lose-the-answer"
            phase = "after_commit"
            times = 1
            match = { api = "generate_irn", nth = 3, probability = 0.5, from = "2026-04-30 16:00:00" }
            action = { type = "http_status", status = 503 }

            [[fault]]
            phase = "before"
            action = { type = "latency", ms = 200, jitter_ms = 50 }

            [[rate_limit]]
            per = "gstin"
            per_minute = 100
            "#,
        )
        .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(file.fault.len(), 2);
        assert_eq!(file.rate_limit.len(), 1);
        assert_eq!(file.fault[0].matcher.api, Some(Api::GenerateIrn));
        assert_eq!(file.fault[0].matcher.probability, Some(0.5));
        assert_eq!(
            file.fault[1].action,
            Action::Latency {
                ms: 200,
                jitter_ms: Some(50)
            }
        );
    }

    #[test]
    fn the_month_end_example_reads() {
        let file = FaultFile::parse(include_str!("../../../examples/faults/month-end.toml"))
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!((file.fault.len(), file.rate_limit.len()), (5, 2));
    }

    #[test]
    fn a_bad_rule_names_its_table() {
        let error = FaultFile::parse(
            "[[fault]]\nphase = \"before\"\naction = { type = \"latency\", ms = 1 }\n\
             [[fault]]\nphase = \"before\"\nmatch = { nth = 0 }\naction = { type = \"reset\" }\n",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            error.contains("number 2") && error.contains("nth"),
            "{error}"
        );
        let error = FaultFile::parse("[[fault]]\nphase = \"later\"\naction = { type = \"reset\" }")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("later"), "{error}");
    }
}
