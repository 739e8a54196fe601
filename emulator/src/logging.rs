//! Where the log goes and what it looks like: stderr, as text for people or as one JSON
//! object a line for log collectors (`--log-format json`).
//!
//! Text is coloured only when stderr is a terminal (and `NO_COLOR` is unset): a CI log or a
//! container's log driver would otherwise keep the escape codes as noise. The per-call line
//! itself is written by the journal layer ([`crate::journal::record`]), which already holds
//! every field of it.

use std::io::IsTerminal;

use serde::Deserialize;
use tracing_subscriber::EnvFilter;

/// The target of the one line logged per IRP call: `--log-level irp_emulator::call=off`
/// silences those lines and keeps the rest.
pub const CALL_TARGET: &str = "irp_emulator::call";

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// `timestamp LEVEL target: message key=value …`.
    #[default]
    Text,
    /// One JSON object a line: `timestamp`, `level`, `target`, `message` and the fields at the
    /// top level.
    Json,
}

/// Why logging could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The filter is not `tracing-subscriber` `EnvFilter` syntax.
    #[error("log filter {filter:?}: {source}")]
    Filter {
        /// The filter given.
        filter: String,
        /// The parser's reason.
        source: tracing_subscriber::filter::ParseError,
    },
    /// A global logger was already installed.
    #[error("installing the logger: {0}")]
    Install(String),
}

/// Installs the process-wide logger: lines passing `filter` (e.g. `info`,
/// `irp_emulator=debug`) written to stderr in `format`.
pub fn init(filter: &str, format: LogFormat) -> Result<(), LogError> {
    let env_filter = EnvFilter::try_new(filter).map_err(|source| LogError::Filter {
        filter: filter.to_owned(),
        source,
    })?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(env_filter)
        .with_writer(std::io::stderr);
    let installed = match format {
        LogFormat::Text => builder.with_ansi(colour()).try_init(),
        LogFormat::Json => builder
            .with_ansi(false)
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .try_init(),
    };
    installed.map_err(|e| LogError::Install(e.to_string()))
}

/// Colour for a person at a terminal only (<https://no-color.org>).
fn colour() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
