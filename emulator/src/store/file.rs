//! The data directory: its lock, and whole-file export and import.
//!
//! One emulator per data directory: the running process holds an exclusive lock on
//! `<dir>/lock`, so a second server, or an import, fails with a clear message instead of
//! two writers sharing a file. Export is `VACUUM INTO`, a consistent copy even while a
//! server is writing. Import checks (ours, not newer, whole) and migrates a copy first, then
//! swaps it in whole.

use std::{
    fs::File,
    path::{Path, PathBuf},
};

use rusqlite::{Connection, OpenFlags};

use super::{APPLICATION_ID, SCHEMA_VERSION, StoreError, integrity, schema};

/// The database file inside a data directory.
pub const DB_FILE: &str = "irp-emulator.sqlite";
const LOCK_FILE: &str = "lock";

/// The held lock of a data directory.
#[derive(Debug)]
pub(super) struct DirLock {
    _file: File,
}

impl DirLock {
    pub(super) fn acquire(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        let path = dir.join(LOCK_FILE);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Locked(dir.to_path_buf())),
            Err(std::fs::TryLockError::Error(e)) => Err(StoreError::io(&path, e)),
        }
    }
}

/// Copies the state of the data directory `dir` to `out` (a SQLite file), while a server
/// may be running on it.
pub fn export(dir: &Path, out: &Path) -> Result<(), StoreError> {
    let db = dir.join(DB_FILE);
    if !db.exists() {
        return Err(StoreError::io(&db, std::io::ErrorKind::NotFound.into()));
    }
    let conn = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| StoreError::open(&db.display().to_string(), e))?;
    check_ours(&conn, &db)?;
    if out.exists() {
        std::fs::remove_file(out).map_err(|e| StoreError::io(out, e))?;
    }
    conn.execute("VACUUM INTO ?1", [out.to_string_lossy()])
        .map_err(|e| StoreError::open(&db.display().to_string(), e))?;
    Ok(())
}

/// Replaces the state of the data directory `dir` with the exported file `input`
/// (migrated forward if it is older). Refused while a server holds the directory.
pub fn import(dir: &Path, input: &Path) -> Result<u32, StoreError> {
    let _lock = DirLock::acquire(dir)?;
    let staged: PathBuf = dir.join(format!("{DB_FILE}.importing"));
    std::fs::copy(input, &staged).map_err(|e| StoreError::io(input, e))?;
    let version = (|| {
        let mut conn = Connection::open(&staged)
            .map_err(|e| StoreError::open(&input.display().to_string(), e))?;
        integrity::check(&conn, &input.display().to_string())?;
        check_ours(&conn, input)?;
        let version = schema::prepare(&mut conn, &input.display().to_string())?;
        conn.execute_batch("PRAGMA journal_mode = DELETE")?;
        Ok(version)
    })();
    if let Err(e) = version {
        let _ = std::fs::remove_file(&staged);
        return Err(e);
    }
    let db = dir.join(DB_FILE);
    // A clean-stop record vouches for the file it replaces, never for the imported one.
    let record = dir.join(super::CLEAN_FILE);
    if record.exists() {
        std::fs::remove_file(&record).map_err(|e| StoreError::io(&record, e))?;
    }
    for suffix in ["-wal", "-shm"] {
        let side = dir.join(format!("{DB_FILE}{suffix}"));
        if side.exists() {
            std::fs::remove_file(&side).map_err(|e| StoreError::io(&side, e))?;
        }
    }
    std::fs::rename(&staged, &db).map_err(|e| StoreError::io(&db, e))?;
    version
}

/// Refuses anything but an emulator database (an empty file is not one either).
fn check_ours(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let name = path.display().to_string();
    let (app, version) = schema::version_of(conn).map_err(|e| StoreError::open(&name, e))?;
    if app != APPLICATION_ID {
        return Err(StoreError::Foreign {
            path: name,
            found: app,
        });
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: name,
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}
