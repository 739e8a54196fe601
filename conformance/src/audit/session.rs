//! `reauth_every_call` and `no_reauth_after_1005`: a token is reused until the IRP says it
//! is no longer valid (1005), and then renewed before the next call.
//!
//! NIC's token lives for hours and logins are rate-limited and counted, so a client that
//! logs in before every call wastes both; a client that keeps calling with a token the IRP
//! refused never gets through. Calls are grouped by caller (client id and GSTIN): the
//! token belongs to that pair.

use std::collections::BTreeMap;

use super::{
    Traffic,
    attempts::Caller,
    call::{Call, Outcome},
    finding::{Check, Finding},
};
use crate::api::Api;

/// Fewer other calls than this say nothing about login habits.
const MIN_CALLS: usize = 5;

/// 1005 answers in a row, despite logins, that show the new token is not used.
const STUCK_1005: usize = 3;

fn by_caller<'t, 'a>(traffic: &'t Traffic<'a>) -> BTreeMap<Caller, Vec<&'t Call<'a>>> {
    let mut callers: BTreeMap<Caller, Vec<&Call<'a>>> = BTreeMap::new();
    for call in &traffic.calls {
        callers.entry(Caller::of(call)).or_default().push(call);
    }
    callers
}

/// One warning per caller whose unprompted logins are at least half its other calls.
pub(super) fn reauth_every_call(traffic: &Traffic<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (caller, calls) in by_caller(traffic) {
        let mut others = 0;
        let mut logins = Vec::new();
        let mut prompted = false;
        for call in calls {
            match (call.api, prompted) {
                (Api::Auth, true) => prompted = false,
                (Api::Auth, false) => logins.push(call.id()),
                _ => {
                    others += 1;
                    prompted |= call.outcome == Outcome::InvalidToken;
                }
            }
        }
        if others < MIN_CALLS || logins.len() * 2 < others {
            continue;
        }
        let message = format!(
            "{} logins for {others} other calls: the token is not reused",
            logins.len()
        );
        findings.push(Finding::new(
            Check::ReauthEveryCall,
            &caller,
            "auth",
            message,
            logins,
        ));
    }
    findings
}

/// Per caller: one finding for calls made after a 1005 without logging in, one for a
/// streak of 1005 answers that logins did not end.
pub(super) fn no_reauth_after_1005(traffic: &Traffic<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (caller, calls) in by_caller(traffic) {
        let mut refused: Option<&Call<'_>> = None;
        let mut unrenewed: Vec<(i64, i64)> = Vec::new();
        // 1005 answers each after a successful login that followed the one before.
        let mut streak: Vec<i64> = Vec::new();
        let mut relogged = false;
        let mut stuck: Vec<i64> = Vec::new();
        for call in calls {
            if call.api == Api::Auth {
                refused = None;
                relogged |= !streak.is_empty() && call.outcome == Outcome::Success;
                continue;
            }
            // A call that left before the 1005 answer did is not a reaction to it.
            let reacting = refused.filter(|r| match (r.answered(), call.wall) {
                (Some(answered), Some(arrived)) => arrived >= answered,
                _ => true,
            });
            if let Some(before) = reacting {
                unrenewed.push((before.id(), call.id()));
            }
            let invalid = call.outcome == Outcome::InvalidToken;
            if invalid {
                refused = Some(call);
            } else if reacting.is_some() {
                refused = None;
            }
            if invalid && call.entry.fault.is_none() {
                if streak.is_empty() || relogged {
                    streak.push(call.id());
                    relogged = false;
                }
            } else {
                if streak.len() >= STUCK_1005 {
                    stuck.append(&mut streak);
                }
                streak.clear();
                relogged = false;
            }
        }
        if streak.len() >= STUCK_1005 {
            stuck.append(&mut streak);
        }
        if let Some((before, after)) = unrenewed.first().copied() {
            let entries: Vec<i64> = unrenewed.iter().flat_map(|(a, b)| [*a, *b]).collect();
            let message = format!(
                "called again after 1005 (Invalid Token) without logging in, {} time(s); \
                 first: entry {before}, then entry {after}",
                unrenewed.len()
            );
            findings.push(Finding::new(
                Check::NoReauthAfter1005,
                &caller,
                "after 1005",
                message,
                entries,
            ));
        }
        if !stuck.is_empty() {
            let message = format!(
                "{} answers were 1005 (Invalid Token) in a row although the client logged in \
                 between them: the new token is not used",
                stuck.len()
            );
            findings.push(Finding::new(
                Check::NoReauthAfter1005,
                &caller,
                "1005 despite login",
                message,
                stuck,
            ));
        }
    }
    findings
}
