//! The one source of "now".
//!
//! Every time rule of the IRP (token expiry, the 24-hour cancel window, the retrieval window,
//! the 30-day reporting window, `AckDt`) reads this clock instead of the system time, so tests
//! can pin time and users can move it, or make it run faster, through `/__emulator__/clock`
//! to rehearse month-end in minutes.

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

/// A change to the clock, applied as one step: freeze, then advance, then resume, then the
/// speed, then reset.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClockChange {
    /// Freeze at this instant.
    pub freeze_at: Option<OffsetDateTime>,
    /// Move by this much (negative moves back).
    pub advance: Option<Duration>,
    /// Let the clock run again from where it stands.
    pub resume: bool,
    /// Back to the wall clock.
    pub reset: bool,
    /// Run at this many virtual seconds per wall-clock second (0 < speed ≤ 100000).
    pub speed: Option<f64>,
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
    /// A running clock shows `virtual_at + (wall - wall_at) × speed`.
    virtual_at: OffsetDateTime,
    /// The wall time at which the running clock showed `virtual_at`.
    wall_at: OffsetDateTime,
    /// Virtual seconds per wall-clock second.
    speed: f64,
}

/// The fastest the clock may run: a day in under a second.
pub const MAX_SPEED: f64 = 100_000.0;

/// A speed outside `0 < speed ≤` [`MAX_SPEED`] (or not a number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("speed must be a number above 0 and at most 100000")]
pub struct BadSpeed;

/// `speed`, if the clock may run at it.
pub fn checked_speed(speed: f64) -> Result<f64, BadSpeed> {
    if speed.is_finite() && speed > 0.0 && speed <= MAX_SPEED {
        Ok(speed)
    } else {
        Err(BadSpeed)
    }
}

impl ClockState {
    fn running_at(wall: OffsetDateTime) -> Self {
        Self {
            frozen: None,
            virtual_at: wall,
            wall_at: wall,
            speed: 1.0,
        }
    }

    fn now(self, wall: OffsetDateTime) -> OffsetDateTime {
        let at = self.frozen.unwrap_or_else(|| {
            // At most a century of virtual time either way: beyond the range anyway.
            let seconds =
                ((wall - self.wall_at).as_seconds_f64() * self.speed).clamp(-3.2e9, 3.2e9);
            self.virtual_at
                .checked_add(Duration::seconds_f64(seconds))
                .unwrap_or(LATEST)
        });
        at.clamp(EARLIEST, LATEST)
    }

    /// The same clock re-anchored at `wall` (what it shows stays the same).
    fn anchored(mut self, wall: OffsetDateTime) -> Self {
        if self.frozen.is_none() {
            self.virtual_at = self.now(wall);
            self.wall_at = wall;
        }
        self
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
        Self::from_state(ClockState::running_at(OffsetDateTime::now_utc()))
    }

    /// A clock that stands still at `at` until it is set or advanced.
    pub fn fixed(at: OffsetDateTime) -> Self {
        let mut state = ClockState::running_at(OffsetDateTime::now_utc());
        state.frozen = Some(at);
        Self::from_state(state)
    }

    fn from_state(state: ClockState) -> Self {
        Self {
            inner: Arc::new(Mutex::new(state)),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ClockState> {
        // The state is a few plain values; a panic elsewhere cannot leave it half-written.
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

    /// Lets the clock run again (at its speed) from wherever it stands now.
    pub fn resume(&self) {
        let wall = OffsetDateTime::now_utc();
        let mut state = self.state();
        if let Some(at) = state.frozen.take() {
            state.virtual_at = at;
            state.wall_at = wall;
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
            None => {
                state.virtual_at = moved;
                state.wall_at = wall;
            }
        }
    }

    /// Applies `change` whole, or not at all when the clock would leave its range or the
    /// speed is out of bounds.
    pub fn change(&self, change: ClockChange) -> Result<(), ClockChangeError> {
        let wall = OffsetDateTime::now_utc();
        let mut state = self.state();
        let mut next = state.anchored(wall);
        if let Some(at) = change.freeze_at {
            next.frozen = Some(in_range(at)?);
        }
        if let Some(by) = change.advance {
            let moved = next.now(wall).checked_add(by).ok_or(OutOfRange)?;
            in_range(moved)?;
            match next.frozen.as_mut() {
                Some(at) => *at = moved,
                None => next.virtual_at = moved,
            }
        }
        if change.resume
            && let Some(at) = next.frozen.take()
        {
            next.virtual_at = at;
            next.wall_at = wall;
        }
        if let Some(speed) = change.speed {
            next.speed = checked_speed(speed)?;
        }
        if change.reset {
            next = ClockState::running_at(wall);
        }
        *state = next;
        Ok(())
    }

    /// Sets the speed of the running clock (virtual seconds per wall-clock second).
    pub fn set_speed(&self, speed: f64) -> Result<(), BadSpeed> {
        let speed = checked_speed(speed)?;
        let wall = OffsetDateTime::now_utc();
        let mut state = self.state();
        *state = state.anchored(wall);
        state.speed = speed;
        Ok(())
    }

    /// Virtual seconds per wall-clock second while running.
    pub fn speed(&self) -> f64 {
        self.state().speed
    }

    /// Whether the clock stands still.
    pub fn is_frozen(&self) -> bool {
        self.state().frozen.is_some()
    }

    /// Back to the wall clock, at speed 1.
    pub fn reset(&self) {
        *self.state() = ClockState::running_at(OffsetDateTime::now_utc());
    }
}

/// Why a clock change was refused (the clock is left as it was).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClockChangeError {
    /// It would leave the supported range.
    #[error(transparent)]
    OutOfRange(#[from] OutOfRange),
    /// The speed is out of bounds.
    #[error(transparent)]
    BadSpeed(#[from] BadSpeed),
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
            assert_eq!(
                clock.change(advance(300_000_000_000)),
                Err(OutOfRange.into())
            );
            assert_eq!(
                clock.change(advance(-300_000_000_000)),
                Err(OutOfRange.into())
            );
            assert_eq!(clock.change(advance(i64::MAX)), Err(OutOfRange.into()));
            assert_eq!(
                clock.change(freeze(datetime!(9999-12-31 23:59:59 UTC))),
                Err(OutOfRange.into())
            );
            assert_eq!(
                clock.change(freeze(datetime!(1999-12-31 18:29:59 UTC))),
                Err(OutOfRange.into())
            );
            // One change is applied whole or not at all.
            let refused = clock.change(ClockChange {
                freeze_at: Some(start),
                advance: Some(Duration::days(365 * 200)),
                ..ClockChange::default()
            });
            assert_eq!(refused, Err(OutOfRange.into()));
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
    fn a_running_clock_moves_at_its_speed_and_keeps_its_time_when_the_speed_changes() {
        let w0 = datetime!(2026-03-31 04:30:00 UTC);
        let mut state = ClockState::running_at(w0);
        state.speed = 3600.0;
        assert_eq!(
            state.now(w0 + Duration::seconds(1)),
            w0 + Duration::hours(1)
        );
        // Re-anchored at a later wall time and slowed down: no jump.
        let w1 = w0 + Duration::seconds(2);
        let mut slower = state.anchored(w1);
        slower.speed = 1.0;
        assert_eq!(slower.now(w1), w0 + Duration::hours(2));
        assert_eq!(
            slower.now(w1 + Duration::seconds(30)),
            w0 + Duration::hours(2) + Duration::seconds(30)
        );
        // Far beyond the range, it stops at the edge instead of overflowing.
        state.speed = MAX_SPEED;
        assert_eq!(state.now(w0 + Duration::days(365 * 80)), LATEST);
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, MAX_SPEED * 2.0] {
            assert_eq!(checked_speed(bad), Err(BadSpeed), "{bad}");
        }
        let clock = Clock::fixed(w0);
        assert!(clock.set_speed(0.0).is_err());
        assert!(clock.set_speed(60.0).is_ok());
        assert_eq!(clock.now(), w0, "a frozen clock stays frozen at any speed");
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
