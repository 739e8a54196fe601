//! When requests are sent, when they are timed from, and when the run ends.
//!
//! - **Closed model** (no `--rate`): each connection sends its next request as soon as the
//!   previous answer arrives; latency runs from the send.
//! - **Open model** (`--rate R`): request `k` is *intended* for `start + k / R`, whatever
//!   happened before it. Connections take requests in order and wait for their intended
//!   time; latency runs from the intended time, not from the send, so when the server stalls
//!   the requests queued behind the stall carry the wait in their latency (no coordinated
//!   omission). Connections bound how many requests are in flight.
//!
//! Requests that begin (closed) or are intended (open) before the warm-up ends are sent but
//! not recorded. The run ends after `--count` recorded requests, or when the next request
//! would begin after the `--duration` window; answers still in flight are awaited and
//! recorded.

use std::{
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use tokio::time::Instant;

use super::{
    latency::{Outcome, Tally},
    mix::LoadApi,
    plan::{Pace, Plan, Stop, intended},
};

/// Something that performs requests: the IRP over HTTP, or a stand-in in tests.
pub trait Exchange: Send + Sync + 'static {
    /// Performs request `k` (counted from 0 over the run, warm-up included), a call of `api`.
    fn perform(&self, k: u64, api: LoadApi) -> impl Future<Output = Outcome> + Send;
}

/// What a run recorded.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Per-API figures.
    pub tally: Tally,
    /// From the end of the warm-up to the last recorded answer.
    pub window: Duration,
    /// Recorded requests sent more than 10 ms after their intended time (open model): the
    /// connections could not keep up with the rate.
    pub late: u64,
}

/// Recorded answers so far, for a progress line.
#[derive(Debug, Default)]
pub struct Progress {
    /// Recorded answers.
    pub answered: AtomicU64,
    /// Of which errors.
    pub errors: AtomicU64,
}

struct Shared {
    progress: Arc<Progress>,
    next: AtomicU64,
    recorded: AtomicU64,
    start: Instant,
    window_start: Instant,
}

/// Runs `plan` against `exchange`, counting answers in `progress`; `at_window` is called
/// when the recorded window opens (after the warm-up), to start measuring anything else
/// over the same window.
pub async fn drive<E: Exchange>(
    exchange: Arc<E>,
    plan: &Plan,
    progress: Arc<Progress>,
    at_window: impl FnOnce() + Send + 'static,
) -> Recorded {
    let start = Instant::now();
    let shared = Arc::new(Shared {
        progress,
        next: AtomicU64::new(0),
        recorded: AtomicU64::new(0),
        start,
        window_start: start + plan.warmup,
    });
    let window_start = shared.window_start;
    let marker = tokio::spawn(async move {
        tokio::time::sleep_until(window_start).await;
        at_window();
    });
    let workers: Vec<_> = (0..plan.connections.max(1))
        .map(|_| tokio::spawn(connection(exchange.clone(), shared.clone(), plan.clone())))
        .collect();
    let mut tally = Tally::default();
    let mut last = window_start;
    let mut late = 0;
    for worker in workers {
        if let Ok(done) = worker.await {
            tally.merge(&done.tally);
            last = last.max(done.last);
            late += done.late;
        }
    }
    // The marker has fired unless nothing was recorded at all.
    marker.abort();
    Recorded {
        tally,
        window: last.saturating_duration_since(window_start),
        late,
    }
}

struct Done {
    tally: Tally,
    last: Instant,
    late: u64,
}

async fn connection<E: Exchange>(exchange: Arc<E>, shared: Arc<Shared>, plan: Plan) -> Done {
    let mut done = Done {
        tally: Tally::default(),
        last: shared.window_start,
        late: 0,
    };
    loop {
        let k = shared.next.fetch_add(1, Ordering::Relaxed);
        let due = match plan.pace {
            Pace::Closed => Instant::now(),
            Pace::Open(rate) => intended(shared.start, rate, k),
        };
        if let Stop::Duration(length) = plan.stop
            && due >= shared.window_start + length
        {
            break;
        }
        tokio::time::sleep_until(due).await;
        let recording = due >= shared.window_start;
        if recording
            && let Stop::Count(count) = plan.stop
            && shared.recorded.fetch_add(1, Ordering::Relaxed) >= count
        {
            break;
        }
        let api = plan.mix.at(k);
        let sent = Instant::now();
        let outcome = exchange.perform(k, api).await;
        let answered = Instant::now();
        if recording {
            let from = match plan.pace {
                Pace::Closed => sent,
                Pace::Open(_) => {
                    if sent.saturating_duration_since(due) > Duration::from_millis(10) {
                        done.late += 1;
                    }
                    due
                }
            };
            done.tally.record(api, &outcome, answered - from);
            shared.progress.answered.fetch_add(1, Ordering::Relaxed);
            if outcome.sent && !outcome.ok {
                shared.progress.errors.fetch_add(1, Ordering::Relaxed);
            }
            done.last = done.last.max(answered);
        }
    }
    done
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::load::mix::Mix;

    /// Answers every request in 1 ms, except request `stall`, which takes `stall_for`; keeps
    /// every request's start.
    struct Stalling {
        stall: u64,
        stall_for: Duration,
        starts: Mutex<Vec<(u64, Instant)>>,
    }

    impl Exchange for Stalling {
        async fn perform(&self, k: u64, _api: LoadApi) -> Outcome {
            self.starts.lock().unwrap().push((k, Instant::now()));
            let took = if k == self.stall {
                self.stall_for
            } else {
                Duration::from_millis(1)
            };
            tokio::time::sleep(took).await;
            Outcome {
                sent: true,
                ok: true,
                code: None,
                retries: 0,
            }
        }
    }

    fn plan(pace: Pace, stop: Stop) -> Plan {
        Plan {
            connections: 1,
            pace,
            stop,
            warmup: Duration::ZERO,
            mix: Mix::parse("generate=1").unwrap(),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_stall_shows_in_the_latency_of_the_requests_queued_behind_it() {
        let exchange = Arc::new(Stalling {
            stall: 2,
            stall_for: Duration::from_millis(500),
            starts: Mutex::new(Vec::new()),
        });
        // 100 per second on one connection: a request every 10 ms, each answered in 1 ms
        // but for the third, which takes half a second.
        let open = plan(Pace::Open(100.0), Stop::Count(20));
        let recorded = drive(exchange.clone(), &open, Arc::default(), || {}).await;
        let generate = recorded.tally.api(LoadApi::Generate).unwrap();
        assert_eq!(generate.count(), 20);
        // Requests 3..=19 were intended at 30..190 ms but sent after 520 ms: each waited
        // hundreds of milliseconds, and that wait is in their latency.
        assert!(
            generate.quantile_ms(0.5) >= 300.0,
            "{}",
            generate.quantile_ms(0.5)
        );
        assert!(generate.max_ms() >= 500.0);
        assert!(recorded.late >= 15, "{}", recorded.late);
        let starts = exchange.starts.lock().unwrap().clone();
        let (_, third) = starts[3];
        assert!(third.duration_since(starts[0].1) >= Duration::from_millis(520));

        // The closed model times each request from its own send: the stall is one slow
        // request, not twenty.
        let exchange = Arc::new(Stalling {
            stall: 2,
            stall_for: Duration::from_millis(500),
            starts: Mutex::new(Vec::new()),
        });
        let closed = plan(Pace::Closed, Stop::Count(20));
        let recorded = drive(exchange, &closed, Arc::default(), || {}).await;
        let generate = recorded.tally.api(LoadApi::Generate).unwrap();
        assert!(
            generate.quantile_ms(0.9) < 5.0,
            "{}",
            generate.quantile_ms(0.9)
        );
        assert!(generate.max_ms() >= 500.0);
    }

    #[tokio::test(start_paused = true)]
    async fn warm_up_is_sent_but_not_recorded_and_duration_bounds_the_window() {
        let exchange = Arc::new(Stalling {
            stall: u64::MAX,
            stall_for: Duration::ZERO,
            starts: Mutex::new(Vec::new()),
        });
        let mut open = plan(Pace::Open(100.0), Stop::Duration(Duration::from_secs(1)));
        open.warmup = Duration::from_millis(500);
        let opened = Arc::new(Mutex::new(None));
        let mark = opened.clone();
        let recorded = drive(exchange.clone(), &open, Arc::default(), move || {
            *mark.lock().unwrap() = Some(Instant::now());
        })
        .await;
        // 50 warm-up requests sent, 100 recorded in the one-second window.
        assert_eq!(exchange.starts.lock().unwrap().len(), 150);
        assert_eq!(recorded.tally.requests(), 100);
        assert!(opened.lock().unwrap().is_some());
        assert!(recorded.window <= Duration::from_millis(1000));
        assert!(recorded.window >= Duration::from_millis(990));
    }
}
