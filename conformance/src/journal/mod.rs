//! Journal mode: the Test Summary Report from a team's own traffic.
//!
//! NIC wants the report to come from the team's own ERP talking to the IRP, not from a test
//! tool. Pointed at the emulator, that ERP leaves a journal of every call (decrypted
//! request and answer, `Status`, codes); this module reads it ([`read`]), turns each call
//! into a report outcome ([`outcomes`]) and lists the catalogue cases not shown yet
//! ([`missing_cases`]), so `irp-conformance report --journal URL|FILE` writes the same
//! report a scenario run does.
//!
//! How calls become outcomes (which case, what counts, what fails) is set out in
//! [`outcome`]; the header facts (GSTINs, users, dates) come from [`participants`]. A
//! [`Filter`] picks one client's, taxpayer's or user's calls out of a shared journal, and
//! [`upstream`] says whether the calls went to a real IRP (through a recording proxy) or
//! to the emulator, whose journal makes only a rehearsal; [`report`] puts it all together.

mod coverage;
mod entry;
mod ewaybill;
mod filter;
mod history;
mod invoice;
pub mod outcome;
mod participants;
mod report;
mod source;
mod upstream;

pub use self::coverage::missing_cases;
pub use self::entry::JournalEntry;
pub(crate) use self::entry::text;
pub use self::filter::Filter;
pub use self::outcome::{IRP_ERROR, SCENARIO};
pub use self::participants::{Participants, participants};
pub use self::report::report;
pub(crate) use self::source::chain;
pub use self::source::{JournalError, parse, read};
pub use self::upstream::{Upstream, upstream};
use crate::report::Outcome;

/// One outcome per IRP call in `entries`, in journal order (oldest first, as both journal
/// endpoints give them); paths that are no IRP API are left out. See [`outcome`] for the
/// rules.
pub fn outcomes(entries: &[JournalEntry]) -> Vec<Outcome> {
    let mut history = history::History::default();
    let several = several_irps(entries);
    entries
        .iter()
        .enumerate()
        .filter_map(|(index, entry)| outcome::classify(entry, index + 1, &mut history))
        .map(|mut outcome| {
            if !several {
                outcome.irp = None;
            }
            outcome
        })
        .collect()
}

/// Whether `entries` name more than one IRP (an emulator serving several writes `irp` on
/// every entry, `nic1` when it serves one: one name says nothing worth showing).
pub fn several_irps<'a>(entries: impl IntoIterator<Item = &'a JournalEntry>) -> bool {
    let mut names = entries
        .into_iter()
        .filter_map(|e| e.irp.as_deref())
        .map(|irp| irp.trim().to_ascii_lowercase());
    let first = names.next();
    names.any(|name| Some(&name) != first.as_ref())
}
