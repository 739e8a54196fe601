//! `duplicate_not_reconciled` and `two_irns_for_one_invoice`: one invoice, one IRN.
//!
//! 2150 ("Duplicate IRN") after a timeout usually means the first attempt was registered
//! after all. The right reaction is to take the IRN from the answer's `DUPIRN` block, or
//! look it up (Get IRN by document); the wrong one is to give the invoice a fresh number
//! and register it again, which books the same supply twice in GST returns.

use std::collections::{BTreeMap, HashMap};

use super::{
    Traffic,
    attempts::Caller,
    call::{Call, Outcome},
    document::{DocKey, content},
    finding::{Check, Finding},
};
use crate::{api::Api, journal::text};

/// NIC's "Duplicate IRN".
pub(super) const DUPLICATE: &str = "2150";

/// A Generate IRN call whose request was read.
struct Generation<'t, 'a> {
    /// Position in arrival order.
    index: usize,
    call: &'t Call<'a>,
    caller: Caller,
    key: DocKey,
    /// The invoice without its number ([`content`]).
    content: String,
}

fn generations<'t, 'a>(traffic: &'t Traffic<'a>) -> Vec<Generation<'t, 'a>> {
    traffic
        .calls
        .iter()
        .enumerate()
        .filter(|(_, call)| call.api == Api::GenerateIrn)
        .filter_map(|(index, call)| {
            let request = call.request()?;
            Some(Generation {
                index,
                call,
                caller: Caller::anywhere(call),
                key: DocKey::of_invoice(request)?,
                content: content(request),
            })
        })
        .collect()
}

/// The IRN a successful answer gave.
fn irn(call: &Call<'_>) -> Option<String> {
    text(call.entry.data().get("Irn")).filter(|irn| !irn.is_empty())
}

/// The info codes of a 2150 that name the original: `DUPIRN`, and `DUPIRNGLP` when the
/// original is held at another IRP.
const DUPLICATE_BLOCKS: [&str; 2] = ["DUPIRN", "DUPIRNGLP"];

/// Whether a 2150 answer named the original (a `DUPIRN` or `DUPIRNGLP` block).
fn names_original(call: &Call<'_>) -> bool {
    DUPLICATE_BLOCKS.iter().any(|code| call.has_info(code))
}

/// The IRN a document is known to hold after `call`: the one a success gave (whether or
/// not the client waited for it), or the one a
/// 2150's `DUPIRN` (or cross-IRP `DUPIRNGLP`) block names (the registration whose answer
/// the client may never have seen).
pub(super) fn held_irn(call: &Call<'_>) -> Option<String> {
    // What the IRP answered, whether or not the client waited for it: a registration the
    // client timed out on still holds its IRN.
    if call.answer == Outcome::Success {
        return irn(call);
    }
    if !call.has_error(DUPLICATE) {
        return None;
    }
    call.entry
        .response
        .get("InfoDtls")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .find(|info| {
            info.get("InfCd")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|code| DUPLICATE_BLOCKS.contains(&code.trim()))
        })
        .and_then(|info| text(info.pointer("/Desc/Irn")))
        .filter(|irn| !irn.is_empty())
}

/// (GSTIN header, document type, number, date) of a lookup, or of a document asked about.
type Asked = (String, String, String, String);

/// When each document and IRN was last asked for (Get IRN by document, Get IRN), by GSTIN
/// header, and the IRNs the journal shows for each document.
struct Lookups<'k> {
    documents: HashMap<Asked, usize>,
    irns: HashMap<(String, String), usize>,
    registered: HashMap<&'k DocKey, Vec<String>>,
}

impl<'k> Lookups<'k> {
    fn new(traffic: &Traffic<'_>, generations: &'k [Generation<'_, '_>]) -> Self {
        let mut lookups = Self {
            documents: HashMap::new(),
            irns: HashMap::new(),
            registered: HashMap::new(),
        };
        for (index, call) in traffic.calls.iter().enumerate() {
            match call.api {
                Api::GetIrnByDocument => {
                    if let Some(asked) = DocKey::of_lookup(call) {
                        let key = (call.gstin(), asked.doc_type, asked.number, asked.date);
                        lookups.documents.insert(key, index);
                    }
                }
                Api::GetIrn => {
                    let irn = call.entry.path_tail().to_ascii_lowercase();
                    lookups.irns.insert((call.gstin(), irn), index);
                }
                _ => {}
            }
        }
        for generation in generations
            .iter()
            .filter(|g| g.call.outcome == Outcome::Success)
        {
            if let Some(irn) = irn(generation.call) {
                let known = lookups.registered.entry(&generation.key).or_default();
                known.push(irn.to_ascii_lowercase());
            }
        }
        lookups
    }

    /// Whether a call with the GSTIN header of `first` asked for its document after it.
    fn after(&self, first: &Generation<'_, '_>) -> bool {
        let gstin = first.call.gstin();
        let key = &first.key;
        let asked = (
            gstin.clone(),
            key.doc_type.clone(),
            key.number.clone(),
            key.date.clone(),
        );
        let later = |index: Option<&usize>| index.is_some_and(|i| *i > first.index);
        later(self.documents.get(&asked))
            || self.registered.get(key).is_some_and(|irns| {
                irns.iter()
                    .any(|irn| later(self.irns.get(&(gstin.clone(), irn.clone()))))
            })
    }
}

/// Per caller and document answered 2150: a finding when the invoice went in again under
/// another number, and one when, without `DUPIRN`, the original was never looked up.
pub(super) fn duplicate_not_reconciled(traffic: &Traffic<'_>) -> Vec<Finding> {
    let generations = generations(traffic);
    let mut duplicates: BTreeMap<(&Caller, &DocKey), Vec<&Generation<'_, '_>>> = BTreeMap::new();
    let mut by_content: HashMap<(&Caller, &str), Vec<&Generation<'_, '_>>> = HashMap::new();
    for generation in &generations {
        if generation.call.has_error(DUPLICATE) {
            let key = (&generation.caller, &generation.key);
            duplicates.entry(key).or_default().push(generation);
        }
        let same = (&generation.caller, generation.content.as_str());
        by_content.entry(same).or_default().push(generation);
    }
    let lookups = Lookups::new(traffic, &generations);
    let mut findings = Vec::new();
    for ((caller, key), answers) in duplicates {
        let Some(first) = answers.first() else {
            continue;
        };
        let same_content = by_content.get(&(caller, first.content.as_str()));
        let renumbered: Vec<&Generation<'_, '_>> = same_content
            .into_iter()
            .flatten()
            .filter(|g| g.index > first.index && g.key.number != key.number)
            .copied()
            .collect();
        if let Some(again) = renumbered.first() {
            let mut entries = vec![first.call.id()];
            entries.extend(renumbered.iter().map(|g| g.call.id()));
            let message = format!(
                "answered 2150 (entry {}), then sent the same invoice as number {} (entry {})",
                first.call.id(),
                again.key.number,
                again.call.id()
            );
            findings.push(Finding::new(
                Check::DuplicateNotReconciled,
                caller,
                key.to_string(),
                message,
                entries,
            ));
        }
        if answers.iter().any(|g| names_original(g.call)) || lookups.after(first) {
            continue;
        }
        let message = format!(
            "answered 2150 without a DUPIRN block (entry {}) and the original was never looked \
             up (no Get IRN by document for it, no Get IRN of its IRN)",
            first.call.id()
        );
        let entries = answers.iter().map(|g| g.call.id()).collect();
        findings.push(Finding::new(
            Check::DuplicateNotReconciled,
            caller,
            key.to_string(),
            message,
            entries,
        ));
    }
    findings
}

/// One finding per invoice content holding an IRN under more than one number, and per
/// document registered more than once. A 2150 with a `DUPIRN` block shows its document
/// holds an IRN even when the answer that registered it was lost (a fault after the
/// commit, a timeout), so it counts as holding one.
pub(super) fn two_irns_for_one_invoice(traffic: &Traffic<'_>) -> Vec<Finding> {
    let generations = generations(traffic);
    let mut by_content: BTreeMap<&str, Vec<&Generation<'_, '_>>> = BTreeMap::new();
    let mut by_key: BTreeMap<&DocKey, Vec<&Generation<'_, '_>>> = BTreeMap::new();
    for generation in generations.iter().filter(|g| held_irn(g.call).is_some()) {
        by_content
            .entry(generation.content.as_str())
            .or_default()
            .push(generation);
        if generation.call.outcome == Outcome::Success {
            by_key.entry(&generation.key).or_default().push(generation);
        }
    }
    let mut findings = Vec::new();
    for group in by_content.values() {
        let mut numbers: Vec<&str> = group.iter().map(|g| g.key.number.as_str()).collect();
        numbers.sort_unstable();
        numbers.dedup();
        if numbers.len() > 1 {
            let message = format!(
                "the same invoice was registered under {} numbers: {}",
                numbers.len(),
                numbers.join(", ")
            );
            findings.push(finding(group, message));
        }
    }
    // Registrations at two IRPs are `registered_at_two_irps` (`failover.rs`).
    let one_irp = |group: &&Vec<&Generation<'_, '_>>| {
        let mut irps: Vec<String> = group.iter().map(|g| g.call.irp()).collect();
        irps.sort_unstable();
        irps.dedup();
        irps.len() == 1
    };
    for group in by_key
        .values()
        .filter(|group| group.len() > 1)
        .filter(one_irp)
    {
        let message = format!("the same document was registered {} times", group.len());
        findings.push(finding(group, message));
    }
    findings
}

fn finding(group: &[&Generation<'_, '_>], message: String) -> Finding {
    let caller = group.last().map(|g| Caller::of(g.call)).unwrap_or_default();
    let subject = group.first().map(|g| g.key.to_string()).unwrap_or_default();
    let mut irns: Vec<String> = group.iter().filter_map(|g| held_irn(g.call)).collect();
    irns.dedup();
    let message = if irns.is_empty() {
        message
    } else {
        format!("{message} (IRNs {})", irns.join(", "))
    };
    let entries = group.iter().map(|g| g.call.id()).collect();
    Finding::new(
        Check::TwoIrnsForOneInvoice,
        &caller,
        subject,
        message,
        entries,
    )
}
