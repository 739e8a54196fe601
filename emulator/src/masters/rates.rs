//! The GST rates the IRP accepts in `GstRt` (a line with any other rate is rejected).
//!
//! Rates arrive as JSON numbers, so `0.25` may not be bit-for-bit the value parsed from
//! the CSV; a tolerance far below the smallest step between slabs (0.1) absorbs that
//! without letting a neighbouring rate through.

use std::sync::OnceLock;

const GST_RATES_CSV: &str = include_str!("../../data/gst-rates.csv");

/// How far a sent rate may be from a master rate and still count as that rate.
const TOLERANCE: f64 = 1e-9;

fn rates() -> &'static [f64] {
    static RATES: OnceLock<Vec<f64>> = OnceLock::new();
    RATES.get_or_init(|| {
        super::csv_records(GST_RATES_CSV)
            .filter_map(|row| row.first()?.parse().ok())
            .collect()
    })
}

/// Whether `rate` (a percentage, e.g. `18.0`) is one of the rates in the master.
pub fn is_gst_rate(rate: f64) -> bool {
    rates().iter().any(|r| (r - rate).abs() <= TOLERANCE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_is_complete() {
        assert_eq!(rates().len(), 13);
    }

    #[test]
    fn accepts_master_rates_only() {
        for (rate, known) in [
            (0.0, true),
            (0.1, true),
            (0.25, true),
            (3.0, true),
            (5.0, true),
            (18.0, true),
            (28.0, true),
            (40.0, true),
            (18.0 + 1e-12, true),
            (17.0, false),
            (18.01, false),
            (0.2, false),
            (-18.0, false),
            (f64::NAN, false),
            (f64::INFINITY, false),
        ] {
            assert_eq!(is_gst_rate(rate), known, "{rate}");
        }
    }
}
