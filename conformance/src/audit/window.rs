//! `late_submission` and the ages of invoices: the reporting window.
//!
//! Taxpayers above the turnover threshold must register an invoice within 30 days of its
//! date, after which the IRP refuses it. A client whose retries, queues or outages eat into
//! that window is a risk even when every invoice gets through, so an invoice first sent
//! with under 5 days left is a warning. Age is whole days between the document date and the
//! emulator's clock at arrival, in IST (the clock the IRP applies the rule with).

use std::collections::{BTreeMap, BTreeSet};

use time::{Date, macros::format_description};

use super::{
    Traffic,
    attempts::{Caller, Target},
    finding::{Check, Finding},
};
use crate::{api::Api, target::IST};

/// Days of the reporting window.
const WINDOW_DAYS: i64 = 30;

/// Days left below which a submission is late.
const DAYS_LEFT: i64 = 5;

/// The document date `dd/MM/yyyy`.
fn document_date(text: &str) -> Option<Date> {
    Date::parse(text.trim(), format_description!("[day]/[month]/[year]")).ok()
}

/// Findings per caller, and the age in days of every document at its first submission.
pub(super) fn late_submission(traffic: &Traffic<'_>) -> (Vec<Finding>, Vec<i64>) {
    let mut ages = Vec::new();
    let mut late: BTreeMap<Caller, Vec<(i64, i64, String)>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for stream in traffic.streams.iter().filter(|s| s.api == Api::GenerateIrn) {
        let Target::Document(key) = &stream.target else {
            continue;
        };
        let first = stream.calls.iter().find(|c| c.request().is_some());
        let Some(first) = first.filter(|_| seen.insert(key.clone())) else {
            continue;
        };
        let (Some(dated), Some(arrived)) = (document_date(&key.date), first.virtual_time) else {
            continue;
        };
        let age = (arrived.to_offset(IST).date() - dated).whole_days();
        ages.push(age);
        if age > WINDOW_DAYS - DAYS_LEFT {
            let caller = stream.caller.clone();
            late.entry(caller)
                .or_default()
                .push((age, first.id(), key.to_string()));
        }
    }
    let findings = late
        .into_iter()
        .map(|(caller, mut documents)| {
            documents.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let (oldest, _, subject) = documents.first().cloned().unwrap_or_default();
            let past = documents.iter().filter(|d| d.0 > WINDOW_DAYS).count();
            let message = format!(
                "{} invoice(s) first submitted with under {DAYS_LEFT} days of the \
                 {WINDOW_DAYS}-day window left ({past} past it); oldest {oldest} days: {subject}",
                documents.len()
            );
            let entries: Vec<i64> = documents.iter().map(|d| d.1).collect();
            Finding::new(
                Check::LateSubmission,
                &caller,
                "reporting window",
                message,
                entries,
            )
        })
        .collect();
    (findings, ages)
}
