//! The figures of the audited run, so a reader can judge the findings against the volume:
//! three ignored `Retry-After`s in ten calls is another client than in ten thousand.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{Traffic, attempts::Target, call::Outcome, duplicate::DUPLICATE};
use crate::api::Api;

/// Counts and rates of the audited calls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// IRP API calls audited.
    pub calls: usize,
    /// Distinct `client_id` headers.
    pub clients: Vec<String>,
    /// Login calls.
    pub logins: usize,
    /// Calls that followed a failed attempt at the same thing.
    pub retries: usize,
    /// Failed calls (as the client saw them).
    pub failures: usize,
    /// Distinct documents sent to Generate IRN.
    pub documents: usize,
    /// Generate IRN calls answered with an IRN.
    pub irns_generated: usize,
    /// Documents the IRP holds an IRN for, as far as the journal shows: answered with an
    /// IRN, or with 2150 (registered by an attempt whose answer was lost, or before).
    pub documents_with_irn: usize,
    /// `irns_generated / documents`, when there was a document.
    pub irn_success_rate: Option<f64>,
    /// Age of invoices at first submission, in days.
    pub age_days: Option<Ages>,
}

/// Minimum, median and maximum age in days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ages {
    /// Youngest.
    pub min: i64,
    /// Median (the mean of the middle two for an even count).
    pub median: f64,
    /// Oldest.
    pub max: i64,
}

impl Ages {
    /// The ages of `days`, `None` when empty.
    fn of(mut days: Vec<i64>) -> Option<Self> {
        days.sort_unstable();
        let (min, max) = (*days.first()?, *days.last()?);
        let middle = days.len() / 2;
        let median = if days.len() % 2 == 1 {
            days.get(middle).copied().unwrap_or(min) as f64
        } else {
            let low = days.get(middle.saturating_sub(1)).copied().unwrap_or(min);
            let high = days.get(middle).copied().unwrap_or(max);
            (low + high) as f64 / 2.0
        };
        Some(Self { min, median, max })
    }
}

/// The summary of `traffic`; `ages` are the documents' ages at first submission.
pub(super) fn summarise(traffic: &Traffic<'_>, ages: &[i64]) -> Summary {
    let calls = &traffic.calls;
    let clients: BTreeSet<String> = calls
        .iter()
        .map(|c| c.client_id().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    let documents: BTreeSet<_> = traffic
        .streams
        .iter()
        .filter_map(|s| match &s.target {
            Target::Document(key) => Some(key),
            _ => None,
        })
        .collect();
    let irns_generated = calls
        .iter()
        .filter(|c| c.api == Api::GenerateIrn && c.outcome == Outcome::Success)
        .count();
    let with_irn: BTreeSet<_> = traffic
        .streams
        .iter()
        .filter(|s| {
            s.calls
                .iter()
                .any(|c| c.outcome == Outcome::Success || c.has_error(DUPLICATE))
        })
        .filter_map(|s| match &s.target {
            Target::Document(key) => Some(key),
            _ => None,
        })
        .collect();
    Summary {
        calls: calls.len(),
        clients: clients.into_iter().collect(),
        logins: calls.iter().filter(|c| c.api == Api::Auth).count(),
        retries: traffic.streams.iter().map(|s| s.retries().count()).sum(),
        failures: traffic
            .streams
            .iter()
            .flat_map(|s| &s.calls)
            .filter(|c| c.outcome.failed())
            .count(),
        documents: documents.len(),
        irns_generated,
        documents_with_irn: with_irn.len(),
        irn_success_rate: (!documents.is_empty())
            .then(|| irns_generated as f64 / documents.len() as f64),
        age_days: Ages::of(ages.to_vec()),
    }
}
