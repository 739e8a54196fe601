//! The proxy's journal: every call it relayed, in the emulator's journal format, kept in
//! memory for `/__emulator__/journal` and appended to `--journal-out` as JSON Lines.
//!
//! Entries are the harness's own [`JournalEntry`] (what `report --journal` reads), each
//! with `upstream` set, so a journal of a real IRP is evidence and one of a loopback
//! upstream a rehearsal. Memory is bounded the way the emulator bounds its journal: at
//! most [`Limits::max_entries`] entries (100,000) whose payloads add up to at most
//! [`Limits::max_bytes`] (256 MiB), the oldest dropped first; a request or answer longer
//! than [`Limits::max_payload`] (1 MiB of JSON text) is kept as its head, marked
//! `truncated`. The file is never pruned (every entry stays, payloads bounded the same
//! way): it is the full record. Ids continue after the highest one already in the file,
//! so a file appended to by several runs keeps them unique.

use std::{
    collections::VecDeque,
    fs::File,
    io::{BufRead, BufReader, Write},
    path::Path,
    sync::{Arc, Mutex, PoisonError},
};

use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::journal::JournalEntry;

/// How much journal is kept in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The newest this many entries.
    pub max_entries: usize,
    /// Whose request and response JSON add up to at most this many bytes.
    pub max_bytes: u64,
    /// A request or response longer than this (JSON text) keeps only its head.
    pub max_payload: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_entries: 100_000,
            max_bytes: 256 * 1024 * 1024,
            max_payload: 1024 * 1024,
        }
    }
}

/// One kept entry, with what filtering and pruning need.
struct Kept {
    entry: Arc<JournalEntry>,
    wall: OffsetDateTime,
    size: u64,
}

#[derive(Default)]
struct Book {
    kept: VecDeque<Kept>,
    bytes: u64,
    last_id: i64,
}

/// Which entries to read (the emulator journal's filters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// At or after this wall time.
    pub since: Option<OffsetDateTime>,
    /// After this id (paging).
    pub after_id: Option<i64>,
    /// This API (`generate_irn`).
    pub api: Option<String>,
    /// This `Gstin` header (any case).
    pub gstin: Option<String>,
    /// This IRP `Status`.
    pub status: Option<u8>,
    /// This request id.
    pub request_id: Option<String>,
    /// At most this many; without `since`/`after_id` the newest ones. `None`: all.
    pub limit: Option<usize>,
}

impl Filter {
    fn keeps(&self, kept: &Kept) -> bool {
        let e = &kept.entry;
        self.since.is_none_or(|since| kept.wall >= since)
            && self.after_id.is_none_or(|id| e.id > id)
            && self.api.as_ref().is_none_or(|api| e.api == *api)
            && self.gstin.as_ref().is_none_or(|g| {
                e.gstin
                    .as_ref()
                    .is_some_and(|mine| mine.eq_ignore_ascii_case(g))
            })
            && self.status.is_none_or(|s| e.status == Some(s))
            && self
                .request_id
                .as_ref()
                .is_none_or(|id| e.request_id == *id)
    }
}

/// The journal.
pub struct Journal {
    limits: Limits,
    book: Mutex<Book>,
    /// `--journal-out`; locked before the book so lines land in id order.
    file: Option<Mutex<File>>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// `value`, or when its JSON text is longer than `limit`, `{"truncated": true, "bytes": n,
/// "head": "<its first limit bytes>"}` (the emulator's form); and the length kept.
fn bounded(value: Value, limit: usize) -> (Value, u64) {
    if value.is_null() {
        return (value, 0);
    }
    let text = value.to_string();
    if text.len() <= limit {
        return (value, text.len() as u64);
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let kept = json!({ "truncated": true, "bytes": text.len(), "head": text.get(..end) });
    let size = kept.to_string().len() as u64;
    (kept, size)
}

/// The highest `id` in the JSON Lines file at `path` (0 when none; unreadable lines skipped).
fn last_id_in(path: &Path) -> std::io::Result<i64> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut last = 0;
    for line in BufReader::new(file).lines() {
        if let Ok(entry) = serde_json::from_str::<JournalEntry>(&line?) {
            last = last.max(entry.id);
        }
    }
    Ok(last)
}

impl Journal {
    /// A journal with `limits`, appending to `out` (created if needed) when given.
    pub fn open(out: Option<&Path>, limits: Limits) -> std::io::Result<Self> {
        let (file, last_id) = match out {
            None => (None, 0),
            Some(path) => {
                let last_id = last_id_in(path)?;
                let file = File::options().create(true).append(true).open(path)?;
                (Some(Mutex::new(file)), last_id)
            }
        };
        Ok(Self {
            limits,
            book: Mutex::new(Book {
                last_id,
                ..Book::default()
            }),
            file,
        })
    }

    /// How much it keeps in memory.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    fn book(&self) -> std::sync::MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records `entry` (its id assigned, its payloads bounded), dropping the oldest entries
    /// beyond the limits, and appends it to the file. A failed write is reported on stderr
    /// and does not stop the proxy: the ERP's call has already been answered.
    pub fn append(&self, mut entry: JournalEntry, wall: OffsetDateTime) {
        let (request, request_size) =
            bounded(std::mem::take(&mut entry.request), self.limits.max_payload);
        let (response, response_size) =
            bounded(std::mem::take(&mut entry.response), self.limits.max_payload);
        entry.request = request;
        entry.response = response;
        let size = request_size + response_size;
        let mut file = self
            .file
            .as_ref()
            .map(|f| f.lock().unwrap_or_else(PoisonError::into_inner));
        let entry = {
            let mut book = self.book();
            book.last_id += 1;
            entry.id = book.last_id;
            let entry = Arc::new(entry);
            book.kept.push_back(Kept {
                entry: entry.clone(),
                wall,
                size,
            });
            book.bytes += size;
            while book.kept.len() > self.limits.max_entries
                || (book.bytes > self.limits.max_bytes && book.kept.len() > 1)
            {
                if let Some(old) = book.kept.pop_front() {
                    book.bytes -= old.size;
                }
            }
            entry
        };
        if let Some(file) = file.as_mut() {
            let mut line = serde_json::to_vec(&*entry).unwrap_or_default();
            line.push(b'\n');
            if let Err(e) = file.write_all(&line) {
                super::warn(&format!(
                    "--journal-out: entry {} not written: {e}",
                    entry.id
                ));
            }
        }
    }

    /// The entries `filter` keeps, oldest first.
    pub fn query(&self, filter: &Filter) -> Vec<Arc<JournalEntry>> {
        let book = self.book();
        let matching = book.kept.iter().filter(|k| filter.keeps(k));
        let limit = filter.limit.unwrap_or(usize::MAX);
        if filter.since.is_some() || filter.after_id.is_some() {
            matching.take(limit).map(|k| k.entry.clone()).collect()
        } else {
            let mut newest: Vec<_> = matching
                .rev()
                .take(limit)
                .map(|k| k.entry.clone())
                .collect();
            newest.reverse();
            newest
        }
    }

    /// Forgets every entry in memory (the file keeps them).
    pub fn clear(&self) {
        let mut book = self.book();
        book.kept.clear();
        book.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(api: &str, request: Value) -> JournalEntry {
        JournalEntry {
            api: api.to_owned(),
            http_status: 200,
            request,
            upstream: Some("https://irp.test".to_owned()),
            ..JournalEntry::default()
        }
    }

    fn ids(entries: &[Arc<JournalEntry>]) -> Vec<i64> {
        entries.iter().map(|e| e.id).collect()
    }

    #[test]
    fn the_oldest_go_first_by_count_and_by_bytes() {
        let limits = Limits {
            max_entries: 3,
            max_bytes: 200,
            max_payload: 40,
        };
        let journal = Journal::open(None, limits).unwrap();
        let now = OffsetDateTime::now_utc();
        for _ in 0..5 {
            journal.append(entry("auth", json!({"a": 1})), now);
        }
        assert_eq!(ids(&journal.query(&Filter::default())), [3, 4, 5]);
        // A payload over 40 bytes keeps its head (84 bytes kept); three overflow 200 bytes.
        for _ in 0..3 {
            journal.append(entry("auth", json!({"pad": "x".repeat(100)})), now);
        }
        let kept = journal.query(&Filter::default());
        assert_eq!(ids(&kept), [7, 8]);
        assert_eq!(kept[0].request["truncated"], true);
        assert_eq!(kept[0].request["bytes"], 110);
    }

    #[test]
    fn filters_and_paging_read_like_the_emulator_journal() {
        let journal = Journal::open(None, Limits::default()).unwrap();
        let start = OffsetDateTime::now_utc();
        for n in 0..6_i64 {
            let mut e = entry(if n % 2 == 0 { "auth" } else { "get_irn" }, Value::Null);
            e.gstin = Some("29AAACL1111A1ZD".to_owned());
            e.status = Some(u8::from(n < 3));
            e.request_id = format!("r{n}");
            journal.append(e, start + time::Duration::seconds(n));
        }
        let read = |filter: Filter| ids(&journal.query(&filter));
        assert_eq!(read(Filter::default()), [1, 2, 3, 4, 5, 6]);
        let limit = |n| Filter {
            limit: Some(n),
            ..Filter::default()
        };
        assert_eq!(read(limit(2)), [5, 6]);
        let after = Filter {
            after_id: Some(2),
            ..limit(2)
        };
        assert_eq!(read(after), [3, 4]);
        let since = Filter {
            since: Some(start + time::Duration::seconds(4)),
            ..Filter::default()
        };
        assert_eq!(read(since), [5, 6]);
        let api = Filter {
            api: Some("get_irn".to_owned()),
            status: Some(0),
            gstin: Some("29aaacl1111a1zd".to_owned()),
            ..Filter::default()
        };
        assert_eq!(read(api), [4, 6]);
        let id = Filter {
            request_id: Some("r3".to_owned()),
            ..Filter::default()
        };
        assert_eq!(read(id), [4]);
        journal.clear();
        assert!(journal.query(&Filter::default()).is_empty());
    }

    #[test]
    fn the_file_gets_every_line_and_ids_continue_across_runs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("proxy.jsonl");
        let now = OffsetDateTime::now_utc();
        for _ in 0..2 {
            let journal = Journal::open(Some(&path), Limits::default()).unwrap();
            journal.append(entry("auth", Value::Null), now);
            journal.append(entry("generate_irn", json!({"x": 1})), now);
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let entries = crate::journal::parse(&text, "proxy.jsonl").unwrap();
        let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
        assert_eq!(ids, [1, 2, 3, 4]);
        assert!(
            entries
                .iter()
                .all(|e| e.upstream.as_deref() == Some("https://irp.test"))
        );
    }
}
