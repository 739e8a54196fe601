//! Whether a database file is whole, checked before anything is written to it.
//!
//! Two passes, both through SQLite (so a WAL left by a crash is part of what is checked):
//!
//! 1. `PRAGMA integrity_check`: every b-tree page parses, cells and overflow chains are
//!    consistent, no page is used twice or lost, the freelist adds up, and every index
//!    holds exactly its table's rows. A zeroed b-tree page, interior or leaf, or a zeroed
//!    page in the middle of an overflow chain fails here. The index cross-check is what
//!    `quick_check` leaves out; it matters because a stale WAL can pair a table page with an
//!    index page of another moment, and the IRN's uniqueness is the index. It costs about
//!    twice `quick_check`, a fraction of a second at 100,000 registrations (README).
//! 2. No machine-made text holds a NUL byte. SQLite keeps no page checksums, so a zeroed
//!    page at the *end* of an overflow chain (the tail of a long value: a signed invoice, a
//!    journal entry) still parses. The columns in [`MACHINE_MADE`] hold JSON the emulator
//!    serialised, base64, hex or a checked code, never a NUL, so a NUL in one is damage.
//!    Free text a client chose (a cancel remark, a user name) may hold a NUL and is not
//!    scanned: otherwise a client could make the next start refuse the file. Run only on
//!    our own files: another application's text may hold anything.
//!
//! Freelist leaf pages hold nothing, so damage to one does not matter and is not looked for.

use rusqlite::Connection;

use super::{APPLICATION_ID, StoreError};

/// `(table, column)` of every text the emulator makes itself (a column missing from an older
/// schema is skipped). Every long value ends in one of them: a registration with its signed
/// QR or cancel reason, a journal entry with its response.
const MACHINE_MADE: &[(&str, &[&str])] = &[
    (
        "irn",
        &[
            "irn",
            "supplier",
            "operator",
            "invoice",
            "signed_invoice",
            "signed_qr",
            "cancel_reason",
        ],
    ),
    ("ewb", &["irn"]),
    ("session", &["token_digest", "gstin"]),
    ("taxpayer_change", &["gstin"]),
    (
        "journal",
        &[
            "api",
            "method",
            "error_codes",
            "info_codes",
            "request",
            "response",
        ],
    ),
];

/// How many of `integrity_check`'s findings go into the message.
const REPORTED: usize = 3;

/// Refuses a damaged file; `path` names it in the message.
pub(super) fn check(conn: &Connection, path: &str) -> Result<(), StoreError> {
    let classify = |e| StoreError::open(path, e);
    let findings = integrity_check(conn).map_err(classify)?;
    if findings.first().is_some_and(|f| f != "ok") {
        return Err(damaged(path, &findings));
    }
    let app: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(classify)?;
    if app == APPLICATION_ID {
        let nuls = text_with_nul(conn).map_err(classify)?;
        if !nuls.is_empty() {
            return Err(damaged(path, &nuls));
        }
    }
    Ok(())
}

fn damaged(path: &str, findings: &[String]) -> StoreError {
    let mut reason = findings
        .iter()
        .take(REPORTED)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("; ");
    if findings.len() > REPORTED {
        reason.push_str(&format!("; and {} more", findings.len() - REPORTED));
    }
    StoreError::Corrupt {
        path: path.to_owned(),
        reason: format!("integrity check failed: {reason}"),
    }
}

/// `PRAGMA integrity_check`'s rows: `["ok"]` for a whole file.
fn integrity_check(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare("PRAGMA integrity_check(100)")?;
    let rows = statement.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// `table.column` of every machine-made text column holding a NUL byte.
fn text_with_nul(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut found = Vec::new();
    for (table, wanted) in MACHINE_MADE {
        let present: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1)")?
            .query_map([table], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let columns: Vec<&str> = wanted
            .iter()
            .copied()
            .filter(|c| present.iter().any(|p| p == c))
            .collect();
        if columns.is_empty() {
            continue;
        }
        // One pass over the table: which of its columns hold a NUL anywhere.
        let probes = columns
            .iter()
            .map(|c| format!("max(instr(CAST({} AS BLOB), x'00') > 0)", quoted(c)))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT {probes} FROM {}", quoted(table));
        let hits: Vec<Option<bool>> =
            conn.query_row(&sql, [], |r| (0..columns.len()).map(|i| r.get(i)).collect())?;
        for (column, hit) in columns.iter().zip(hits) {
            if hit == Some(true) {
                found.push(format!("{table}.{column} holds a NUL byte (a zeroed page)"));
            }
        }
    }
    Ok(found)
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
