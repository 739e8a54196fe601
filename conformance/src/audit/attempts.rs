//! Calls grouped into attempts at one thing: the same caller (client id and GSTIN headers,
//! at one IRP) calling the same API for the same document, login, IRN or path. A retry is an
//! attempt that follows a failed one in its group. Sending the document to another IRP is a
//! failover, not a retry: it needs no pause, and a Retry-After or a token of one IRP says
//! nothing about another.
//!
//! A call that a fault or rate limit answered before the emulator decrypted it has no
//! request in the journal, so its target is unknown. It is given the target of the call of
//! the same caller and API with the same `requestid` header (clients that tie retries
//! together that way are read exactly), else of the next such call with a readable
//! request: the client's retry, usually. A client that gives up on one document and moves
//! on makes that guess wrong; the checks that matter most (payload, duplicates) read only
//! calls whose request is known.
//!
//! A call whose next attempt arrived before its answer left was given up on by the client
//! (a timeout), whatever the answer. Two calls for the same target sent at once (two workers
//! reading the same GSTIN) look the same way; they are rare for one document.

use std::collections::BTreeMap;

use super::{
    call::{Call, Outcome},
    document::{DocKey, payload},
};
use crate::{api::Api, journal::text};

/// Who called: the `client_id` and `Gstin` headers, and the IRP called.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Caller {
    /// `client_id` header ("" when absent).
    pub(super) client_id: String,
    /// `Gstin` header, upper case ("" when absent).
    pub(super) gstin: String,
    /// The IRP ("" in a single-IRP journal).
    pub(super) irp: String,
}

impl Caller {
    /// The caller of `call`, at the IRP it called.
    pub(super) fn of(call: &Call<'_>) -> Self {
        Self {
            client_id: call.client_id().to_owned(),
            gstin: call.gstin(),
            irp: call.irp(),
        }
    }

    /// The caller of `call` at whichever IRP: documents are GSTN-wide, so the checks on
    /// them follow a client across IRPs.
    pub(super) fn anywhere(call: &Call<'_>) -> Self {
        Self {
            irp: String::new(),
            ..Self::of(call)
        }
    }
}

/// What a call was aimed at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Target {
    /// A Generate IRN request's document.
    Document(DocKey),
    /// A login, by user name.
    Login(String),
    /// The IRN or e-way bill a POST acts on, or its canonical body.
    Subject(String),
    /// A GET's path and query.
    Path(String),
    /// Not readable and nothing to attribute it to.
    Unknown,
}

impl Target {
    /// The target `call` shows by itself, if it shows one.
    fn of(call: &Call<'_>) -> Option<Self> {
        let request = call.request();
        match call.api {
            Api::Auth => {
                let user = call.entry.user_name.clone();
                let user = user.or_else(|| text(request?.get("UserName")))?;
                Some(Target::Login(user.trim().to_owned()))
            }
            Api::GenerateIrn => DocKey::of_invoice(request?).map(Target::Document),
            Api::CancelIrn | Api::GenerateEwb | Api::CancelEwb => {
                let request = request?;
                let id = ["Irn", "ewbNo", "EwbNo"]
                    .into_iter()
                    .find_map(|field| text(request.get(field)));
                Some(Target::Subject(id.unwrap_or_else(|| payload(request))))
            }
            Api::GetIrn
            | Api::GetIrnByDocument
            | Api::GstinDetails
            | Api::SyncGstin
            | Api::GetEwb
            | Api::RejectedIrns => Some(Target::Path(call.entry.path.trim().to_owned())),
        }
    }
}

/// The attempts of one caller at one target through one API, oldest first.
#[derive(Debug, Clone)]
pub(super) struct Stream<'a> {
    /// Who called.
    pub(super) caller: Caller,
    /// The API.
    pub(super) api: Api,
    /// At what.
    pub(super) target: Target,
    /// The attempts, with [`Call::outcome`] as the client saw it: a call the client stopped
    /// waiting for (its next attempt arrived before the answer left) is a [`Outcome::Transport`]
    /// failure.
    pub(super) calls: Vec<Call<'a>>,
}

impl<'a> Stream<'a> {
    /// What the attempts were at, in words.
    pub(super) fn subject(&self) -> String {
        let api = self.api.name();
        match &self.target {
            Target::Document(key) => format!("{api} {key}"),
            Target::Login(user) => format!("{api} as {user}"),
            Target::Subject(id) => format!("{api} {id}"),
            Target::Path(path) => format!("{api} {path}"),
            Target::Unknown => format!("{api} (request not readable)"),
        }
    }

    /// The journal ids of `calls`.
    pub(super) fn ids(calls: &[Call<'_>]) -> Vec<i64> {
        calls.iter().map(Call::id).collect()
    }

    /// Pairs of (failed attempt, the attempt after it): the retries.
    pub(super) fn retries(&self) -> impl Iterator<Item = (&Call<'a>, &Call<'a>)> {
        self.calls.windows(2).filter_map(|pair| match pair {
            [failed, retry] if failed.outcome.failed() => Some((failed, retry)),
            _ => None,
        })
    }

    /// Maximal runs of consecutive failed attempts, each with the attempt that ended it
    /// (`None` when the journal ends first).
    pub(super) fn failure_runs(&self) -> Vec<(&[Call<'a>], Option<&Call<'a>>)> {
        let mut runs = Vec::new();
        let mut start = None;
        for (index, call) in self.calls.iter().enumerate() {
            match (call.outcome.failed(), start) {
                (true, None) => start = Some(index),
                (false, Some(from)) => {
                    runs.extend(self.calls.get(from..index).map(|run| (run, Some(call))));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(from) = start {
            runs.extend(self.calls.get(from..).map(|run| (run, None)));
        }
        runs
    }
}

/// Groups `calls` (in arrival order) into streams, in order of each stream's first call,
/// and settles each call's [`Call::outcome`] as the client saw it, in `calls` too: a call
/// whose next attempt arrived before its answer left was given up on (a timeout); a
/// `slow_body` answer was read in full when the client did not try again.
pub(super) fn streams<'a>(calls: &mut [Call<'a>]) -> Vec<Stream<'a>> {
    let targets = attributed(calls);
    let mut order: Vec<(Caller, Api, Target)> = Vec::new();
    let mut groups: BTreeMap<(Caller, Api, Target), Vec<usize>> = BTreeMap::new();
    for (index, (call, target)) in calls.iter().zip(targets).enumerate() {
        let key = (Caller::of(call), call.api, target);
        let group = groups.entry(key.clone()).or_default();
        if group.is_empty() {
            order.push(key);
        }
        group.push(index);
    }
    for indexes in groups.values() {
        for (position, &index) in indexes.iter().enumerate() {
            let next = indexes
                .get(position + 1)
                .and_then(|&i| calls.get(i))
                .cloned();
            let Some(call) = calls.get_mut(index) else {
                continue;
            };
            match next {
                Some(next) if call.gave_up_on(&next) => call.outcome = Outcome::Transport,
                None if call.slow_answer() => call.outcome = call.answer,
                _ => {}
            }
        }
    }
    order
        .into_iter()
        .filter_map(|key| {
            let indexes = groups.remove(&key)?;
            let calls = indexes
                .iter()
                .filter_map(|&i| calls.get(i))
                .cloned()
                .collect();
            let (caller, api, target) = key;
            Some(Stream {
                caller,
                api,
                target,
                calls,
            })
        })
        .collect()
}

/// Each call's target, unreadable ones attributed as the module doc says.
fn attributed(calls: &[Call<'_>]) -> Vec<Target> {
    let own: Vec<Option<Target>> = calls.iter().map(Target::of).collect();
    let mut by_request_id: BTreeMap<(Caller, Api, &str), Target> = BTreeMap::new();
    for (call, target) in calls.iter().zip(&own) {
        let request_id = call.entry.request_id.trim();
        if let (Some(target), false) = (target, request_id.is_empty()) {
            by_request_id
                .entry((Caller::of(call), call.api, request_id))
                .or_insert_with(|| target.clone());
        }
    }
    // Walking backwards, the next readable target of each caller and API.
    let mut next: BTreeMap<(Caller, Api), Target> = BTreeMap::new();
    let mut targets = Vec::with_capacity(calls.len());
    for (call, target) in calls.iter().zip(&own).rev() {
        let caller = Caller::of(call);
        let chosen = match target {
            Some(target) => {
                next.insert((caller, call.api), target.clone());
                target.clone()
            }
            None => by_request_id
                .get(&(caller.clone(), call.api, call.entry.request_id.trim()))
                .or_else(|| next.get(&(caller, call.api)))
                .cloned()
                .unwrap_or(Target::Unknown),
        };
        targets.push(chosen);
    }
    targets.reverse();
    targets
}
