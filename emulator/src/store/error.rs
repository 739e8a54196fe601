//! Why the store could not do something, phrased for the person starting the emulator.

use std::path::PathBuf;

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is not a SQLite database, or is damaged.
    #[error(
        "{path}: not a readable emulator database ({reason}); move it away or pass another --data-dir"
    )]
    Corrupt {
        /// The file.
        path: String,
        /// SQLite's words.
        reason: String,
    },
    /// A SQLite database, but not one of ours.
    #[error(
        "{path}: a SQLite database of another application (application_id {found:#x}); refusing to touch it"
    )]
    Foreign {
        /// The file.
        path: String,
        /// Its `application_id`.
        found: i32,
    },
    /// Written by a newer emulator.
    #[error(
        "{path}: schema version {found} is newer than this emulator's {supported}; upgrade irp-emulator"
    )]
    TooNew {
        /// The file.
        path: String,
        /// Its version.
        found: u32,
        /// Ours.
        supported: u32,
    },
    /// Another emulator holds the data directory.
    #[error("{0}: in use by another irp-emulator process")]
    Locked(PathBuf),
    /// Sealed data could not be opened with this key set.
    #[error(
        "sealed state cannot be opened with this key set; start with the key set that wrote it"
    )]
    Unseal,
    /// The sequence marks file does not read back.
    #[error(
        "{0}: not a sequence marks file; restore it from a copy (deleting it lets AckNo and EwbNo numbers lost with a WAL be issued again)"
    )]
    Marks(PathBuf),
    /// A file-system error.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The writer thread is gone (shutting down).
    #[error("the state writer has stopped")]
    Closed,
    /// A stored row does not read back.
    #[error("stored state is damaged: {0}")]
    Damaged(String),
    /// The group transaction failed; nothing of it was written.
    #[error("commit failed: {0}")]
    Commit(String),
    /// Any other SQLite error.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// Classifies an error met while opening `path`.
    pub(super) fn open(path: &str, error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match error.sqlite_error_code() {
            Some(C::NotADatabase | C::DatabaseCorrupt) => Self::Corrupt {
                path: path.to_owned(),
                reason: error.to_string(),
            },
            _ => Self::Sqlite(error),
        }
    }

    pub(super) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
