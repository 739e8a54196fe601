//! An IRP's answer time: IRPs differ in how fast they answer, and a client that fails over
//! between them must cope with a slow one. The model is a delay before every IRP API call
//! (never the control namespace): none, fixed, or uniform between two bounds, drawn from a
//! generator seeded by `--seed` and the IRP's position, so a run can be replayed.

use std::{
    sync::{Mutex, PoisonError},
    time::Duration,
};

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::state::AppState;

/// The longest delay the model may ask for (a minute: longer is an outage, which is a fault
/// rule's job).
const MAX_MS: u64 = 60_000;

/// `answer_time` of an `[[irp]]` table: `{ fixed_ms = 200 }` or `{ min_ms = 50, max_ms =
/// 400 }`; absent, answers are not delayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerTime {
    /// Every call waits exactly this long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_ms: Option<u64>,
    /// Shortest wait of a uniform draw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ms: Option<u64>,
    /// Longest wait of a uniform draw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_ms: Option<u64>,
}

/// Why an answer-time model is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("answer_time: {0}")]
pub struct AnswerTimeError(&'static str);

impl AnswerTime {
    /// Checks the combination and the bounds.
    pub fn check(&self) -> Result<(), AnswerTimeError> {
        match (self.fixed_ms, self.min_ms, self.max_ms) {
            (None, None, None) => Ok(()),
            (Some(ms), None, None) if ms <= MAX_MS => Ok(()),
            (None, Some(min), Some(max)) if min <= max && max <= MAX_MS => Ok(()),
            (Some(_), None, None) | (None, Some(_), Some(_)) => Err(AnswerTimeError(
                "at most 60000 ms, and min_ms no more than max_ms",
            )),
            _ => Err(AnswerTimeError(
                "give fixed_ms alone, or min_ms and max_ms together",
            )),
        }
    }

    /// Whether calls are delayed at all.
    pub fn is_none(&self) -> bool {
        self.fixed_ms.unwrap_or(0) == 0 && self.max_ms.unwrap_or(0) == 0
    }

    fn draw(&self, rng: &mut ChaCha8Rng) -> u64 {
        match (self.fixed_ms, self.min_ms, self.max_ms) {
            (Some(ms), _, _) => ms.min(MAX_MS),
            (None, Some(min), Some(max)) if min <= max => rng.gen_range(min..=max).min(MAX_MS),
            _ => 0,
        }
    }
}

/// An answer-time model with its generator.
#[derive(Debug)]
pub struct AnswerClock {
    model: AnswerTime,
    rng: Mutex<ChaCha8Rng>,
}

impl AnswerClock {
    /// `model`, drawing from a generator seeded with `seed`.
    pub fn new(model: AnswerTime, seed: u64) -> Self {
        Self {
            model,
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed)),
        }
    }

    /// The model.
    pub fn model(&self) -> AnswerTime {
        self.model
    }

    /// The next delay (the lock is released before anyone waits).
    pub fn next_delay(&self) -> Duration {
        if self.model.is_none() {
            return Duration::ZERO;
        }
        let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
        Duration::from_millis(self.model.draw(&mut rng))
    }
}

/// The middleware on the IRP API routes: waits the drawn delay, then serves the call.
pub async fn answer_time(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let delay = state.answer_clock.next_delay();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(fixed: Option<u64>, min: Option<u64>, max: Option<u64>) -> AnswerTime {
        AnswerTime {
            fixed_ms: fixed,
            min_ms: min,
            max_ms: max,
        }
    }

    #[test]
    fn only_whole_models_are_accepted() {
        assert!(model(None, None, None).check().is_ok());
        assert!(model(Some(200), None, None).check().is_ok());
        assert!(model(None, Some(50), Some(400)).check().is_ok());
        for bad in [
            model(Some(1), Some(1), None),
            model(None, Some(1), None),
            model(None, None, Some(1)),
            model(None, Some(5), Some(4)),
            model(Some(60_001), None, None),
        ] {
            assert!(bad.check().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn uniform_draws_stay_in_bounds_and_replay_with_the_seed() {
        let uniform = model(None, Some(50), Some(60));
        let draws = |seed| {
            let clock = AnswerClock::new(uniform, seed);
            (0..50).map(|_| clock.next_delay()).collect::<Vec<_>>()
        };
        let first = draws(7);
        assert_eq!(first, draws(7));
        assert!(first.iter().all(|d| (50..=60).contains(&d.as_millis())));
        assert!(first.iter().any(|d| *d != first[0]), "not a constant");
        let fixed = AnswerClock::new(model(Some(20), None, None), 1);
        assert_eq!(fixed.next_delay(), Duration::from_millis(20));
        assert_eq!(
            AnswerClock::new(AnswerTime::default(), 1).next_delay(),
            Duration::ZERO
        );
    }
}
