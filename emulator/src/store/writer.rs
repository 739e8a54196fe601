//! The one writer: a thread that owns the write connection and commits queued jobs in
//! groups (group commit), answering each job only after its transaction committed.

use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    path::PathBuf,
    sync::{
        Mutex, PoisonError,
        mpsc::{self, Receiver, Sender},
    },
    thread::JoinHandle,
};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use super::{StoreError, StoreOptions};

/// How hard each commit waits for the disk (`PRAGMA synchronous`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Synchronous {
    /// fsync on every commit: an acknowledged IRN survives power loss (the default).
    #[default]
    Full,
    /// fsync at checkpoints only: survives a process crash (`kill -9`), not power loss.
    Normal,
    /// No fsync: for throwaway load runs.
    Off,
}

impl Synchronous {
    fn pragma(self) -> &'static str {
        match self {
            Self::Full => "FULL",
            Self::Normal => "NORMAL",
            Self::Off => "OFF",
        }
    }
}

/// Called with the transaction's outcome once it committed or failed.
type Done = Box<dyn FnOnce(Result<(), StoreError>) + Send>;
/// Runs inside the transaction; says whether it succeeded and how to report back.
type Job = Box<dyn FnOnce(&Connection) -> (bool, Done) + Send>;

#[derive(Debug)]
pub(super) struct Writer {
    sender: Mutex<Option<Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    /// Starts the writer thread on `conn`. For a file (`db`), the clean stop is recorded once
    /// the thread has closed the connection, the last one (so the WAL is checkpointed and
    /// gone): see [`super::clean_stop`].
    pub(super) fn start(
        conn: Connection,
        options: StoreOptions,
        db: Option<PathBuf>,
    ) -> Result<Self, StoreError> {
        conn.pragma_update(None, "synchronous", options.synchronous.pragma())?;
        let (sender, receiver) = mpsc::channel();
        let max_batch = options.max_batch.max(1);
        let thread = std::thread::Builder::new()
            .name("irp-state-writer".into())
            .spawn(move || {
                run(&conn, &receiver, max_batch);
                match (conn.close(), db) {
                    (Ok(()), Some(db)) => super::clean_stop::record(&db),
                    (Ok(()), None) => {}
                    (Err((_, e)), _) => tracing::warn!("closing the state: {e}"),
                }
            })
            .map_err(|e| StoreError::io("writer thread", e))?;
        Ok(Self {
            sender: Mutex::new(Some(sender)),
            thread: Mutex::new(Some(thread)),
        })
    }

    fn submit(&self, job: Job) -> Result<(), StoreError> {
        let sender = self.sender.lock().unwrap_or_else(PoisonError::into_inner);
        sender
            .as_ref()
            .ok_or(StoreError::Closed)?
            .send(job)
            .map_err(|_| StoreError::Closed)
    }

    fn job<R: Send + 'static>(
        f: impl FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
        reply: impl FnOnce(Result<R, StoreError>) + Send + 'static,
    ) -> Job {
        Box::new(move |conn| {
            let result = f(conn);
            let ok = result.is_ok();
            let done: Done = Box::new(move |commit| reply(commit.and(result.map_err(Into::into))));
            (ok, done)
        })
    }

    pub(super) async fn write<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    ) -> Result<R, StoreError> {
        let (tx, rx) = oneshot::channel();
        self.submit(Self::job(f, move |r| {
            let _ = tx.send(r);
        }))?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    pub(super) fn detached(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<()> + Send + 'static,
    ) {
        let submitted = self.submit(Self::job(f, |r| {
            if let Err(e) = r {
                tracing::warn!("state write failed: {e}");
            }
        }));
        if let Err(e) = submitted {
            tracing::warn!("state write dropped: {e}");
        }
    }
}

impl Drop for Writer {
    /// Closes the queue, lets the thread commit what is queued, and waits for it.
    fn drop(&mut self) {
        drop(
            self.sender
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        if let Some(thread) = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            let _ = thread.join();
        }
    }
}

fn run(conn: &Connection, receiver: &Receiver<Job>, max_batch: usize) {
    while let Ok(first) = receiver.recv() {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match receiver.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        commit_batch(conn, batch);
    }
}

/// Runs one statement of transaction control, compiled once per connection (each job of a
/// batch runs two of them).
fn control(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(drop)
}

/// Runs one group transaction and reports its outcome to every job in it.
fn commit_batch(conn: &Connection, batch: Vec<Job>) {
    let mut done = Vec::with_capacity(batch.len());
    let outcome = (|| -> rusqlite::Result<()> {
        control(conn, "BEGIN IMMEDIATE")?;
        for job in batch {
            control(conn, "SAVEPOINT job")?;
            let ran = catch_unwind(AssertUnwindSafe(|| job(conn)));
            match ran {
                Ok((true, reply)) => {
                    control(conn, "RELEASE job")?;
                    done.push(reply);
                }
                Ok((false, reply)) => {
                    control(conn, "ROLLBACK TO job")?;
                    control(conn, "RELEASE job")?;
                    done.push(reply);
                }
                Err(_) => {
                    tracing::error!("a state job panicked; its changes were rolled back");
                    control(conn, "ROLLBACK TO job")?;
                    control(conn, "RELEASE job")?;
                }
            }
        }
        control(conn, "COMMIT")
    })();
    let failed = outcome.err().map(|e| {
        tracing::error!("state commit failed: {e}");
        let _ = conn.execute_batch("ROLLBACK");
        e.to_string()
    });
    for reply in done {
        reply(match &failed {
            None => Ok(()),
            Some(reason) => Err(StoreError::Commit(reason.clone())),
        });
    }
}
