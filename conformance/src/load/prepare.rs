//! Everything done before the clock starts: how many invoices the run will want, making and
//! sealing them on every core, and registering the IRNs that Get, Cancel, e-way bill and
//! duplicate requests act on.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use super::{
    ceiling::Ceiling,
    exchange::Http,
    mix::LoadApi,
    plan::{Pace, Plan, Stop},
    stock::{Invoices, Sealed},
    users::User,
};

/// The most invoices made beforehand (about 3 KB each sealed); a longer run makes the rest
/// as it goes, and says so.
const MOST_INVOICES: f64 = 200_000.0;
/// The most IRNs registered beforehand.
const MOST_REGISTERED: f64 = 20_000.0;

/// What to prepare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizing {
    /// Invoices per user for the run itself.
    pub invoices_per_user: usize,
    /// IRNs to register per user before the run.
    pub registered_per_user: usize,
}

impl Sizing {
    /// The stock for `plan` on `users` users. A count or a rate says how many requests are
    /// coming; a closed run for a duration is bounded by the signing ceiling for its Generate
    /// IRN share (half again for margin).
    pub fn of(plan: &Plan, users: usize, ceiling: &Ceiling) -> Self {
        let users_f = users.max(1) as f64;
        let generate = plan.mix.share(LoadApi::Generate);
        let rate = match plan.pace {
            Pace::Open(rate) => rate,
            Pace::Closed => 1.5 * ceiling.generate_rate() / generate.max(0.25),
        };
        let warm = rate * plan.warmup.as_secs_f64();
        let requests = warm
            + match plan.stop {
                Stop::Count(count) => count as f64,
                Stop::Duration(length) => rate * length.as_secs_f64(),
            };
        let period = plan.mix.period() as f64;
        let consumed = plan.mix.share(LoadApi::Cancel) + plan.mix.share(LoadApi::Ewb);
        let needs_irn = plan.mix.apis().any(LoadApi::needs_irn);
        // Generate IRN in the run registers what Cancel and e-way bill use up, when it comes
        // at least as often; the rest is registered beforehand.
        let registered = if !needs_irn {
            0.0
        } else if consumed > generate {
            (requests * (consumed - generate) * 1.2 + period).min(MOST_REGISTERED)
        } else {
            period + 8.0 * users_f
        };
        let invoices = (requests * generate * 1.1 + 16.0 * users_f).min(MOST_INVOICES);
        Self {
            invoices_per_user: (invoices / users_f).ceil() as usize,
            registered_per_user: if needs_irn {
                ((registered / users_f).ceil() as usize).max(2)
            } else {
                0
            },
        }
    }
}

/// Makes and seals `per_user` invoices for every user, spread over `cores` threads.
pub fn fill(users: &[User], invoices: &Invoices, per_user: usize, cores: usize) {
    for user in users {
        let sek: Arc<[u8]> = Arc::from(user.session().sek.as_slice());
        let threads = cores.clamp(1, per_user.max(1));
        let made: Vec<Vec<Sealed>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let share = per_user / threads + usize::from(t < per_user % threads);
                    let (seller, sek) = (&user.seller, &sek);
                    scope.spawn(move || {
                        (0..share)
                            .filter_map(|_| invoices.make(seller, sek).ok())
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        user.stock.fill(made.into_iter().flatten().collect());
    }
}

/// Registers `per_user` IRNs for every user, `connections` at a time; the IRNs registered
/// and the calls that failed.
pub async fn register(http: &Arc<Http>, per_user: usize, connections: usize) -> (usize, usize) {
    let jobs = http.users.len() * per_user;
    let next = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..connections.clamp(1, jobs.max(1)))
        .map(|_| {
            let (http, next, failed) = (http.clone(), next.clone(), failed.clone());
            tokio::spawn(async move {
                loop {
                    let job = next.fetch_add(1, Ordering::Relaxed);
                    if job >= jobs {
                        break;
                    }
                    let Some(user) = http.users.get(job % http.users.len().max(1)) else {
                        break;
                    };
                    if !http.generate(user).await.1 {
                        failed.fetch_add(1, Ordering::Relaxed);
                        // A refusal will not mend itself; stop soon rather than spin.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.await;
    }
    let registered = http.users.iter().map(|u| u.stock.irns()).sum();
    (registered, failed.load(Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::mix::Mix;

    fn plan(mix: &str, pace: Pace, stop: Stop) -> Plan {
        Plan {
            connections: 4,
            pace,
            stop,
            warmup: Duration::from_secs(1),
            mix: Mix::parse(mix).unwrap(),
        }
    }

    const CEILING: Ceiling = Ceiling {
        cores: 2,
        signs_per_second: 1000.0,
    };

    #[test]
    fn a_count_and_a_rate_say_how_many_invoices_are_wanted() {
        let count = plan("generate=70,get=30", Pace::Open(100.0), Stop::Count(200));
        let sizing = Sizing::of(&count, 2, &CEILING);
        // 300 requests (100 in warm-up), 70% Generate IRN, 10% margin, 16 per user spare.
        assert_eq!(sizing.invoices_per_user, 132);
        assert_eq!(sizing.registered_per_user, 13);
        let pure = plan(
            "generate=1",
            Pace::Closed,
            Stop::Duration(Duration::from_secs(10)),
        );
        let sizing = Sizing::of(&pure, 1, &CEILING);
        // The ceiling is 1,000 a second; 1.5 × that for 11 s.
        assert_eq!(sizing.invoices_per_user, 18_166);
        assert_eq!(sizing.registered_per_user, 0);
    }

    #[test]
    fn cancel_beyond_generate_is_registered_beforehand() {
        let cancel = plan("generate=1,cancel=3", Pace::Open(100.0), Stop::Count(400));
        let sizing = Sizing::of(&cancel, 1, &CEILING);
        // 500 requests, half of them Cancel beyond the Generate IRN share, 20% margin.
        assert_eq!(sizing.registered_per_user, 304);
    }
}
