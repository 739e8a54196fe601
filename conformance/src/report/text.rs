//! Words, orderings and sums that every writer shows the same way.
//!
//! The writers share these so that the XLSX, the PDF and the Markdown call a row, a verdict
//! or a total by the same name, and shorten long text the same way.

use std::borrow::Cow;

use super::model::{Header, Kind, REHEARSAL, Report, Tally, Verdict};

/// What a cut-off text ends with.
pub(crate) const ELLIPSIS: char = '…';

/// `Success` / `Failure`, as the case grid names the two kinds.
pub(crate) fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Success => "Success",
        Kind::Failure => "Failure",
    }
}

/// `Pass` / `Fail` / `Skipped`.
pub(crate) fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Passed => "Pass",
        Verdict::Failed => "Fail",
        Verdict::Skipped => "Skipped",
    }
}

/// `Yes` / `No` for a counted API, `not counted` otherwise.
pub(crate) fn met_label(tally: &Tally) -> &'static str {
    match (tally.counted(), tally.met()) {
        (false, _) => "not counted",
        (true, true) => "Yes",
        (true, false) => "No",
    }
}

/// `s` cut to at most `max` characters, the last of which is then [`ELLIPSIS`].
pub(crate) fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some(_) => {
            let keep = max.saturating_sub(1);
            let end = s.char_indices().nth(keep).map_or(s.len(), |(i, _)| i);
            let mut out = String::with_capacity(end + ELLIPSIS.len_utf8());
            out.push_str(s.get(..end).unwrap_or_default());
            out.push(ELLIPSIS);
            Cow::Owned(out)
        }
    }
}

/// `text` re-indented when it is JSON, else unchanged.
pub(crate) fn pretty_json(text: &str) -> Cow<'_, str> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => match serde_json::to_string_pretty(&value) {
            Ok(pretty) => Cow::Owned(pretty),
            Err(_) => Cow::Borrowed(text),
        },
        Err(_) => Cow::Borrowed(text),
    }
}

/// The tallies in report order: counted APIs first, then the ones only run.
pub(crate) fn ordered_tallies(report: &Report) -> Vec<&Tally> {
    let (mut counted, uncounted): (Vec<&Tally>, Vec<&Tally>) =
        report.tallies.iter().partition(|t| t.counted());
    counted.extend(uncounted);
    counted
}

/// Sums over the counted APIs: the Total row of the per-API table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Totals {
    /// Sum of the minimum success counts.
    pub(crate) min_success: u32,
    /// Success cases that passed.
    pub(crate) success: u32,
    /// Sum of the minimum failure counts.
    pub(crate) min_failure: u32,
    /// Failure cases that passed.
    pub(crate) failure: u32,
    /// Steps not as expected.
    pub(crate) failed: u32,
    /// Steps skipped.
    pub(crate) skipped: u32,
    /// Every counted API met its minimums.
    pub(crate) met: bool,
}

/// The Total row.
pub(crate) fn totals(report: &Report) -> Totals {
    report.tallies.iter().filter(|t| t.counted()).fold(
        Totals {
            met: true,
            ..Totals::default()
        },
        |sum, t| Totals {
            min_success: sum.min_success + t.min_success.unwrap_or(0),
            success: sum.success + t.success,
            min_failure: sum.min_failure + t.min_failure.unwrap_or(0),
            failure: sum.failure + t.failure,
            failed: sum.failed + t.failed,
            skipped: sum.skipped + t.skipped,
            met: sum.met && t.met(),
        },
    )
}

/// One sentence saying whether the report can be sent; a rehearsal's never says it can.
pub(crate) fn verdict_line(report: &Report) -> String {
    let failed = report.failures().count();
    let short = report.tallies.iter().filter(|t| !t.met()).count();
    let header = report
        .missing
        .iter()
        .filter(|m| m.starts_with("Header: "))
        .count();
    let state = if report.passed() {
        format!(
            "every minimum is met and all {} outcome(s) were as expected",
            report.outcomes.len()
        )
    } else {
        let mut why = Vec::new();
        if short > 0 {
            why.push(format!("{short} API(s) below the minimums"));
        }
        if failed > 0 {
            why.push(format!("{failed} outcome(s) not as expected"));
        }
        if header > 0 {
            why.push(format!("{header} header field(s) not filled in"));
        }
        if why.is_empty() {
            why.push("see what is missing".to_owned());
        }
        why.join(", ")
    };
    match (report.is_rehearsal(), report.passed()) {
        (false, true) => format!("PASSED: {state}."),
        (false, false) => format!("NOT READY: {state}."),
        (true, true) => format!(
            "{REHEARSAL}. Rehearsal passed: {state}; run the cases against NIC's sandbox for a \
             report to send."
        ),
        (true, false) => format!("{REHEARSAL}. Rehearsal NOT READY: {state}."),
    }
}

/// What the list of catalogue cases never seen is, in every format.
pub(crate) const NEVER_SEEN_NOTE: &str = "Cases of the catalogue that no journaled call showed \
     yet. NIC's minimums count calls per API, so these do not stop the report; they are the \
     features and rules your traffic has not shown the IRP.";

/// What the "what is missing" section says when nothing is.
pub(crate) fn nothing_missing(report: &Report) -> &'static str {
    if report.is_rehearsal() {
        "Nothing is missing in this rehearsal, which cannot be sent: it ran against the local \
         emulator. Run the same cases against NIC's sandbox for a report to send."
    } else {
        "Nothing: the report can be sent."
    }
}

/// Title of the list of what is missing.
pub(crate) fn still_needed(report: &Report) -> &'static str {
    if report.is_rehearsal() {
        "What this rehearsal still lacks"
    } else {
        "What is still needed before the report can be sent"
    }
}

/// The rehearsal mark with its reason, when the report is a rehearsal.
pub(crate) fn rehearsal_banner(report: &Report) -> Option<String> {
    let reason = report.rehearsal.as_deref()?;
    Some(if reason.is_empty() {
        format!("{REHEARSAL}.")
    } else {
        format!("{REHEARSAL}. Why: {reason}.")
    })
}

/// The target's host (`einv-apisandbox.nic.in`), or the target as given when it is no URL.
pub(crate) fn target_host(header: &Header) -> String {
    reqwest::Url::parse(&header.target)
        .ok()
        .and_then(|url| url.host_str().map(str::to_owned))
        .unwrap_or_else(|| header.target.clone())
}

/// Name of the table of minimums applied.
pub(crate) fn minimums_label(report: &Report) -> &'static str {
    match report.minimums {
        crate::api::Minimums::Nic => "NIC per-API minimums",
        crate::api::Minimums::Strict => "strict minimums (50/50, Generate IRN 100/50)",
    }
}

/// The header block as label/value rows, in the form's order.
pub(crate) fn header_rows(header: &Header) -> Vec<(&'static str, String)> {
    vec![
        ("Company", header.company.clone()),
        ("User type", header.user_type.clone()),
        ("Product (GSP / ERP)", header.product.clone()),
        ("Project manager", header.project_manager.clone()),
        ("Technical contact", header.technical_contact.clone()),
        ("GSTINs used", header.gstins.join(", ")),
        ("API user ids used", header.user_ids.join(", ")),
        ("Testing from", header.testing_from.clone()),
        ("Testing to", header.testing_to.clone()),
        ("Target", header.target.clone()),
        ("Source", header.source.clone()),
        ("Tool", header.tool.clone()),
        ("Generated at", header.generated_at.clone()),
        (
            "Seed",
            header.seed.map(|s| s.to_string()).unwrap_or_default(),
        ),
        ("Filters", filters_text(header)),
    ]
}

/// The filters applied, or `none`.
pub(crate) fn filters_text(header: &Header) -> String {
    if header.filters.is_empty() {
        "none".to_owned()
    } else {
        header.filters.join(", ")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn truncate_counts_characters_and_marks_the_cut() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert_eq!(truncate("₹₹₹₹", 2), "₹…");
        assert_eq!(truncate("", 0), "");
        assert_eq!(truncate("a", 0), "…");
        assert_eq!(
            truncate(&"x".repeat(40_000), 32_767).chars().count(),
            32_767
        );
    }

    #[test]
    fn pretty_json_reindents_json_and_leaves_other_text() {
        assert_eq!(pretty_json("{\"a\":1}"), "{\n  \"a\": 1\n}");
        assert_eq!(pretty_json("not json"), "not json");
    }
}
