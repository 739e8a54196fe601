//! The IRN: SHA-256 of the document's identity, as NIC computes it.
//!
//! `IRN = lowercase_hex(SHA-256(SellerGstin + FY + DocTyp + DocNo))`, no separators, FY as
//! `YYYY-YY` of the Indian financial year (1 April to 31 March) containing the document date.
//! Since June 2025 document numbers are case-insensitive: the number is upper-cased before
//! hashing by default; [`DocNoCase::Exact`] reproduces IRNs generated before the change.

use std::fmt;

use aws_lc_rs::digest;
use time::{Date, Month};

use crate::{gstin::Gstin, invoice::DocType};

/// The Indian financial year containing a date, printed `YYYY-YY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FinancialYear(i32);

impl FinancialYear {
    /// The financial year of `date` (April to March).
    pub fn of(date: Date) -> Self {
        let start = if date.month() >= Month::April {
            date.year()
        } else {
            date.year() - 1
        };
        Self(start)
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

/// How the document number enters the hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DocNoCase {
    /// Upper-cased (NIC's rule since June 2025).
    #[default]
    Upper,
    /// Exactly as sent (the rule before).
    Exact,
}

/// A 64-character lower-case hex IRN.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Irn(String);

impl Irn {
    /// Derives the IRN of a document.
    pub fn derive(
        seller: &Gstin,
        year: FinancialYear,
        doc_type: DocType,
        doc_no: &str,
        case: DocNoCase,
    ) -> Self {
        let number = match case {
            DocNoCase::Upper => doc_no.to_uppercase(),
            DocNoCase::Exact => doc_no.to_owned(),
        };
        let identity = format!("{seller}{year}{}{number}", doc_type.code());
        let hash = digest::digest(&digest::SHA256, identity.as_bytes());
        Self(crate::crypto::hex_lower(hash.as_ref()))
    }

    /// Accepts exactly 64 lower- or upper-case hex characters (stored lower-case).
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(text.to_ascii_lowercase()))
    }

    /// The IRN text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Irn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Irn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Irn({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    /// Every row of NIC's real IRNs (reference pack `irn-vectors.csv`), with the case rule
    /// that reproduces it.
    #[test]
    fn reproduces_every_reference_vector() {
        let rows: Vec<Vec<String>> =
            crate::masters::csv_records(include_str!("../data/irn-vectors.csv")).collect();
        assert_eq!(rows.len(), 9);
        for row in rows {
            let [
                gstin,
                fy,
                typ,
                sent,
                hashed,
                _dt,
                irn,
                _irn_dt,
                _env,
                rule,
                ..,
            ] = row.as_slice()
            else {
                panic!("short row {row:?}");
            };
            let start: i32 = fy[..4].parse().unwrap();
            let year = FinancialYear(start);
            assert_eq!(&year.to_string(), fy);
            let case = if rule.starts_with("upper") {
                DocNoCase::Upper
            } else {
                DocNoCase::Exact
            };
            let derived = Irn::derive(
                &Gstin::parse(gstin).unwrap(),
                year,
                DocType::parse(typ).unwrap(),
                sent,
                case,
            );
            assert_eq!(
                derived.as_str(),
                irn,
                "{gstin} {fy} {typ} {sent} ({hashed})"
            );
            if rule.starts_with("either") {
                let other = Irn::derive(
                    &Gstin::parse(gstin).unwrap(),
                    year,
                    DocType::parse(typ).unwrap(),
                    sent,
                    DocNoCase::Upper,
                );
                assert_eq!(other.as_str(), irn);
            }
        }
    }

    #[test]
    fn financial_years() {
        assert_eq!(
            FinancialYear::of(date!(2025 - 03 - 02)).to_string(),
            "2024-25"
        );
        assert_eq!(
            FinancialYear::of(date!(2022 - 09 - 16)).to_string(),
            "2022-23"
        );
        assert_eq!(
            FinancialYear::of(date!(2023 - 04 - 01)).to_string(),
            "2023-24"
        );
        assert_eq!(
            FinancialYear::of(date!(2023 - 03 - 31)).to_string(),
            "2022-23"
        );
        assert_eq!(
            FinancialYear::of(date!(2099 - 12 - 31)).to_string(),
            "2099-00"
        );
    }

    #[test]
    fn nic_sample() {
        let irn = Irn::derive(
            &Gstin::parse("34AACCC1596Q002").unwrap(),
            FinancialYear::of(date!(2025 - 03 - 02)),
            DocType::Invoice,
            "DOC1/60951",
            DocNoCase::Upper,
        );
        assert_eq!(
            irn.as_str(),
            "c5dcfa9f8cf4d9751b4d6e4c595bc5cd43f3fadadbebc47b028b77d580129ede"
        );
    }

    proptest! {
        #[test]
        fn derive_is_deterministic_hex_and_case_insensitive_by_default(
            number in "[A-Za-z0-9/-]{1,16}", month in 1u8..=12, year in 2017i32..2030,
        ) {
            let gstin = Gstin::parse("29AAACL1111A1ZD").unwrap();
            let fy = FinancialYear::of(Date::from_calendar_date(year, Month::try_from(month).unwrap(), 1).unwrap());
            let a = Irn::derive(&gstin, fy, DocType::Invoice, &number, DocNoCase::Upper);
            let b = Irn::derive(&gstin, fy, DocType::Invoice, &number.to_lowercase(), DocNoCase::Upper);
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(a.as_str().len(), 64);
            prop_assert!(a.as_str().bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
            prop_assert_eq!(Irn::parse(a.as_str()), Some(a.clone()));
        }
    }
}
