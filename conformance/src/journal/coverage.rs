//! Which catalogue cases a journal has not shown yet: what the team still has to send
//! before the report can go to NIC.

use std::collections::HashSet;

use crate::{
    catalogue,
    report::{Outcome, Verdict},
};

/// `"<API> <id> (<feature>): no call yet"` for every case of a counted API that a client
/// reaches with ordinary calls and that no outcome (run or failed, not skipped) shows.
///
/// Cases that need the emulator's control namespace (the clock for AU-3, AU-4, C-5, R-3)
/// and cases of uncounted APIs (get by document, sync GSTIN, get and cancel e-way bill) are
/// left out: neither is needed to send the report.
pub fn missing_cases(outcomes: &[Outcome]) -> Vec<String> {
    let shown: HashSet<&str> = outcomes
        .iter()
        .filter(|o| o.verdict != Verdict::Skipped)
        .filter_map(|o| o.case.as_deref())
        .collect();
    catalogue::cases()
        .iter()
        .filter(|case| case.reachable() && case.counted() && !shown.contains(case.id))
        .map(|case| format!("{} {} ({}): no call yet", case.api, case.id, case.feature))
        .collect()
}
