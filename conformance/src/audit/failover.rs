//! `registered_at_two_irps` and `abandoned_after_failover`: one document, one IRN, across
//! IRPs too.
//!
//! Several IRPs register e-invoices against one GSTN-wide set of documents. A client that
//! fails over from one IRP to another must carry each document across: register it at the
//! second IRP, or, when the first had registered it after all (its answer lost), take the
//! IRN from the duplicate answer the second gives (`DUPIRNGLP`) or look it up. Registering it
//! at both books the supply twice until GSTN's de-duplication rejects one (the "rejected
//! IRNs" list); dropping it leaves an invoice without an IRN. Both need a journal whose
//! entries name the IRP (`irp`), which an emulator serving several IRPs writes.

use std::collections::BTreeMap;

use super::{
    Traffic,
    attempts::{Caller, Target},
    call::{Call, Outcome},
    document::DocKey,
    duplicate::{DUPLICATE, held_irn},
    finding::{Check, Finding},
};
use crate::api::Api;

/// One finding per document that more than one IRP registered (their answers said so,
/// whether or not the client saw them).
pub(super) fn registered_at_two_irps(traffic: &Traffic<'_>) -> Vec<Finding> {
    let mut registered: BTreeMap<DocKey, Vec<&Call<'_>>> = BTreeMap::new();
    for stream in &traffic.streams {
        let (Api::GenerateIrn, Target::Document(key)) = (stream.api, &stream.target) else {
            continue;
        };
        let successes = stream.calls.iter().filter(|c| c.answer == Outcome::Success);
        registered.entry(key.clone()).or_default().extend(successes);
    }
    let mut findings = Vec::new();
    for (key, mut calls) in registered {
        calls.sort_by_key(|c| c.id());
        let mut irps: Vec<String> = calls.iter().map(|c| c.irp()).collect();
        irps.sort_unstable();
        irps.dedup();
        let (Some(last), true) = (calls.last(), irps.len() > 1) else {
            continue;
        };
        let places: Vec<String> = calls
            .iter()
            .map(|c| format!("{} (entry {})", c.irp(), c.id()))
            .collect();
        let message = format!(
            "the document was registered at {} IRPs: {}; GSTN keeps the first and lists the \
             other as rejected, so the invoice's printed IRN may be the rejected one",
            irps.len(),
            places.join(", ")
        );
        let entries = calls.iter().map(|c| c.id()).collect();
        findings.push(Finding::new(
            Check::RegisteredAtTwoIrps,
            &Caller::anywhere(last),
            key.to_string(),
            message,
            entries,
        ));
    }
    findings
}

/// A failed call in words: the fault, else the HTTP status.
fn failure(call: &Call<'_>) -> String {
    match &call.fault {
        Some(fault) => format!("{} fault", fault.action),
        None if call.entry.http_status == 0 => "no answer".to_owned(),
        None => format!("HTTP {}", call.entry.http_status),
    }
}

/// Whether the client learned an IRN for the document from `call`, or at least learned it
/// holds one (2150: reconciling it is `duplicate_not_reconciled`'s business).
fn settled(call: &Call<'_>) -> bool {
    match call.api {
        Api::GenerateIrn => {
            (call.outcome == Outcome::Success && held_irn(call).is_some())
                || call.has_error(DUPLICATE)
        }
        Api::GetIrnByDocument => call.outcome == Outcome::Success,
        _ => false,
    }
}

/// One finding per document whose Generate IRN failed at one IRP, whose client went on to
/// call another IRP, and which never got an IRN the client saw, at any IRP.
pub(super) fn abandoned_after_failover(traffic: &Traffic<'_>) -> Vec<Finding> {
    let mut documents: BTreeMap<DocKey, Vec<&Call<'_>>> = BTreeMap::new();
    for stream in &traffic.streams {
        if let (Api::GenerateIrn, Target::Document(key)) = (stream.api, &stream.target) {
            documents
                .entry(key.clone())
                .or_default()
                .extend(stream.calls.iter());
        }
    }
    let lookups: Vec<(DocKey, &Call<'_>)> = traffic
        .calls
        .iter()
        .filter(|c| c.api == Api::GetIrnByDocument)
        .filter_map(|c| Some((DocKey::of_lookup(c)?, c)))
        .collect();
    let mut findings = Vec::new();
    for (key, mut calls) in documents {
        calls.sort_by_key(|c| c.id());
        let looked_up = lookups
            .iter()
            .any(|(asked, call)| *asked == key && settled(call));
        if looked_up || calls.iter().any(|c| settled(c)) {
            continue;
        }
        let Some(failed) = calls.iter().find(|c| c.outcome.transient()) else {
            continue;
        };
        let (client, from) = (Caller::anywhere(failed), failed.irp());
        // Calls are in arrival order: what the client did after the failure.
        let moved = traffic
            .calls
            .iter()
            .skip_while(|c| c.id() != failed.id())
            .find(|c| c.irp() != from && Caller::anywhere(c) == client);
        let Some(moved) = moved else {
            continue;
        };
        let message = format!(
            "Generate IRN failed at {from} (entry {}: {}), the client went on at {} (entry {}), \
             and the document never got an IRN it saw: no registration answered, no 2150, no \
             lookup by document",
            failed.id(),
            failure(failed),
            moved.irp(),
            moved.id()
        );
        let mut entries: Vec<i64> = calls.iter().map(|c| c.id()).collect();
        entries.push(moved.id());
        findings.push(Finding::new(
            Check::AbandonedAfterFailover,
            &client,
            key.to_string(),
            message,
            entries,
        ));
    }
    findings
}
