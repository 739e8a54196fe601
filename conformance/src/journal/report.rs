//! The Test Summary Report of a journal: the calls a [`Filter`] keeps, classified, with the
//! header facts they show, the catalogue cases they never showed, and the rehearsal mark
//! unless every call went to a real IRP.

use crate::{
    api::Minimums,
    report::{Header, Report},
};

use super::{Filter, JournalEntry, Upstream};

/// The report of the entries of `journal` (named `source`) that `filter` keeps, under
/// `header` (the profile's, stamped): its GSTINs, user ids, dates, target, source and
/// filters are filled in from the journal. `None` when a filter is given and keeps no
/// entry: a wrong filter, not an empty report.
pub fn report(
    journal: &[JournalEntry],
    source: &str,
    filter: &Filter,
    mut header: Header,
    minimums: Minimums,
) -> Option<Report> {
    let entries: Vec<JournalEntry> = journal
        .iter()
        .filter(|e| filter.keeps(e))
        .cloned()
        .collect();
    if entries.is_empty() && filter.is_active() {
        return None;
    }
    let outcomes = super::outcomes(&entries);
    let never_seen = super::missing_cases(&outcomes);
    let participants = super::participants(&entries);
    header.gstins = participants.gstins;
    header.user_ids = participants.user_ids;
    header.testing_from = participants.first_day.unwrap_or_default();
    header.testing_to = participants.last_day.unwrap_or_default();
    header.filters = filter.describe();
    header.source = format!("irp-conformance report --journal {source}");
    for flag in &header.filters {
        header.source.push(' ');
        header.source.push_str(flag);
    }
    let upstream = super::upstream(&entries);
    header.target = match &upstream {
        Upstream::Real(bases) => bases.join(", "),
        Upstream::Rehearsal(_) => source.to_owned(),
    };
    let report = Report::build(header, minimums, outcomes).never_seen(never_seen);
    Some(match upstream {
        Upstream::Rehearsal(reason) => report.rehearsal(reason),
        Upstream::Real(_) => report,
    })
}
