//! The shape of a run: how requests are paced, when the run ends, the warm-up and the mix;
//! and when the open model intends each request to be sent.

use std::time::Duration;

use tokio::time::Instant;

use super::mix::Mix;

/// How requests are paced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pace {
    /// Each connection sends when its previous answer arrives.
    Closed,
    /// A target arrival rate per second.
    Open(f64),
}

/// When the run ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// After this many recorded requests.
    Count(u64),
    /// After this long past the warm-up.
    Duration(Duration),
}

/// A run's shape.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Concurrent connections.
    pub connections: usize,
    /// Closed or open model.
    pub pace: Pace,
    /// Count or duration.
    pub stop: Stop,
    /// Unrecorded time at the start.
    pub warmup: Duration,
    /// Which API each request calls.
    pub mix: Mix,
}

/// The intended send time of request `k` at `rate` per second from `start`.
pub fn intended(start: Instant, rate: f64, k: u64) -> Instant {
    start + Duration::from_secs_f64(k as f64 / rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intended_times_follow_the_rate_without_drift() {
        let start = Instant::now();
        assert_eq!(intended(start, 200.0, 0), start);
        assert_eq!(intended(start, 200.0, 3), start + Duration::from_millis(15));
        assert_eq!(
            intended(start, 3.0, 3_000_000) - start,
            Duration::from_secs(1_000_000)
        );
    }
}
