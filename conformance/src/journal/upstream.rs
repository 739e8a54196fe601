//! Where a journal's calls went: to the emulator (a rehearsal) or, through a recording
//! proxy, to a real IRP.
//!
//! The proxy sets `upstream` (the real IRP's base URL) on every entry it journals; the
//! emulator never does. So a journal is evidence from a real IRP only when every entry
//! carries one, and none of them points back at this machine.

use crate::target::loopback_host;

use super::JournalEntry;

/// The real IRPs a journal's calls went to, or why the journal is a rehearsal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upstream {
    /// Every entry went to one of these base URLs (sorted, without repeats).
    Real(Vec<String>),
    /// The journal came from the emulator; the reason says how that is known.
    Rehearsal(String),
}

/// Reads the `upstream` of `entries`.
pub fn upstream(entries: &[JournalEntry]) -> Upstream {
    if entries.is_empty() {
        return Upstream::Rehearsal("the journal holds no call".to_owned());
    }
    let without = entries
        .iter()
        .filter(|e| e.upstream.as_deref().is_none_or(|u| u.trim().is_empty()))
        .count();
    if without > 0 {
        return Upstream::Rehearsal(format!(
            "the journal came from the emulator: {without} of {} entries carry no upstream \
             (the real IRP a recording proxy sent the call to)",
            entries.len()
        ));
    }
    let mut bases: Vec<String> = entries
        .iter()
        .filter_map(|e| e.upstream.as_deref())
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .collect();
    bases.sort();
    bases.dedup();
    if let Some(host) = bases.iter().find_map(|base| loopback_host(base)) {
        return Upstream::Rehearsal(format!(
            "the journal's upstream host {host} is this machine (loopback)"
        ));
    }
    Upstream::Real(bases)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(upstream: Option<&str>) -> JournalEntry {
        JournalEntry {
            api: "auth".to_owned(),
            upstream: upstream.map(str::to_owned),
            ..JournalEntry::default()
        }
    }

    #[test]
    fn only_a_journal_whose_every_entry_went_to_a_real_irp_is_evidence() {
        let nic = "https://einv-apisandbox.nic.in/";
        assert_eq!(
            upstream(&[entry(Some(nic)), entry(Some(nic))]),
            Upstream::Real(vec!["https://einv-apisandbox.nic.in".to_owned()])
        );
        let Upstream::Rehearsal(reason) = upstream(&[entry(Some(nic)), entry(None)]) else {
            panic!("one entry without upstream is the emulator's");
        };
        assert!(reason.contains("1 of 2 entries"), "{reason}");
        assert!(matches!(upstream(&[]), Upstream::Rehearsal(_)));
        assert!(matches!(
            upstream(&[entry(Some("http://127.0.0.1:8080"))]),
            Upstream::Rehearsal(r) if r.contains("127.0.0.1")
        ));
        assert!(matches!(
            upstream(&[entry(Some(" "))]),
            Upstream::Rehearsal(_)
        ));
    }
}
