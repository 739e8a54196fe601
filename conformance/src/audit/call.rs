//! One journaled call as the auditor sees it: when it arrived (wall and virtual time), when
//! its answer left, and what the client made of that answer.
//!
//! The journal is written in completion order (an entry is appended after its answer), so a
//! slow call can come after its own retry; the auditor sorts calls by arrival instead.

use serde_json::Value;
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

use super::fault::Fault;
use crate::{api::Api, journal::JournalEntry};

/// NIC's "Invalid Token": the client must log in again.
pub(super) const INVALID_TOKEN: &str = "1005";

/// What the client got back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// An answer the client can use (IRP `Status` 1, or HTTP 2xx without a `Status`).
    Success,
    /// IRP `Status` 0 with error codes other than 1005: the IRP decided, retrying the same
    /// request will not change that.
    Rejected,
    /// 1005 Invalid Token: log in, then retry.
    InvalidToken,
    /// HTTP 429.
    Throttled,
    /// HTTP 5xx or 408.
    ServerError,
    /// A reset, cut-off or unparsable answer, or the client gave up waiting.
    Transport,
    /// Another HTTP error (4xx) without an IRP answer.
    HttpError,
}

impl Outcome {
    /// Whether the call failed.
    pub(super) fn failed(self) -> bool {
        self != Outcome::Success
    }

    /// A failure that says nothing about the request itself: the same request may well
    /// succeed later, so it is retried as it was (with a pause).
    pub(super) fn transient(self) -> bool {
        matches!(
            self,
            Outcome::Throttled | Outcome::ServerError | Outcome::Transport
        )
    }
}

/// One call, with the facts every check reads.
#[derive(Debug, Clone)]
pub(super) struct Call<'a> {
    /// The journal entry.
    pub(super) entry: &'a JournalEntry,
    /// The API called.
    pub(super) api: Api,
    /// Arrival, real time (`None` when the journal's time does not parse).
    pub(super) wall: Option<OffsetDateTime>,
    /// Arrival, the emulator's clock.
    pub(super) virtual_time: Option<OffsetDateTime>,
    /// What the client got: [`Call::answer`] unless a connection-level fault kept it from
    /// the client; settled when calls are grouped into attempts (a timeout, a slow body read
    /// in full).
    pub(super) outcome: Outcome,
    /// What the answer said, faults aside.
    pub(super) answer: Outcome,
    /// The injected fault, if any.
    pub(super) fault: Option<Fault>,
    /// The wait the answer asked for, seconds.
    pub(super) retry_after: Option<u64>,
    /// The IRP that answered, lower case; "" unless the journal names several.
    irp: String,
}

impl<'a> Call<'a> {
    /// The call of `entry`, or `None` when the path is no IRP API (its IRP kept).
    #[cfg(test)]
    pub(super) fn read(entry: &'a JournalEntry) -> Option<Self> {
        Self::read_among(entry, true)
    }

    /// The call of `entry`, its IRP kept only when the journal names `several`.
    fn read_among(entry: &'a JournalEntry, several: bool) -> Option<Self> {
        let api = entry.api()?;
        let time = |text: &str| OffsetDateTime::parse(text.trim(), &Rfc3339).ok();
        let fault = entry.fault.as_deref().and_then(Fault::parse);
        let answer = answer(entry);
        Some(Self {
            entry,
            api,
            wall: time(&entry.wall_time),
            virtual_time: time(&entry.virtual_time),
            outcome: match &fault {
                Some(fault) if fault.is_connection_level() => Outcome::Transport,
                _ => answer,
            },
            answer,
            fault,
            retry_after: entry.retry_after_seconds(),
            irp: match (&entry.irp, several) {
                (Some(irp), true) => irp.trim().to_ascii_lowercase(),
                _ => String::new(),
            },
        })
    }

    /// The journal id.
    pub(super) fn id(&self) -> i64 {
        self.entry.id
    }

    /// When the answer left the emulator (arrival plus latency).
    pub(super) fn answered(&self) -> Option<OffsetDateTime> {
        let latency = Duration::microseconds(i64::try_from(self.entry.latency_us).ok()?);
        Some(self.wall? + latency)
    }

    /// Whether `next` (a later attempt at the same thing) arrived before this call was
    /// answered: the client stopped waiting, so for it this call timed out.
    pub(super) fn gave_up_on(&self, next: &Call<'_>) -> bool {
        matches!((self.answered(), next.wall), (Some(answered), Some(arrived)) if arrived < answered)
    }

    /// The pause between this call's failure and `next`: from the answer, or from arrival
    /// when the client gave up waiting (its timeout is then part of the pause).
    pub(super) fn pause_before(&self, next: &Call<'_>) -> Option<Duration> {
        let from = if self.gave_up_on(next) {
            self.wall?
        } else {
            self.answered()?
        };
        Some(next.wall? - from)
    }

    /// Whether a `slow_body` fault dripped the answer out: a patient client reads it all.
    pub(super) fn slow_answer(&self) -> bool {
        self.fault.as_ref().is_some_and(|f| f.action == "slow_body")
    }

    /// The `client_id` header, trimmed ("" when absent).
    pub(super) fn client_id(&self) -> &str {
        self.entry.client_id.as_deref().unwrap_or_default().trim()
    }

    /// The IRP that answered, lower case ("" in a journal of one IRP).
    pub(super) fn irp(&self) -> String {
        self.irp.clone()
    }

    /// The `Gstin` header, upper case ("" when absent).
    pub(super) fn gstin(&self) -> String {
        self.entry
            .gstin
            .as_deref()
            .unwrap_or_default()
            .trim()
            .to_ascii_uppercase()
    }

    /// Whether the answer carried `code` among its error codes.
    pub(super) fn has_error(&self, code: &str) -> bool {
        self.entry.error_codes.iter().any(|c| c.trim() == code)
    }

    /// Whether the answer carried `code` among its info codes.
    pub(super) fn has_info(&self, code: &str) -> bool {
        let code = code.to_ascii_uppercase();
        self.entry
            .info_codes
            .iter()
            .any(|c| c.trim().to_ascii_uppercase() == code)
    }

    /// The request body when it was decrypted (a call a fault answered first has none).
    pub(super) fn request(&self) -> Option<&'a Value> {
        Some(&self.entry.request).filter(|r| r.is_object())
    }
}

/// What an answer says, from its HTTP status, `Status` and codes.
fn answer(entry: &JournalEntry) -> Outcome {
    let http = entry.http_status;
    if http == 0 {
        // The emulator journals no status when a fault kept every answer from the client.
        Outcome::Transport
    } else if http == 429 {
        Outcome::Throttled
    } else if http >= 500 || http == 408 {
        Outcome::ServerError
    } else if entry.error_codes.iter().any(|c| c.trim() == INVALID_TOKEN) {
        Outcome::InvalidToken
    } else if entry.status == Some(0) || !entry.error_codes.is_empty() {
        Outcome::Rejected
    } else if !(200..300).contains(&http) {
        Outcome::HttpError
    } else {
        Outcome::Success
    }
}

/// The calls of `entries` that are IRP API calls, in order of arrival. Journal id breaks
/// ties; a call whose time does not parse keeps its place after the call before it.
pub(super) fn calls<'a>(entries: impl IntoIterator<Item = &'a JournalEntry>) -> Vec<Call<'a>> {
    let entries: Vec<&JournalEntry> = entries.into_iter().collect();
    let several = crate::journal::several_irps(entries.iter().copied());
    let mut calls: Vec<Call<'a>> = entries
        .into_iter()
        .filter_map(|entry| Call::read_among(entry, several))
        .collect();
    calls.sort_by_key(Call::id);
    let mut last = OffsetDateTime::UNIX_EPOCH;
    let mut keyed: Vec<_> = calls
        .into_iter()
        .map(|call| {
            last = call.wall.unwrap_or(last);
            ((last, call.id()), call)
        })
        .collect();
    keyed.sort_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, call)| call).collect()
}

/// A pause in words: `0.25 s`, `3 s`.
pub(super) fn seconds(pause: Duration) -> String {
    let text = format!("{:.2}", pause.as_seconds_f64());
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} s")
}
