//! Unit quantity codes (UQC), the master behind `Unit` on an invoice line (error 2177).
//!
//! The IRP compares the code as sent against its master, so "nos" is not "NOS": the
//! check is an exact match, never case-folded, or the emulator would accept invoices
//! the portal rejects.

use std::sync::OnceLock;

const UQC_CSV: &str = include_str!("../../data/uqc.csv");

fn codes() -> &'static [String] {
    static CODES: OnceLock<Vec<String>> = OnceLock::new();
    CODES.get_or_init(|| {
        super::csv_records(UQC_CSV)
            .filter_map(|row| row.into_iter().next())
            .collect()
    })
}

/// Whether `code` is in the UQC master, compared exactly (upper case, as the IRP does).
pub fn is_unit_code(code: &str) -> bool {
    codes().iter().any(|c| c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_is_complete() {
        assert_eq!(codes().len(), 45);
    }

    #[test]
    fn exact_match_only() {
        for (code, known) in [
            ("NOS", true),
            ("KGS", true),
            ("OTH", true),
            ("YDS", true),
            ("XYZ", false),
            ("nos", false),
            ("Kgs", false),
            (" NOS", false),
            ("NOS ", false),
            ("", false),
        ] {
            assert_eq!(is_unit_code(code), known, "{code:?}");
        }
    }
}
