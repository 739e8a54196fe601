//! The database schema and its forward migrations.
//!
//! The file says what it is twice: `application_id` marks it as ours, `user_version` is
//! the schema version. Opening runs every migration above the file's version, each in its
//! own transaction, so a file is always at some whole version. A file from a newer emulator,
//! or somebody else's database, is refused rather than "repaired".

use rusqlite::{Connection, OptionalExtension};

use super::{Role, StoreError};

/// `PRAGMA application_id` of every emulator database ("IRPE").
pub const APPLICATION_ID: i32 = 0x4952_5045;

/// Migration `n` (1-based) brings a file from version `n - 1` to `n`.
const MIGRATIONS: &[&str] = &[
    // 1: registry, sessions, taxpayer-master changes, sequences.
    "CREATE TABLE irn (
        irn            TEXT PRIMARY KEY,
        ack_no         INTEGER NOT NULL UNIQUE,
        ack_dt         INTEGER NOT NULL,      -- Unix nanoseconds, UTC
        supplier       TEXT NOT NULL,
        operator       TEXT,
        invoice        TEXT NOT NULL,         -- the canonical invoice, JSON
        signed_invoice TEXT NOT NULL,
        signed_qr      TEXT NOT NULL,
        cancelled_at   INTEGER,
        cancel_reason  TEXT,
        cancel_remark  TEXT
     ) STRICT;
     CREATE TABLE ewb (
        ewb_no       INTEGER PRIMARY KEY,
        irn          TEXT NOT NULL REFERENCES irn(irn),
        generated    INTEGER NOT NULL,
        valid_till   INTEGER,
        distance_km  INTEGER NOT NULL,
        cancelled_at INTEGER
     ) STRICT;
     CREATE INDEX ewb_by_irn ON ewb(irn);
     CREATE TABLE sequence (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
     ) STRICT;
     INSERT INTO sequence (name, value) VALUES ('ack', 0), ('ewb', 0);
     CREATE TABLE session (
        token      TEXT PRIMARY KEY,
        client_id  TEXT NOT NULL,
        user_name  TEXT NOT NULL,
        gstin      TEXT NOT NULL,
        sealed_sek BLOB NOT NULL,             -- AES-256-GCM under the key set's storage key
        expires_at INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE taxpayer_change (
        gstin  TEXT PRIMARY KEY,
        sealed BLOB NOT NULL                  -- the TaxpayerInput JSON, sealed (it holds passwords)
     ) STRICT;",
    // 2: the journal of API calls.
    "CREATE TABLE journal (
        id           INTEGER PRIMARY KEY,
        request_id   TEXT NOT NULL,
        wall_time    INTEGER NOT NULL,        -- Unix nanoseconds, UTC
        virtual_time INTEGER NOT NULL,
        api          TEXT NOT NULL,
        method       TEXT NOT NULL,
        path         TEXT NOT NULL,
        client_id    TEXT,
        gstin        TEXT,
        user_name    TEXT,
        http_status  INTEGER NOT NULL,
        status       INTEGER,
        error_codes  TEXT NOT NULL,           -- comma-separated
        info_codes   TEXT NOT NULL,
        latency_us   INTEGER NOT NULL,
        fault        TEXT,
        request      TEXT,                    -- JSON after decryption, secrets masked
        response     TEXT
     ) STRICT;
     CREATE INDEX journal_by_wall_time ON journal(wall_time);
     CREATE INDEX journal_by_gstin ON journal(gstin, id);
     CREATE INDEX journal_by_request ON journal(request_id);",
    // 3: no AuthToken in clear. Session rows are keyed by the token's SHA-256 and seal the
    // token with the SEK (old rows are rewritten by the emulator at start, since sealing
    // needs the key set); tokens already in the journal are masked.
    "ALTER TABLE session RENAME COLUMN token TO token_digest;
     ALTER TABLE session RENAME COLUMN sealed_sek TO sealed;
     UPDATE journal SET response = json_set(response, '$.Data.AuthToken', '***')
      WHERE json_valid(response) AND json_type(response, '$.Data.AuthToken') = 'text';",
    // 4: what a retry auditor needs: the Retry-After sent, and the fault generator's seed.
    "ALTER TABLE journal ADD COLUMN retry_after INTEGER;
     ALTER TABLE journal ADD COLUMN seed INTEGER;",
    // 5: each entry's payload size, so the byte budget is kept without reading payloads.
    "ALTER TABLE journal ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
     UPDATE journal SET bytes = coalesce(length(CAST(request AS BLOB)), 0)
                              + coalesce(length(CAST(response AS BLOB)), 0);
     CREATE INDEX journal_bytes ON journal(id, bytes);",
    // 6: several IRPs in one process. Every registration, session and journal entry names
    // its IRP (rows from before are NIC-1's: a single-IRP emulator is `nic1`), and the
    // documents that cross-IRP de-duplication refused are kept for "Get rejected IRNs".
    "ALTER TABLE irn ADD COLUMN irp TEXT NOT NULL DEFAULT 'nic1';
     ALTER TABLE session ADD COLUMN irp TEXT NOT NULL DEFAULT 'nic1';
     ALTER TABLE journal ADD COLUMN irp TEXT NOT NULL DEFAULT 'nic1';
     CREATE INDEX journal_by_irp ON journal(irp, id);
     CREATE TABLE rejected (
        id          INTEGER PRIMARY KEY,
        irp         TEXT NOT NULL,            -- the IRP that refused the document
        supplier    TEXT NOT NULL,
        irn         TEXT NOT NULL,
        doc_type    TEXT NOT NULL,
        doc_no      TEXT NOT NULL,
        doc_date    TEXT NOT NULL,            -- dd/MM/yyyy as sent
        held_irp    TEXT NOT NULL,            -- the IRP that holds the registration
        ack_no      INTEGER NOT NULL,         -- the holding registration's
        rejected_at INTEGER NOT NULL          -- Unix nanoseconds, UTC (virtual time)
     ) STRICT;
     CREATE INDEX rejected_by_supplier ON rejected(irp, supplier, rejected_at);",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Per-connection settings for `role`; only the writer's touch the file.
pub(super) fn configure(conn: &Connection, file: bool, role: Role) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Room for every statement a connection runs (rusqlite keeps 16 by default, fewer than
    // the writer's), so none is evicted and compiled again.
    conn.set_prepared_statement_cache_capacity(64);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if file && role == Role::Writer {
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!("journal_mode is {mode}, not WAL");
        }
    }
    if role == Role::Reader {
        conn.pragma_update(None, "query_only", "ON")?;
    }
    Ok(())
}

/// Checks that the file at `path` is ours and not from the future, then migrates it.
pub(super) fn prepare(conn: &mut Connection, path: &str) -> Result<u32, StoreError> {
    let classify = |e| StoreError::open(path, e);
    let app: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(classify)?;
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(classify)?;
    if app != APPLICATION_ID {
        let has_tables = conn
            .query_row("SELECT 1 FROM sqlite_master LIMIT 1", [], |_| Ok(()))
            .optional()
            .map_err(classify)?
            .is_some();
        if app != 0 || version != 0 || has_tables {
            return Err(StoreError::Foreign {
                path: path.to_owned(),
                found: app,
            });
        }
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(classify)?;
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let to = index + 1;
        let tx = conn.transaction().map_err(classify)?;
        tx.execute_batch(sql).map_err(classify)?;
        tx.pragma_update(None, "user_version", to as i64)
            .map_err(classify)?;
        tx.commit().map_err(classify)?;
        if version > 0 {
            tracing::info!("{path}: migrated schema to version {to}");
        }
    }
    Ok(SCHEMA_VERSION)
}

/// The version of an open database (for `state import` and tests).
pub(super) fn version_of(conn: &Connection) -> rusqlite::Result<(i32, u32)> {
    Ok((
        conn.pragma_query_value(None, "application_id", |r| r.get(0))?,
        conn.pragma_query_value(None, "user_version", |r| r.get(0))?,
    ))
}
