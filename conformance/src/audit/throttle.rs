//! `retry_after_ignored`: a throttled client must wait as long as it was told.
//!
//! A rate limit counts a client's calls, not its documents, so every call of the API
//! counts, whichever document it carries. Timing is the emulator's wall clock on both
//! ends: the answer left at arrival plus latency, and the next call arrived when journaled.

use std::collections::BTreeMap;

use time::Duration;

use super::{
    Traffic,
    attempts::Caller,
    call::seconds,
    finding::{Check, Finding},
};
use crate::api::Api;

/// Slack for clocks and rounding: a client that waited the full time is not flagged.
const TOLERANCE: Duration = Duration::milliseconds(10);

/// What one caller did after answers that asked it to wait.
#[derive(Default)]
struct Tally {
    /// Answers with `Retry-After`.
    told: usize,
    /// Of those, answers not waited for.
    ignored: usize,
    /// The first ignored: (answer id, seconds asked, the early call's id, its pause).
    first: Option<(i64, u64, i64, Duration)>,
    /// Entry ids: each ignored answer and the calls made too early.
    entries: Vec<i64>,
}

/// One finding per caller and API that called again too early.
pub(super) fn retry_after_ignored(traffic: &Traffic<'_>) -> Vec<Finding> {
    let calls = &traffic.calls;
    let mut tallies: BTreeMap<(Caller, Api), Tally> = BTreeMap::new();
    for (index, call) in calls.iter().enumerate() {
        let throttling = matches!(call.entry.http_status, 429 | 503);
        let (Some(wait), Some(answered), true) = (call.retry_after, call.answered(), throttling)
        else {
            continue;
        };
        let until = answered + Duration::seconds(i64::try_from(wait).unwrap_or(i64::MAX / 2));
        let caller = Caller::of(call);
        let early: Vec<_> = calls
            .iter()
            .skip(index + 1)
            .take_while(|next| next.wall.is_none_or(|arrived| arrived + TOLERANCE < until))
            .filter(|next| next.api == call.api && Caller::of(next) == caller)
            .filter_map(|next| Some((next, next.wall?)))
            .filter(|(_, arrived)| *arrived >= answered)
            .collect();
        let tally = tallies.entry((caller, call.api)).or_default();
        tally.told += 1;
        let Some((first, arrived)) = early.first() else {
            continue;
        };
        tally.ignored += 1;
        tally
            .first
            .get_or_insert((call.id(), wait, first.id(), *arrived - answered));
        tally.entries.push(call.id());
        tally
            .entries
            .extend(early.iter().map(|(next, _)| next.id()));
    }
    tallies
        .into_iter()
        .filter_map(|((caller, api), tally)| {
            let (answer, wait, early, pause) = tally.first?;
            let message = format!(
                "did not wait as told after {} of {} answers with Retry-After: entry {answer} \
                 asked for {wait} s and {} was called again {} later (entry {early})",
                tally.ignored,
                tally.told,
                api.name(),
                seconds(pause),
            );
            Some(Finding::new(
                Check::RetryAfterIgnored,
                &caller,
                api.name(),
                message,
                tally.entries,
            ))
        })
        .collect()
}
