//! A fixed set of named threads (`irp-signer-N`) that run CPU-bound jobs for async callers.
//!
//! Sized to the cores by default, like the async workers: RSA signing is pure CPU, so more
//! threads than cores would only take turns. Jobs wait in one queue; a caller awaits its
//! job's answer on a oneshot channel, so no async worker blocks. If no thread could be
//! started, jobs run on the caller's thread instead, which is slower for the others but
//! still correct. The threads end when the pool is dropped.

use std::{
    sync::{
        Arc, Mutex, PoisonError,
        mpsc::{self, Receiver, Sender},
    },
    thread,
};

use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// The signer threads and their queue.
pub(super) struct SignerPool {
    queue: Option<Sender<Job>>,
    threads: usize,
}

impl SignerPool {
    /// Starts `threads` threads (at least one).
    pub(super) fn start(threads: usize) -> Self {
        let (queue, jobs) = mpsc::channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        let started = (0..threads.max(1))
            .filter(|n| {
                let jobs = jobs.clone();
                thread::Builder::new()
                    .name(format!("irp-signer-{n}"))
                    .spawn(move || work(&jobs))
                    .map_err(|e| tracing::warn!("signer thread {n} not started: {e}"))
                    .is_ok()
            })
            .count();
        Self {
            queue: (started > 0).then_some(queue),
            threads: started,
        }
    }

    /// Runs `job` on a signer thread; `None` if it panicked.
    pub(super) async fn run<R: Send + 'static>(
        &self,
        job: impl FnOnce() -> R + Send + 'static,
    ) -> Option<R> {
        let Some(queue) = &self.queue else {
            return Some(job());
        };
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = answer.send(job());
        });
        if let Err(mpsc::SendError(job)) = queue.send(job) {
            job();
        }
        answered.await.ok()
    }

    /// How many threads run (0 when jobs run on the caller's thread).
    pub(super) fn threads(&self) -> usize {
        self.threads
    }
}

/// A signer thread: takes the next job until the pool is dropped.
fn work(jobs: &Mutex<Receiver<Job>>) {
    loop {
        let next = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        match next {
            // A panicking job drops its answer channel: its caller sees `None`.
            Ok(job) => {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            }
            Err(mpsc::RecvError) => return,
        }
    }
}
