//! The HSN/SAC master behind `HsnCd` (error 2176): the 4-, 6- and 8-digit codes of the GST
//! portal's list, as `emulator/data/hsn-codes.csv` holds them.
//!
//! NIC rejects codes that are well-formed but not in its master (2025 production: "HSN
//! code(s)-521211 is invalid"), so a shape check alone accepts invoices the IRP refuses.
//! The code is compared as sent: HSNs are digits, there is no case to fold.

use std::{collections::HashSet, sync::OnceLock};

const HSN_CSV: &str = include_str!("../../data/hsn-codes.csv");

fn codes() -> &'static HashSet<&'static str> {
    static CODES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    CODES.get_or_init(|| {
        HSN_CSV
            .lines()
            .skip(1)
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect()
    })
}

/// Whether `code` is an HSN or SAC code of the master.
pub fn is_hsn_code(code: &str) -> bool {
    codes().contains(code)
}

/// Every code of the master, in no particular order (for generators of valid invoices).
pub fn hsn_codes() -> impl Iterator<Item = &'static str> {
    codes().iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_holds_every_code_of_the_portal_list() {
        assert_eq!(codes().len(), 18_687);
        assert!(codes().iter().all(|c| matches!(c.len(), 4 | 6 | 8)));
    }

    #[test]
    fn known_and_unknown_codes() {
        for (code, known) in [
            // NIC's own sample invoice, and common goods and services.
            ("1001", true),
            ("84713010", true),
            ("8471", true),
            ("998314", true),
            ("6114", true),
            // Rejected by NIC production in 2025 with 2176.
            ("521211", false),
            ("391520", false),
            ("0000", false),
            ("84713", false),
            ("", false),
        ] {
            assert_eq!(is_hsn_code(code), known, "{code:?}");
        }
    }
}
