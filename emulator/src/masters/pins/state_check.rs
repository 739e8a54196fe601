//! Does a PIN belong to a state code (error 2178)?
//!
//! Two readings of NIC's unpublished master are offered. `IrpRanges` follows the
//! three-digit ranges a widely used client checks before calling the IRP, on the grounds
//! that production clients are written against what the portal enforces; `PrefixTable`
//! is stricter and follows where India Post actually puts each prefix. `Off` exists
//! because neither is known to be NIC's.

use std::sync::OnceLock;

use super::{FOREIGN_PIN, prefix_of};

const RANGES_CSV: &str = include_str!("../../../data/pin-state-ranges.csv");

/// `Stcd` of a party outside India.
const FOREIGN: u8 = 96;
/// `Stcd` "Other Territory".
const OTHER_TERRITORY: u8 = 97;
/// Telangana and Ladakh: missing from the range table, so taken from the prefix table.
const NOT_IN_RANGES: [u8; 2] = [36, 38];

/// Which master `pin_belongs_to_state` checks against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PinStateCheck {
    /// The IRP-style prefix ranges (`pin-state-ranges.csv`), with Telangana (36) and
    /// Ladakh (38) filled in from `pin-prefix.csv`. Overlapping ranges are all accepted.
    #[default]
    IrpRanges,
    /// Only the states India Post records under the prefix (`pin-prefix.csv`).
    PrefixTable,
    /// No check: every PIN belongs to every state.
    Off,
}

/// One inclusive range of three-digit prefixes assigned to a state.
#[derive(Debug)]
struct Range {
    stcd: u8,
    from: u16,
    to: u16,
}

fn ranges() -> &'static [Range] {
    static RANGES: OnceLock<Vec<Range>> = OnceLock::new();
    RANGES.get_or_init(|| {
        super::super::csv_records(RANGES_CSV)
            .filter_map(|row| {
                Some(Range {
                    stcd: row.first()?.parse().ok()?,
                    from: row.get(1)?.parse().ok()?,
                    to: row.get(2)?.parse().ok()?,
                })
            })
            .collect()
    })
}

fn in_ranges(prefix: u16, stcd: u8) -> bool {
    ranges()
        .iter()
        .any(|r| r.stcd == stcd && (r.from..=r.to).contains(&prefix))
}

/// Whether `pin` may be used with state code `stcd` under `mode`.
///
/// 999999 goes only with 96 (foreign) and 97 (Other Territory), and 96 only with 999999;
/// 97 with a real PIN is refused, since no rule for it is known. A PIN whose prefix is not
/// in `pin-prefix.csv` belongs to no state.
pub fn pin_belongs_to_state(pin: u32, stcd: u8, mode: PinStateCheck) -> bool {
    if mode == PinStateCheck::Off {
        return true;
    }
    if pin == FOREIGN_PIN {
        return stcd == FOREIGN || stcd == OTHER_TERRITORY;
    }
    if stcd == FOREIGN || stcd == OTHER_TERRITORY {
        return false;
    }
    let Some(row) = prefix_of(pin) else {
        return false;
    };
    let recorded = row.state_codes.contains(&stcd);
    match mode {
        PinStateCheck::IrpRanges => {
            in_ranges(row.prefix, stcd) || (NOT_IN_RANGES.contains(&stcd) && recorded)
        }
        PinStateCheck::PrefixTable => recorded,
        PinStateCheck::Off => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PinStateCheck::{IrpRanges, Off, PrefixTable};

    #[test]
    fn range_table_is_complete() {
        assert_eq!(ranges().len(), 39);
        assert!(ranges().iter().all(|r| r.from <= r.to));
    }

    /// `(pin, stcd, IrpRanges, PrefixTable)`.
    const CASES: &[(u32, u8, bool, bool)] = &[
        (560_001, 29, true, true),
        (560_001, 27, false, false),
        (110_001, 7, true, true),
        (110_001, 9, false, false),
        // Telangana: outside the ranges, filled in from the prefix table.
        (500_001, 36, true, true),
        (509_001, 36, true, true),
        (500_001, 37, true, false),
        (510_001, 36, false, false),
        // Ladakh inside Jammu and Kashmir's range.
        (194_101, 38, true, true),
        (194_101, 1, true, false),
        // Goa inside Maharashtra's range.
        (403_001, 30, true, true),
        (403_001, 27, true, false),
        // Punjab and Chandigarh share 160.
        (160_001, 3, true, true),
        (160_001, 4, true, true),
        (140_001, 4, false, false),
        // Puducherry's enclaves.
        (533_464, 34, true, true),
        (673_310, 34, true, true),
        (605_001, 33, true, true),
        // Bihar and Jharkhand overlap in the ranges, not everywhere in the data.
        (824_101, 20, true, false),
        (834_001, 10, true, false),
        (834_001, 20, true, true),
        // Meghalaya villages with Assam PINs: only the data knows them.
        (781_001, 17, false, true),
        (781_001, 18, true, true),
        // Retired Daman and Diu: its prefixes belong to 26.
        (396_210, 26, true, true),
        (396_210, 25, false, false),
        // Foreign parties and Other Territory.
        (999_999, 96, true, true),
        (999_999, 97, true, true),
        (999_999, 29, false, false),
        (560_001, 96, false, false),
        (560_001, 97, false, false),
        // Prefixes the table does not know.
        (999_001, 29, false, false),
        (900_001, 29, false, false),
        (100, 29, false, false),
        (1_560_001, 29, false, false),
    ];

    #[test]
    fn pin_state_table() {
        for &(pin, stcd, irp, prefix) in CASES {
            assert_eq!(
                pin_belongs_to_state(pin, stcd, IrpRanges),
                irp,
                "{pin}/{stcd:02} IrpRanges"
            );
            assert_eq!(
                pin_belongs_to_state(pin, stcd, PrefixTable),
                prefix,
                "{pin}/{stcd:02} PrefixTable"
            );
            assert!(pin_belongs_to_state(pin, stcd, Off), "{pin}/{stcd:02} Off");
        }
    }

    #[test]
    fn data_pairs_outside_ranges_are_the_listed_ones() {
        // Every (prefix, state) pair in the data is accepted by IrpRanges, apart from the
        // disagreements the reference pack lists (781/782 -> 17, 802 -> 09).
        for row in super::super::table() {
            for &stcd in &row.state_codes {
                let pin = u32::from(row.prefix) * 1000 + 1;
                let listed_gap = matches!((row.prefix, stcd), (781 | 782, 17) | (802, 9));
                assert_eq!(
                    pin_belongs_to_state(pin, stcd, IrpRanges),
                    !listed_gap,
                    "{}/{stcd:02}",
                    row.prefix
                );
            }
        }
    }

    #[test]
    fn mode_names_in_config() {
        #[derive(serde::Deserialize)]
        struct Cfg {
            mode: PinStateCheck,
        }
        for (text, mode) in [
            ("irp-ranges", IrpRanges),
            ("prefix-table", PrefixTable),
            ("off", Off),
        ] {
            let cfg: Cfg = toml::from_str(&format!("mode = \"{text}\"")).unwrap();
            assert_eq!(cfg.mode, mode);
        }
        assert_eq!(PinStateCheck::default(), IrpRanges);
    }
}
