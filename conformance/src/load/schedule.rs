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
        Arc, Mutex, PoisonError,
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
    claims: Mutex<Claims>,
    start: Instant,
    window_start: Instant,
}

/// The next request, and the first one recorded. Requests are numbered and timed under one
/// lock, so the recorded ones are always a run of consecutive numbers: the mix's pattern
/// holds over them exactly, whatever the connections' interleaving.
#[derive(Debug, Default)]
struct Claims {
    next: u64,
    first_recorded: Option<u64>,
}

/// A connection's next turn.
enum Turn {
    /// The run is over.
    Stop,
    /// Send request `k`, due at `due`; record it or not.
    Send {
        k: u64,
        due: Instant,
        recording: bool,
    },
}

impl Shared {
    fn take(&self, plan: &Plan) -> Turn {
        let mut claims = self.claims.lock().unwrap_or_else(PoisonError::into_inner);
        let k = claims.next;
        let due = match plan.pace {
            Pace::Closed => Instant::now(),
            Pace::Open(rate) => intended(self.start, rate, k),
        };
        let recording = due >= self.window_start;
        match plan.stop {
            Stop::Duration(length) if due >= self.window_start + length => return Turn::Stop,
            Stop::Count(count) if recording => {
                let first = *claims.first_recorded.get_or_insert(k);
                if k - first >= count {
                    return Turn::Stop;
                }
            }
            _ => {}
        }
        claims.next += 1;
        Turn::Send { k, due, recording }
    }
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
        claims: Mutex::default(),
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
    while let Turn::Send { k, due, recording } = shared.take(&plan) {
        tokio::time::sleep_until(due).await;
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

    /// Answers request `k` in `k % 3` ms.
    struct Uneven;

    impl Exchange for Uneven {
        async fn perform(&self, k: u64, _api: LoadApi) -> Outcome {
            tokio::time::sleep(Duration::from_millis(k % 3)).await;
            Outcome {
                sent: true,
                ok: true,
                code: None,
                retries: 0,
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_count_records_consecutive_requests_so_the_mix_holds_exactly() {
        for connections in [1, 4, 7] {
            let plan = Plan {
                connections,
                pace: Pace::Closed,
                stop: Stop::Count(100),
                warmup: Duration::from_millis(5),
                mix: Mix::parse("generate=7,get=3").unwrap(),
            };
            let recorded = drive(Arc::new(Uneven), &plan, Arc::default(), || {}).await;
            let count = |api| recorded.tally.api(api).unwrap().count();
            assert_eq!(count(LoadApi::Generate), 70, "{connections} connection(s)");
            assert_eq!(count(LoadApi::Get), 30, "{connections} connection(s)");
        }
    }
}
