//! How long an e-way bill is valid: CGST Rule 138(10).
//!
//! One day per 200 km or part (20 km for over-dimensional cargo), each day ending at 23:59
//! of the following date, counted from the generation date. An e-way bill without Part-B
//! (no transport mode) has no validity; that decision is the caller's.

use time::{Date, Duration, OffsetDateTime, Time};

use crate::clock::IST;

/// The end of validity for `distance_km` from `generated`.
pub fn valid_till(generated: OffsetDateTime, distance_km: u32, odc: bool) -> OffsetDateTime {
    let per_day = if odc { 20 } else { 200 };
    let days = distance_km.div_ceil(per_day).max(1);
    let start = generated.to_offset(IST).date();
    let date = start
        .checked_add(Duration::days(days.into()))
        .unwrap_or(Date::MAX);
    date.with_time(Time::from_hms(23, 59, 0).unwrap_or(Time::MIDNIGHT))
        .assume_offset(IST)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::format_ist;
    use time::macros::datetime;

    #[test]
    fn validity_matches_nic_samples() {
        // 2022-09-16 19:29 IST, 2467 km → 13 days.
        let generated = datetime!(2022-09-16 19:29:00 +5:30);
        assert_eq!(
            format_ist(valid_till(generated, 2467, false)),
            "2022-09-29 23:59:00"
        );
        let generated = datetime!(2025-03-15 19:59:08 +5:30);
        assert_eq!(
            format_ist(valid_till(generated, 1, false)),
            "2025-03-16 23:59:00"
        );
        assert_eq!(
            format_ist(valid_till(generated, 200, false)),
            "2025-03-16 23:59:00"
        );
        assert_eq!(
            format_ist(valid_till(generated, 201, false)),
            "2025-03-17 23:59:00"
        );
        assert_eq!(
            format_ist(valid_till(generated, 41, true)),
            "2025-03-18 23:59:00"
        );
        // No overflow, whatever the distance.
        assert_eq!(valid_till(generated, u32::MAX, true).date(), Date::MAX);
    }
}
