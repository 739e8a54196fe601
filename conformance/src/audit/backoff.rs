//! `no_backoff` and `unbounded_retries`: retrying a failed call is right, hammering the IRP
//! with it is not.
//!
//! A failing IRP is usually overloaded; clients that retry at once, at a fixed pace or
//! forever make it worse and get throttled or blocked. Both checks read one stream of
//! attempts (same caller, API and document or call). Failures that carried `Retry-After`
//! are left to `retry_after_ignored`: the server chose the pause.

use time::Duration;

use super::{
    Traffic,
    attempts::Stream,
    call::{Call, seconds},
    finding::{Check, Finding},
};

/// A retry closer than this to its failure is immediate.
const IMMEDIATE: Duration = Duration::milliseconds(100);

/// How much longer than the first pause a later one must be for the pauses to be growing.
const GROWTH: f64 = 1.5;

/// Retries in a row, after transient failures, before the pauses must grow.
const GROWTH_AFTER: usize = 3;

/// One finding per stream whose retries after transient failures were immediate or not
/// spreading out.
pub(super) fn no_backoff(traffic: &Traffic<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for stream in &traffic.streams {
        let mut entries = Vec::new();
        let mut problems: Vec<String> = Vec::new();
        for run in backoff_runs(stream) {
            let pauses: Vec<Duration> = run.iter().map(|(_, pause)| *pause).collect();
            let immediate = pauses.iter().skip(1).filter(|p| **p < IMMEDIATE).count();
            let considered = match pauses.split_first() {
                Some((first, rest)) if *first < IMMEDIATE => rest,
                _ => pauses.as_slice(),
            };
            let flat = considered.len() >= GROWTH_AFTER
                && considered.split_first().is_some_and(|(first, rest)| {
                    rest.iter()
                        .all(|p| p.as_seconds_f64() < first.as_seconds_f64() * GROWTH)
                });
            if immediate == 0 && !flat {
                continue;
            }
            let words: Vec<String> = pauses.iter().map(|p| seconds(*p)).collect();
            let why = match (immediate > 0, flat) {
                (true, true) => "immediate and not growing",
                (true, false) => "immediate",
                _ => "not growing",
            };
            problems.push(format!(
                "{} retries with pauses {} ({why})",
                pauses.len(),
                words.join(", ")
            ));
            for (pair, _) in &run {
                for call in *pair {
                    entries.push(call.id());
                }
            }
        }
        if problems.is_empty() {
            continue;
        }
        let message = format!(
            "retried after transient failures without backing off: {}",
            problems.join("; ")
        );
        findings.push(Finding::new(
            Check::NoBackoff,
            &stream.caller,
            stream.subject(),
            message,
            entries,
        ));
    }
    findings
}

/// Maximal runs of retries each following a transient failure without `Retry-After`, with
/// the pause before each retry.
fn backoff_runs<'s, 'a>(stream: &'s Stream<'a>) -> Vec<Vec<(&'s [Call<'a>], Duration)>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for pair in stream.calls.windows(2) {
        let pause = match pair {
            [failed, retry] if failed.outcome.transient() && failed.retry_after.is_none() => {
                failed.pause_before(retry)
            }
            _ => None,
        };
        match pause {
            Some(pause) => run.push((pair, pause)),
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// One finding per run of more than `max` failed attempts in a row.
pub(super) fn unbounded_retries(traffic: &Traffic<'_>, max: usize) -> Vec<Finding> {
    let mut findings = Vec::new();
    for stream in &traffic.streams {
        for (run, ended_by) in stream.failure_runs() {
            if run.len() <= max {
                continue;
            }
            let ids = Stream::ids(run);
            let ended = ended_by.map_or_else(
                || "still failing at the end of the journal".to_owned(),
                |next| format!("then it succeeded (entry {})", next.id()),
            );
            let message = format!(
                "{} failed attempts in a row (at most {max} allowed); {ended}",
                run.len()
            );
            findings.push(Finding::new(
                Check::UnboundedRetries,
                &stream.caller,
                stream.subject(),
                message,
                ids,
            ));
        }
    }
    findings
}
