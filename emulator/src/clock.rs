//! The one source of "now".
//!
//! Every time rule of the IRP (token expiry, the 24-hour cancel window, the retrieval window,
//! the 30-day reporting window, `AckDt`) reads this clock instead of the system time, so tests
//! can pin time and users can move it through `/__emulator__/clock` to rehearse month-end.

use std::sync::{Arc, Mutex, PoisonError};

use time::{Duration, OffsetDateTime, UtcOffset, format_description::BorrowedFormatItem, macros};

/// Indian Standard Time, the zone of every timestamp the IRP prints.
pub const IST: UtcOffset = macros::offset!(+5:30);

/// `yyyy-MM-dd HH:mm:ss`, the IRP's format for `AckDt`, `TokenExpiry`, `EwbDt` and friends.
const IRP_DATE_TIME: &[BorrowedFormatItem<'static>] =
    macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");

/// A shared, settable clock; cloning gives another handle to the same time.
#[derive(Clone, Debug)]
pub struct Clock {
    inner: Arc<Mutex<ClockState>>,
}

#[derive(Debug, Clone, Copy)]
struct ClockState {
    /// When set, time stands still at this instant until moved.
    frozen: Option<OffsetDateTime>,
    /// Added to the system time when the clock is not frozen.
    offset: Duration,
}

impl Clock {
    /// The wall clock.
    pub fn system() -> Self {
        Self::from_state(ClockState {
            frozen: None,
            offset: Duration::ZERO,
        })
    }

    /// A clock that stands still at `at` until it is set or advanced.
    pub fn fixed(at: OffsetDateTime) -> Self {
        Self::from_state(ClockState {
            frozen: Some(at),
            offset: Duration::ZERO,
        })
    }

    fn from_state(state: ClockState) -> Self {
        Self {
            inner: Arc::new(Mutex::new(state)),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ClockState> {
        // The state is two plain values; a panic elsewhere cannot leave it half-written.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The current instant.
    pub fn now(&self) -> OffsetDateTime {
        let state = *self.state();
        state
            .frozen
            .unwrap_or_else(|| OffsetDateTime::now_utc() + state.offset)
    }

    /// Freezes the clock at `at`.
    pub fn freeze_at(&self, at: OffsetDateTime) {
        self.state().frozen = Some(at);
    }

    /// Lets the clock run again from wherever it stands now.
    pub fn resume(&self) {
        let mut state = self.state();
        if let Some(at) = state.frozen.take() {
            state.offset = at - OffsetDateTime::now_utc();
        }
    }

    /// Moves the clock by `by` (negative moves it back), frozen or running.
    pub fn advance(&self, by: Duration) {
        let mut state = self.state();
        match state.frozen.as_mut() {
            Some(at) => *at += by,
            None => state.offset += by,
        }
    }

    /// Whether the clock stands still.
    pub fn is_frozen(&self) -> bool {
        self.state().frozen.is_some()
    }

    /// Back to the wall clock.
    pub fn reset(&self) {
        *self.state() = ClockState {
            frozen: None,
            offset: Duration::ZERO,
        };
    }
}

/// Formats an instant as the IRP prints it: `yyyy-MM-dd HH:mm:ss` in IST.
pub fn format_ist(at: OffsetDateTime) -> String {
    at.to_offset(IST)
        .format(IRP_DATE_TIME)
        .unwrap_or_else(|_| String::from("1970-01-01 05:30:00"))
}

/// Parses `yyyy-MM-dd HH:mm:ss` as an IST instant (the inverse of [`format_ist`]).
pub fn parse_ist(text: &str) -> Option<OffsetDateTime> {
    time::PrimitiveDateTime::parse(text, IRP_DATE_TIME)
        .ok()
        .map(|t| t.assume_offset(IST))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn fixed_clock_stands_still_and_advances() {
        let clock = Clock::fixed(datetime!(2025-03-15 14:29:08 UTC));
        assert_eq!(clock.now(), clock.now());
        clock.advance(Duration::minutes(90));
        assert_eq!(format_ist(clock.now()), "2025-03-15 21:29:08");
    }

    #[test]
    fn ist_round_trip() {
        let at = datetime!(2025-03-15 19:59:08 +5:30);
        assert_eq!(parse_ist(&format_ist(at)), Some(at));
    }

    #[test]
    fn resume_keeps_the_moved_time() {
        let clock = Clock::system();
        clock.freeze_at(datetime!(2030-01-01 00:00:00 UTC));
        clock.resume();
        assert!(!clock.is_frozen());
        assert!(clock.now() >= datetime!(2030-01-01 00:00:00 UTC));
        assert!(clock.now() < datetime!(2030-01-01 00:01:00 UTC));
    }
}
