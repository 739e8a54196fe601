//! Durable state: one SQLite database behind the registry, the sessions, the taxpayer
//! master's changes and the journal.
//!
//! SQLite (bundled, WAL) because the state is small, relational and must survive `kill -9`
//! with nothing to operate: one file a team can copy, inspect with `sqlite3`, and share.
//! Every write goes through one writer thread that commits in groups: whatever is queued
//! when a transaction starts joins it, each job inside its own savepoint so one failure does
//! not sink its neighbours, and a caller hears back only after `COMMIT` returned. Reads use a
//! small pool of connections that see committed data only, so nothing is visible (and
//! nothing can be acknowledged) before it is durable.
//!
//! `--in-memory` runs the same code over SQLite's `memdb` VFS: same SQL, nothing on disk.

mod clean_stop;
mod error;
mod file;
mod integrity;
mod marks;
mod readers;
mod schema;
mod seal;
mod writer;

use std::{path::PathBuf, sync::Arc};

use rusqlite::{Connection, config::DbConfig};

pub use self::clean_stop::CLEAN_FILE;
pub use self::error::StoreError;
pub use self::file::{DB_FILE, export, import};
pub use self::marks::{MARKS_FILE, Sequence, SequenceMarks};
pub use self::schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use self::seal::Sealer;
pub use self::writer::Synchronous;
use self::{readers::Readers, writer::Writer};

/// A time as stored: Unix nanoseconds, UTC, so it reads back identical.
pub fn to_nanos(at: time::OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

/// A stored time.
pub fn from_nanos(nanos: i64) -> Result<time::OffsetDateTime, time::error::ComponentRange> {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos))
}

/// Where the state lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A data directory holding the database file (created if missing).
    Dir(PathBuf),
    /// Process memory: gone when the emulator stops.
    Memory,
}

/// Tuning of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// `PRAGMA synchronous` of the writer.
    pub synchronous: Synchronous,
    /// The most jobs one transaction takes.
    pub max_batch: usize,
    /// Reader connections.
    pub readers: usize,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            synchronous: Synchronous::Full,
            max_batch: 512,
            readers: std::thread::available_parallelism().map_or(4, |n| n.get().clamp(2, 16)),
        }
    }
}

/// The open database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    // Field order is drop order: readers close before the writer's final checkpoint.
    readers: Readers,
    writer: Writer,
    location: Location,
    /// The file was closed cleanly and not touched since: the start-up checks were skipped.
    clean_start: bool,
    _lock: Option<file::DirLock>,
}

impl Store {
    /// Opens (creating and migrating as needed) the state at `location`.
    pub fn open(location: &Location, options: StoreOptions) -> Result<Self, StoreError> {
        let (target, lock) = match location {
            Location::Dir(dir) => {
                let lock = file::DirLock::acquire(dir)?;
                (Target::File(dir.join(DB_FILE)), Some(lock))
            }
            Location::Memory => (Target::memory(), None),
        };
        // Checks come before any setting that writes to the file (WAL mode does), so a file
        // that is damaged or not ours is left exactly as it was: a refused file is also
        // closed without the checkpoint SQLite runs on close, so a WAL left by a crash is
        // not copied into it either.
        let clean_start = match &target {
            Target::File(db) => clean_stop::take(db),
            Target::Memory(_) => false,
        };
        let mut conn = target.connect(Role::Setup)?;
        if target.is_file() {
            no_checkpoint_on_close(&conn, true)?;
            if clean_start {
                tracing::info!("state closed cleanly last time: start-up checks skipped");
            } else {
                let started = std::time::Instant::now();
                integrity::check(&conn, &target.describe())?;
                tracing::info!("state checked in {} ms", started.elapsed().as_millis());
            }
        }
        schema::prepare(&mut conn, &target.describe())?;
        no_checkpoint_on_close(&conn, false)?;
        schema::configure(&conn, target.is_file(), Role::Writer)
            .map_err(|e| StoreError::open(&target.describe(), e))?;
        let readers = (0..options.readers.max(1))
            .map(|_| target.connect(Role::Reader))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            inner: Arc::new(Inner {
                readers: Readers::new(readers),
                writer: Writer::start(conn, options, target.file().map(Into::into))?,
                location: location.clone(),
                clean_start,
                _lock: lock,
            }),
        })
    }

    /// A throwaway in-memory store with default options.
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::open(&Location::Memory, StoreOptions::default())
    }

    /// Whether this start found the file as a clean stop left it, and so skipped the
    /// checks that look for a crash's traces (the registry skips its own as well).
    pub fn clean_start(&self) -> bool {
        self.inner.clean_start
    }

    /// Where this store lives.
    pub fn location(&self) -> &Location {
        &self.inner.location
    }

    /// Runs `f` on a reader connection (committed data only). Blocking, but short: point
    /// lookups by primary key.
    pub fn read<R>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<R>,
    ) -> Result<R, StoreError> {
        self.inner
            .readers
            .with(|conn| f(conn).map_err(StoreError::from))
    }

    /// Runs `f` in the next group transaction and resolves once that transaction committed.
    /// An error from `f` rolls back `f`'s own changes only.
    pub async fn write<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    ) -> Result<R, StoreError> {
        self.inner.writer.write(f).await
    }

    /// Queues `f` for the next group transaction without waiting (journal entries).
    pub fn write_detached(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<()> + Send + 'static,
    ) {
        self.inner.writer.detached(f);
    }
}

fn no_checkpoint_on_close(conn: &Connection, on: bool) -> Result<(), StoreError> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, on)?;
    Ok(())
}

/// What a connection is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Checking and migrating the file: nothing written yet.
    Setup,
    /// The writer thread's connection.
    Writer,
    /// A pooled reader.
    Reader,
}

/// What a connection opens.
#[derive(Debug, Clone)]
enum Target {
    File(PathBuf),
    /// A `memdb` database shared by this process's connections under a unique name.
    Memory(String),
}

impl Target {
    fn memory() -> Self {
        let mut id = [0u8; 8];
        crate::crypto::fill_random(&mut id);
        let name = crate::crypto::hex_lower(&id);
        Self::Memory(format!("file:/irp-emulator-{name}?vfs=memdb"))
    }

    fn describe(&self) -> String {
        match self {
            Self::File(path) => path.display().to_string(),
            Self::Memory(_) => "in-memory state".into(),
        }
    }

    fn is_file(&self) -> bool {
        matches!(self, Self::File(_))
    }

    fn file(&self) -> Option<&std::path::Path> {
        match self {
            Self::File(path) => Some(path),
            Self::Memory(_) => None,
        }
    }

    fn connect(&self, role: Role) -> Result<Connection, StoreError> {
        use rusqlite::OpenFlags as F;
        let flags = F::SQLITE_OPEN_READ_WRITE
            | F::SQLITE_OPEN_CREATE
            | F::SQLITE_OPEN_URI
            | F::SQLITE_OPEN_NO_MUTEX;
        let conn = match self {
            Self::File(path) => Connection::open_with_flags(path, flags),
            Self::Memory(uri) => Connection::open_with_flags(uri, flags),
        }
        .map_err(|e| StoreError::open(&self.describe(), e))?;
        schema::configure(&conn, self.is_file(), role)
            .map_err(|e| StoreError::open(&self.describe(), e))?;
        Ok(conn)
    }
}
