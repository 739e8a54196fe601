//! PIN codes: which state a PIN may be used with (error 2178) and how far apart two PINs
//! are (the e-way bill distance the IRP fills in when `Distance` is 0).
//!
//! NIC keeps both masters to itself. The emulator approximates them from the three-digit
//! prefix table (`pin-prefix.csv`: states and a centroid per prefix) and the IRP-style
//! state ranges (`pin-state-ranges.csv`); see the reference pack's
//! `masters/pin-state-ranges.md`. Both answers are configurable because neither is NIC's.

mod distance;
mod state_check;

use std::sync::OnceLock;

pub use self::{
    distance::{DistanceError, DistanceModel},
    state_check::{PinStateCheck, pin_belongs_to_state},
};

const PIN_PREFIX_CSV: &str = include_str!("../../../data/pin-prefix.csv");

/// The PIN sent for a party outside India (`Stcd` 96) or in "Other Territory" (97).
const FOREIGN_PIN: u32 = 999_999;

/// One row of `pin-prefix.csv`.
#[derive(Debug)]
struct Prefix {
    prefix: u16,
    /// GST state codes seen under the prefix, the one with most PINs first.
    state_codes: Vec<u8>,
    lat: f64,
    lon: f64,
}

fn table() -> &'static [Prefix] {
    static TABLE: OnceLock<Vec<Prefix>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rows: Vec<Prefix> = super::csv_records(PIN_PREFIX_CSV)
            .filter_map(|row| {
                Some(Prefix {
                    prefix: row.first()?.parse().ok()?,
                    state_codes: row
                        .get(1)?
                        .split('|')
                        .map(str::parse)
                        .collect::<Result<_, _>>()
                        .ok()?,
                    lat: row.get(2)?.parse().ok()?,
                    lon: row.get(3)?.parse().ok()?,
                })
            })
            .collect();
        rows.sort_by_key(|p| p.prefix);
        rows
    })
}

fn lookup(prefix: u16) -> Option<&'static Prefix> {
    let rows = table();
    rows.binary_search_by_key(&prefix, |p| p.prefix)
        .ok()
        .and_then(|i| rows.get(i))
}

/// The prefix row a PIN falls under; `None` for a prefix the table does not know.
fn prefix_of(pin: u32) -> Option<&'static Prefix> {
    lookup(u16::try_from(pin / 1000).ok()?)
}

/// The centroid `(lat, lon)` in decimal degrees of a three-digit PIN prefix: the middle of
/// its populated area, good to a few tens of km. `None` if the prefix is not in the table.
pub fn centroid(prefix: u16) -> Option<(f64, f64)> {
    lookup(prefix).map(|p| (p.lat, p.lon))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete() {
        assert_eq!(table().len(), 404);
        assert_eq!(
            table().iter().map(|p| p.state_codes.len()).sum::<usize>(),
            422
        );
    }

    #[test]
    fn centroids() {
        assert_eq!(centroid(110), Some((28.6182, 77.1792)));
        assert_eq!(centroid(781), Some((26.2271, 91.4395)));
        assert_eq!(centroid(0), None);
        assert_eq!(centroid(900), None);
        assert_eq!(centroid(999), None);
    }

    #[test]
    fn multi_state_prefix_keeps_order() {
        assert_eq!(
            prefix_of(160_001).map(|p| p.state_codes.as_slice()),
            Some(&[4, 3][..])
        );
        assert!(prefix_of(99_999).is_none());
        assert!(prefix_of(1_100_001).is_none());
    }
}
