//! One journal entry as the harness reads it: the emulator's record of one call.
//!
//! The harness keeps its own copy of the shape (only the fields it reads, unknown ones
//! ignored) instead of importing the emulator's type, so a journal written by another
//! version of the emulator, or edited by hand, still reads.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::Api;

/// One call as the emulator journaled it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Position in the journal (0 when absent).
    #[serde(default)]
    pub id: i64,
    /// The client's `requestid` header, or an id the emulator made.
    #[serde(default)]
    pub request_id: String,
    /// When the call arrived, real time (RFC 3339).
    #[serde(default)]
    pub wall_time: String,
    /// The emulator's clock at arrival (RFC 3339).
    #[serde(default)]
    pub virtual_time: String,
    /// The API's snake-case name (`generate_irn`), or `unknown`.
    pub api: String,
    /// HTTP method.
    #[serde(default)]
    pub method: String,
    /// Path and query as received.
    #[serde(default)]
    pub path: String,
    /// `client_id` header.
    #[serde(default)]
    pub client_id: Option<String>,
    /// `Gstin` header.
    #[serde(default)]
    pub gstin: Option<String>,
    /// `user_name` header.
    #[serde(default)]
    pub user_name: Option<String>,
    /// HTTP status of the answer.
    pub http_status: u16,
    /// The IRP `Status` (1 or 0), when the answer had one.
    #[serde(default)]
    pub status: Option<u8>,
    /// `ErrorDetails[].ErrorCode` (or the e-way bill system's `errorCodes`).
    #[serde(default)]
    pub error_codes: Vec<String>,
    /// `InfoDtls[].InfCd`.
    #[serde(default)]
    pub info_codes: Vec<String>,
    /// Time to answer, microseconds.
    #[serde(default)]
    pub latency_us: u64,
    /// The fault the emulator applied, if any.
    #[serde(default)]
    pub fault: Option<String>,
    /// The `Retry-After` header the emulator sent, in seconds (journals written before the
    /// emulator recorded it lack the field; see [`JournalEntry::retry_after_seconds`]).
    #[serde(default)]
    pub retry_after: Option<u64>,
    /// The request after decryption (secrets masked), or null.
    #[serde(default)]
    pub request: Value,
    /// The answer with its data decrypted, or null.
    #[serde(default)]
    pub response: Value,
    /// Base URL of the real IRP the call went to, set by a recording proxy on each entry it
    /// journals; the emulator never sets it. A journal with it on every entry is evidence
    /// from a real IRP, any other journal a rehearsal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<String>,
    /// The IRP that answered (`nic1`, `nic2`, …), set by an emulator serving several IRPs;
    /// absent from single-IRP journals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub irp: Option<String>,
}

impl JournalEntry {
    /// The API called, or `None` for a path that is no IRP API.
    pub fn api(&self) -> Option<Api> {
        Api::parse(&self.api)
    }

    /// How long the answer told the client to wait, in seconds: the journaled `Retry-After`,
    /// else the `retry_after` of a 429 body (`{"status":429,…,"retry_after":N}`).
    pub fn retry_after_seconds(&self) -> Option<u64> {
        self.retry_after.or_else(|| {
            let field = self.response.get("retry_after")?;
            field
                .as_u64()
                .or_else(|| field.as_str()?.trim().parse().ok())
        })
    }

    /// The decrypted `Data` of the answer (`data` for the e-way bill system's envelope).
    pub(crate) fn data(&self) -> &Value {
        match self.response.get("Data") {
            Some(data) => data,
            None => self.response.get("data").unwrap_or(&Value::Null),
        }
    }

    /// The last path segment, without the query (the GSTIN or IRN of a GET).
    pub(crate) fn path_tail(&self) -> &str {
        let path = self.path.split(['?', '#']).next().unwrap_or_default();
        path.trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
    }

    /// The message the answer gave for the `nth` (from 0) error with `code`, if any: when
    /// two errors share a code, each keeps its own message.
    pub(super) fn message_of(&self, code: &str, nth: usize) -> Option<&str> {
        self.response
            .get("ErrorDetails")?
            .as_array()?
            .iter()
            .filter(|detail| text(detail.get("ErrorCode")).as_deref() == Some(code))
            .nth(nth)?
            .get("ErrorMessage")?
            .as_str()
    }
}

/// A JSON string or number as text (NIC sends `"1"` and `1` alike), trimmed.
pub(crate) fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A `Y`/`N` (or boolean) flag.
pub(super) fn flag(value: Option<&Value>) -> bool {
    text(value).is_some_and(|t| t.eq_ignore_ascii_case("y") || t.eq_ignore_ascii_case("true"))
}

/// A non-empty text field.
pub(super) fn filled(value: Option<&Value>) -> bool {
    text(value).is_some_and(|t| !t.is_empty())
}
