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

/// The earliest instant the clock may show: 2000-01-01 00:00:00 IST.
pub const EARLIEST: OffsetDateTime = macros::datetime!(2000-01-01 00:00:00 +5:30);
/// The latest instant the clock may show: 2099-12-31 23:59:59 IST. `AckNo` carries a
/// two-digit year and every window (token life, e-way bill validity) is added to "now", so
/// the range stays well inside what those encodings and the time crate can hold.
pub const LATEST: OffsetDateTime = macros::datetime!(2099-12-31 23:59:59 +5:30);

/// A clock change that would leave [`EARLIEST`]..=[`LATEST`]; the clock is left as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the clock must stay between 2000-01-01 00:00:00 and 2099-12-31 23:59:59 IST")]
pub struct OutOfRange;

/// A change to the clock, applied as one step: freeze, then advance, then resume, then
/// reset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClockChange {
    /// Freeze at this instant.
    pub freeze_at: Option<OffsetDateTime>,
    /// Move by this much (negative moves back).
    pub advance: Option<Duration>,
    /// Let the clock run again from where it stands.
    pub resume: bool,
    /// Back to the wall clock.
    pub reset: bool,
}

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

impl ClockState {
    fn now(self, wall: OffsetDateTime) -> OffsetDateTime {
        let at = self
            .frozen
            .unwrap_or_else(|| wall.checked_add(self.offset).unwrap_or(LATEST));
        at.clamp(EARLIEST, LATEST)
    }
}

fn in_range(at: OffsetDateTime) -> Result<OffsetDateTime, OutOfRange> {
    if (EARLIEST..=LATEST).contains(&at) {
        Ok(at)
    } else {
        Err(OutOfRange)
    }
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

    /// The current instant, never outside [`EARLIEST`]..=[`LATEST`] (a running clock that
    /// drifts past [`LATEST`] stops there).
    pub fn now(&self) -> OffsetDateTime {
        (*self.state()).now(OffsetDateTime::now_utc())
    }

    /// Freezes the clock at `at`, clamped to [`EARLIEST`]..=[`LATEST`] (the control API
    /// refuses out-of-range values through [`Clock::change`] instead).
    pub fn freeze_at(&self, at: OffsetDateTime) {
        self.state().frozen = Some(at.clamp(EARLIEST, LATEST));
    }

    /// Lets the clock run again from wherever it stands now.
    pub fn resume(&self) {
        let mut state = self.state();
        if let Some(at) = state.frozen.take() {
            state.offset = at - OffsetDateTime::now_utc();
        }
    }

    /// Moves the clock by `by` (negative moves it back), frozen or running; a move that
    /// would leave [`EARLIEST`]..=[`LATEST`] stops at the edge (the control API refuses it
    /// through [`Clock::change`] instead).
    pub fn advance(&self, by: Duration) {
        let wall = OffsetDateTime::now_utc();
        let mut state = self.state();
        let now = state.now(wall);
        let moved = now
            .checked_add(by)
            .map_or(if by.is_negative() { EARLIEST } else { LATEST }, |at| {
                at.clamp(EARLIEST, LATEST)
            });
        match state.frozen.as_mut() {
            Some(at) => *at = moved,
            None => state.offset = moved - wall,
        }
    }

    /// Applies `change` whole, or not at all when the clock would leave its range.
    pub fn change(&self, change: ClockChange) -> Result<(), OutOfRange> {
        let wall = OffsetDateTime::now_utc();
        let mut state = self.state();
        let mut next = *state;
        if let Some(at) = change.freeze_at {
            next.frozen = Some(in_range(at)?);
        }
        if let Some(by) = change.advance {
            let moved = next.now(wall).checked_add(by).ok_or(OutOfRange)?;
            in_range(moved)?;
            match next.frozen.as_mut() {
                Some(at) => *at = moved,
                None => next.offset = next.offset.checked_add(by).ok_or(OutOfRange)?,
            }
        }
        if change.resume
            && let Some(at) = next.frozen.take()
        {
            next.offset = at - wall;
        }
        if change.reset {
            next = ClockState {
                frozen: None,
                offset: Duration::ZERO,
            };
        }
        *state = next;
        Ok(())
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

/// Formats an instant to the minute, seconds printed as `00`: how the IRP prints `EwbDt`,
/// `CancelDate` and the `AckDt` of a duplicate's DUPIRN block (every real sample of these
/// ends in `:00`, while `AckDt` and `TokenExpiry` keep their seconds).
pub fn format_ist_minute(at: OffsetDateTime) -> String {
    format_ist(to_minute(at))
}

/// `at` with its seconds and fraction dropped.
pub fn to_minute(at: OffsetDateTime) -> OffsetDateTime {
    at.replace_second(0)
        .and_then(|t| t.replace_nanosecond(0))
        .unwrap_or(at)
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

    /// Regression: `advance_seconds: 300000000000` was accepted and every later request
    /// panicked reading the clock; a freeze near 9999-12-31 broke auth.
    #[test]
    fn clock_out_of_range_is_refused_and_leaves_the_clock_alone() {
        let start = datetime!(2026-03-31 10:00:00 +5:30);
        for clock in [Clock::fixed(start), Clock::system()] {
            let before = clock.now();
            let advance = |seconds: i64| ClockChange {
                advance: Some(Duration::seconds(seconds)),
                ..ClockChange::default()
            };
            let freeze = |at| ClockChange {
                freeze_at: Some(at),
                ..ClockChange::default()
            };
            assert_eq!(clock.change(advance(300_000_000_000)), Err(OutOfRange));
            assert_eq!(clock.change(advance(-300_000_000_000)), Err(OutOfRange));
            assert_eq!(clock.change(advance(i64::MAX)), Err(OutOfRange));
            assert_eq!(
                clock.change(freeze(datetime!(9999-12-31 23:59:59 UTC))),
                Err(OutOfRange)
            );
            assert_eq!(
                clock.change(freeze(datetime!(1999-12-31 18:29:59 UTC))),
                Err(OutOfRange)
            );
            // One change is applied whole or not at all.
            let refused = clock.change(ClockChange {
                freeze_at: Some(start),
                advance: Some(Duration::days(365 * 200)),
                ..ClockChange::default()
            });
            assert_eq!(refused, Err(OutOfRange));
            assert!(clock.now() - before < Duration::minutes(1), "unchanged");
            format_ist(clock.now());
        }
        // The direct setters clamp instead; the clock still never leaves its range.
        let clock = Clock::fixed(start);
        clock.freeze_at(LATEST);
        clock.advance(Duration::MAX);
        assert_eq!(clock.now(), LATEST);
        clock.advance(Duration::MIN);
        assert_eq!(clock.now(), EARLIEST);
        let running = Clock::system();
        running.advance(Duration::seconds(300_000_000_000));
        assert_eq!(format_ist(running.now()), "2099-12-31 23:59:59");
    }

    #[test]
    fn minute_precision_drops_the_seconds() {
        let at = datetime!(2025-03-15 19:59:08.5 +5:30);
        assert_eq!(format_ist_minute(at), "2025-03-15 19:59:00");
        assert_eq!(format_ist(at), "2025-03-15 19:59:08");
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
