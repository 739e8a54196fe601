//! `irp-conformance parity`: the same scenario steps against an upstream IRP and against
//! an emulator started in this process, answer by answer.
//!
//! The emulator is only useful while it answers as NIC does. A team with NIC sandbox
//! credentials (or the project, with its own) measures that here, and catches NIC changing
//! behaviour: both sides get the same invoices (same generator seed, same document
//! numbers, the profile's parties registered in the emulator), every answer is reduced to
//! its [`shape`](shape::Shape) (statuses, codes, keys, and only the values two IRPs must
//! agree on), and the shapes are compared step by step, then per API.
//!
//! - [`shape`]: an answer reduced to what two IRPs must agree on.
//! - [`compare`]: one step on both sides, its verdict and what differs.
//! - [`tally`]: verdicts per API and for the run.
//! - [`taxpayers`]: the profile's parties registered in the in-process emulator.
//! - [`sides`]: the two targets and runners, run scenario by scenario.
//! - [`render`]: `parity.json` and `parity.md`.
//! - `command`: the command line's `parity`.

mod command;
pub mod compare;
pub mod render;
pub mod shape;
pub mod sides;
pub mod tally;
pub mod taxpayers;

use serde::{Deserialize, Serialize};

pub(crate) use self::command::run;
pub use self::compare::{Differences, Observed, StepParity, Verdict};
pub use self::shape::Shape;
pub use self::sides::{SideInfo, Sides};
pub use self::tally::{ApiParity, Counts, Summary};

/// The parity report: `parity.json` is this, serialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParityReport {
    /// Tool name and version.
    pub tool: String,
    /// When the comparison started (RFC 3339, IST).
    pub generated_at: String,
    /// The upstream IRP.
    pub upstream: SideInfo,
    /// The in-process emulator.
    pub emulator: SideInfo,
    /// Where the scenarios came from (a directory or `builtin:SUITE`).
    pub scenarios: String,
    /// The `--filter` applied, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// The invoice generator's seed (the same on both sides).
    pub seed: u64,
    /// The run id in the document numbers (the same on both sides).
    pub run: String,
    /// The verdict on the run and its counts.
    pub summary: Summary,
    /// The verdict per API, in the order each was first called.
    pub apis: Vec<ApiParity>,
    /// Every step, in run order.
    pub steps: Vec<StepParity>,
}

impl ParityReport {
    /// Every compared step was the same.
    pub fn same(&self) -> bool {
        self.summary.counts.differs == 0
    }
}
