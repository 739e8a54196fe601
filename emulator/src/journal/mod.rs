//! The journal: every IRP API call, as the emulator understood it.
//!
//! A record holds both times (wall and virtual), the API, who called (client id, GSTIN,
//! user), the request and response after decryption, the IRP `Status`, error and info
//! codes, the latency and any fault applied. It is what a team reads when a client
//! misbehaves, and what the conformance harness classifies into NIC's report.
//!
//! Secrets never reach it: the credentials extractor captures the login request with its
//! password and AppKey already masked, and the auth answer's `Sek` is masked before the
//! entry is built. Entries are written with the next group commit without holding up the
//! answer, and pruned to the configured retention (count and age).

mod capture;
mod layer;
mod rows;

use std::sync::{
    Arc, Mutex, MutexGuard, PoisonError,
    atomic::{AtomicU64, Ordering},
};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

pub use self::capture::{Capture, MASK, mask_secrets, token_fingerprint};
pub use self::layer::{REQUEST_ID, record};
pub use self::rows::{Filter, MAX_LIMIT};
pub use crate::transcript::JournalBody;
use crate::{
    api::Api,
    store::{Store, StoreError},
};

/// How much journal to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Retention {
    /// Keep at most this many entries (the newest).
    pub max_entries: u64,
    /// Drop entries older than this many days (wall time).
    pub max_age_days: u32,
    /// Keep the newest entries whose payloads (request and response text) add up to at most
    /// this many bytes: what bounds the journal's memory in `--in-memory` mode and its file
    /// otherwise.
    pub max_bytes: u64,
    /// A request or response larger than this (as JSON text) is kept as its first this many
    /// bytes, marked `truncated`.
    pub max_payload_bytes: usize,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            max_entries: 100_000,
            max_age_days: 30,
            max_bytes: 256 * 1024 * 1024,
            max_payload_bytes: 1024 * 1024,
        }
    }
}

impl Retention {
    /// Prune after this many appends: often enough that the count overshoots by at most a
    /// tenth, rarely enough that pruning costs nothing measurable.
    fn interval(self) -> u64 {
        (self.max_entries / 10).clamp(1, 1000)
    }

    /// Prune after this many payload bytes, whatever the count: the byte budget overshoots
    /// by at most a tenth.
    fn byte_interval(self) -> u64 {
        (self.max_bytes / 10).max(1)
    }
}

/// The JSON text `value` is stored as (none for null): its own, or when that is longer than
/// `limit`, `{"truncated": true, "bytes": n, "head": "<its first limit bytes>"}`.
/// Serialised once, here: the same text is measured against the budget and inserted.
fn bounded(value: &Value, limit: usize) -> Option<String> {
    if value.is_null() {
        return None;
    }
    let text = value.to_string();
    if text.len() <= limit {
        return Some(text);
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text.get(..end).unwrap_or_default();
    Some(serde_json::json!({ "truncated": true, "bytes": text.len(), "head": head }).to_string())
}

/// One journal entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the journal (assigned on write).
    #[serde(default)]
    pub id: i64,
    /// The client's `requestid` header, or a generated id.
    pub request_id: String,
    /// When the call arrived (real time, RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub wall_time: OffsetDateTime,
    /// The emulator's clock at arrival (RFC 3339, IST).
    #[serde(with = "time::serde::rfc3339")]
    pub virtual_time: OffsetDateTime,
    /// Which API.
    pub api: Api,
    /// HTTP method.
    pub method: String,
    /// Path and query as received.
    pub path: String,
    /// `client_id` header.
    pub client_id: Option<String>,
    /// `Gstin` header.
    pub gstin: Option<String>,
    /// `user_name` header.
    pub user_name: Option<String>,
    /// HTTP status code.
    pub http_status: u16,
    /// The IRP `Status` (1 or 0), when the answer had one.
    pub status: Option<u8>,
    /// `ErrorDetails[].ErrorCode`.
    pub error_codes: Vec<String>,
    /// `InfoDtls[].InfCd`.
    pub info_codes: Vec<String>,
    /// Time to answer, microseconds.
    pub latency_us: u64,
    /// The fault applied, if any.
    pub fault: Option<String>,
    /// The request after decryption (secrets masked), or null.
    pub request: Value,
    /// The response after decryption (secrets masked), or null.
    pub response: Value,
    /// The `Retry-After` header of the answer, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// The fault generator's seed when the call was served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The IRP the call went to (`nic1` for a single-IRP emulator and older entries).
    #[serde(default)]
    pub irp: String,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Entries waiting for the writer, and whether a job to write them is queued.
type Pending = Arc<Mutex<Vec<(Entry, rows::Payloads)>>>;

/// The journal in the store.
///
/// Appends are batched: an entry joins a list, and only the first entry of an empty list
/// queues a writer job, which takes the whole list when it runs. Under load one wake of
/// the writer and one savepoint then serve every call that arrived meanwhile, instead of one
/// each. Readers call [`Journal::flush`] first, so they still see every call answered.
#[derive(Debug)]
pub struct Journal {
    store: Store,
    retention: Retention,
    appended: AtomicU64,
    /// Payload bytes appended since the last prune.
    bytes: AtomicU64,
    /// Payload bytes held (queued or stored), so the byte budget is enforced by reading the
    /// sizes only when it is exceeded.
    stored: Arc<AtomicU64>,
    pending: Pending,
}

impl Journal {
    /// The journal of `store`.
    pub fn new(store: Store, retention: Retention) -> Result<Self, StoreError> {
        let stored = store.read(rows::stored_bytes)?;
        Ok(Self {
            store,
            retention,
            appended: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            stored: Arc::new(AtomicU64::new(stored)),
            pending: Pending::default(),
        })
    }

    /// Queues `entry` for the next commit, its payloads bounded, pruning now and then.
    pub fn append(&self, mut entry: Entry) {
        let limit = self.retention.max_payload_bytes;
        let payloads = rows::Payloads {
            request: bounded(&std::mem::take(&mut entry.request), limit),
            response: bounded(&std::mem::take(&mut entry.response), limit),
        };
        let size = payloads.bytes();
        self.stored.fetch_add(size, Ordering::Relaxed);
        let by_bytes =
            self.bytes.fetch_add(size, Ordering::Relaxed) + size >= self.retention.byte_interval();
        let by_count = (self.appended.fetch_add(1, Ordering::Relaxed) + 1)
            .is_multiple_of(self.retention.interval());
        let prune = by_count || by_bytes;
        if prune {
            self.bytes.store(0, Ordering::Relaxed);
        }
        let first = {
            let mut pending = lock(&self.pending);
            pending.push((entry, payloads));
            pending.len() == 1
        };
        if first || prune {
            self.queue_write(prune);
        }
    }

    /// Queues a writer job that writes every pending entry (and prunes, if asked).
    fn queue_write(&self, prune: bool) {
        let (pending, stored, retention) =
            (self.pending.clone(), self.stored.clone(), self.retention);
        self.store.write_detached(move |conn| {
            let batch = std::mem::take(&mut *lock(&pending));
            // One entry that cannot be written does not take the rest of the batch along.
            for (entry, payloads) in &batch {
                if let Err(e) = rows::insert(conn, entry, payloads) {
                    tracing::warn!("journal entry {} not written: {e}", entry.request_id);
                }
            }
            if prune {
                let held = stored.load(Ordering::Relaxed);
                let gone = rows::prune(conn, retention, OffsetDateTime::now_utc(), held)?;
                stored.fetch_sub(gone.min(held), Ordering::Relaxed);
            }
            Ok(())
        });
    }

    /// Waits until every entry appended so far is committed.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.store.write(|_| Ok(())).await
    }

    /// Entries matching `filter`, oldest first.
    pub fn query(&self, filter: &Filter) -> Result<Vec<Entry>, StoreError> {
        self.store.read(|conn| rows::query(conn, filter))
    }

    /// Forgets every entry.
    pub async fn clear(&self) -> Result<(), StoreError> {
        let stored = self.stored.clone();
        self.store
            .write(move |conn| {
                rows::clear(conn)?;
                stored.store(0, Ordering::Relaxed);
                Ok(())
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn payloads_over_the_limit_keep_their_head_and_say_so() {
        let small = json!({"a": 1});
        assert_eq!(bounded(&small, 100).as_deref(), Some(r#"{"a":1}"#));
        assert_eq!(bounded(&Value::Null, 100), None);
        let big = json!({"pad": "é".repeat(10_000)});
        let kept: Value = serde_json::from_str(&bounded(&big, 1001).unwrap()).unwrap();
        assert_eq!(kept["truncated"], true);
        assert_eq!(kept["bytes"], 20_010);
        let head = kept["head"].as_str().unwrap();
        assert!(head.len() <= 1001 && head.starts_with(r#"{"pad":"éé"#));
        assert!(kept.to_string().len() < 1200);
    }
}
