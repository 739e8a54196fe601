//! The record of a clean stop, so the next start can skip re-reading a file nobody touched.
//!
//! The start-up checks (the integrity check of every page, the scan for the highest stored
//! numbers) read the whole database: fine at thousands of registrations, tens of seconds at
//! millions. They look for what a crash, a stale WAL or a damaged disk leaves behind. After
//! a clean stop none of that can have happened to the file we closed; only something done to
//! it since could. So when the writer's connection has closed (the WAL checkpointed and
//! removed), the file's size and modification time are written to `irp-emulator.clean`.
//! The next start takes that record away before anything else and trusts the file only if
//! it is still exactly that size and time and no WAL sits beside it; otherwise (a crash, a
//! copy, a repair, a stray write) every check runs as before. Removing the record first
//! means a crash during this run leaves no record behind. A write right after the stop
//! could land in the same tick of the file system's coarse clock and keep the recorded
//! time, so the stop waits out one tick ([`SETTLE`]) after recording: file systems with
//! nanosecond timestamps (ext4, XFS, Btrfs, tmpfs, APFS) tick every few milliseconds.

use std::{
    path::{Path, PathBuf},
    time::UNIX_EPOCH,
};

/// The record inside a data directory.
pub const CLEAN_FILE: &str = "irp-emulator.clean";

/// Longer than one tick of the kernel's coarse clock, which stamps modification times.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(25);

/// What identifies the file as it was closed: its size and its modification time.
fn fingerprint(db: &Path) -> Option<String> {
    let meta = std::fs::metadata(db).ok()?;
    let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(format!(
        "irp-emulator clean stop\nsize {}\nmtime_ns {}\n",
        meta.len(),
        mtime.as_nanos()
    ))
}

fn wal(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

fn record_path(db: &Path) -> Option<PathBuf> {
    Some(db.parent()?.join(CLEAN_FILE))
}

/// Takes the record of the last stop away: `true` if it says the database at `db` was
/// closed cleanly and has not changed since.
pub(super) fn take(db: &Path) -> bool {
    let Some(path) = record_path(db) else {
        return false;
    };
    let recorded = std::fs::read_to_string(&path).ok();
    if recorded.is_none() {
        return false;
    }
    if let Err(e) = std::fs::remove_file(&path) {
        // A record that cannot be removed could vouch for a later, unclean stop.
        tracing::warn!("{}: {e}; checking the whole file", path.display());
        return false;
    }
    !wal(db).exists() && recorded == fingerprint(db)
}

/// Records that the database at `db` was closed cleanly just now (its WAL gone). Called
/// once its last connection has closed; a failure only costs the next start its checks.
pub(super) fn record(db: &Path) {
    if wal(db).exists() {
        return;
    }
    let (Some(path), Some(text)) = (record_path(db), fingerprint(db)) else {
        return;
    };
    match std::fs::write(&path, text) {
        Ok(()) => std::thread::sleep(SETTLE),
        Err(e) => tracing::warn!("{}: {e}", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_vouches_once_and_only_for_the_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db.sqlite");
        std::fs::write(&db, b"closed").unwrap();
        assert!(!take(&db), "no record, no trust");

        record(&db);
        assert!(take(&db));
        assert!(!take(&db), "a record is taken by the start that reads it");

        record(&db);
        std::fs::write(&db, b"changed").unwrap();
        assert!(!take(&db), "the file changed after the stop");

        record(&db);
        std::fs::write(wal(&db), b"").unwrap();
        assert!(!take(&db), "a WAL beside the file");
        std::fs::remove_file(wal(&db)).unwrap();

        record(&db);
        std::fs::write(&db, b"closeD").unwrap();
        let stamp = std::fs::File::options().write(true).open(&db).unwrap();
        stamp
            .set_modified(std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(7))
            .unwrap();
        assert!(!take(&db), "same size, another time");
    }
}
