//! The case catalogue: every case of NIC's Test Summary Report the harness knows, as data.
//!
//! Scenario runs and journal mode name the same rows (`G-1`, `GF-12`), so the catalogue is
//! kept in one table ([`cases`]) instead of in each: its id, the API whose row it counts
//! toward, success or failure, the feature in words, what NIC answers, and whether a client
//! can reach it without the emulator's control namespace. [`classify_failure`] reads a
//! rejection back into a case, which is how the journal of a team's own traffic becomes the
//! report's rows.
//!
//! Two lines of the reference note carry both a found and a not-found outcome (RD-1, E-10);
//! here each is two rows, the second suffixed `-NF`. X-1 (cross-IRP) is left out: the
//! emulator is a single IRP and the case is not counted.
//!
//! # Header and token codes on any API
//!
//! Every IRP API checks the client headers and the token, so 1010 (AU-5), 1004/1011/1012
//! (AU-7) and 1005 (AU-11) can come from any of them. [`classify_failure`] matches those
//! cases whichever API answered, and the caller counts the outcome toward **the API that
//! was called**, not toward Authentication: NIC's minimums are counts of calls to each API,
//! and a rejected Generate IRN call is a Generate IRN failure whatever the reason. The case
//! id (AU-11) still says what the rejection shows.

mod table;

use serde::Serialize;

use crate::{
    api::{Api, Minimums},
    report::Kind,
};

/// One case of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CatalogueCase {
    /// Case id (`AU-1`, `G-5`, `GF-1`, `RD-1-NF`).
    pub id: &'static str,
    /// The API whose report row the case belongs to.
    pub api: Api,
    /// Success or failure case.
    pub kind: Kind,
    /// The feature shown, in words.
    pub feature: &'static str,
    /// What the IRP answers, in words (`Status 1`, `2150`, `1008 / 1017 / 1019`).
    pub expected: &'static str,
    /// The error codes of a failure case, any one of which shows it; empty for a success.
    pub codes: &'static [&'static str],
    /// Whether every API can answer the case's codes (header and token checks).
    pub any_api: bool,
    /// What, beyond ordinary calls, the case needs on the emulator (`None`: a client reaches
    /// it with its own traffic).
    pub needs: Option<&'static str>,
}

impl CatalogueCase {
    /// Whether a client reaches the case with ordinary calls, without the control namespace.
    pub fn reachable(&self) -> bool {
        self.needs.is_none()
    }

    /// Whether the case's API has NIC minimums.
    pub fn counted(&self) -> bool {
        Minimums::Nic.of(self.api).is_some()
    }

    /// Whether `code` shows this case when `api` answers it.
    pub fn matches(&self, api: Api, code: &str) -> bool {
        (self.api == api || self.any_api) && self.codes.contains(&code)
    }
}

/// Every case, in catalogue order.
pub fn cases() -> &'static [CatalogueCase] {
    table::CASES
}

/// The case with this id (exact match).
pub fn find(id: &str) -> Option<&'static CatalogueCase> {
    cases().iter().find(|case| case.id == id)
}

/// The failure case a rejection by `api` with `codes` shows, if the catalogue has one.
///
/// Codes are taken in the order the IRP listed them; the first that some case lists wins.
/// When several cases list the same code for the same API (GF-1 and GF-2 both answer 2150)
/// the code alone cannot tell them apart, so the first one a client reaches without the
/// control namespace is returned; telling GF-2 from GF-1 takes the history of the journal.
/// Header and token codes match on every API (see the [module docs](self)).
pub fn classify_failure(api: Api, codes: &[String]) -> Option<&'static CatalogueCase> {
    failure_candidates(api, codes).into_iter().next()
}

/// Every failure case a rejection by `api` with `codes` shows, one per distinct case, in
/// the order of [`classify_failure`] (whose answer is the first). A rejection listing
/// several codes (2172 and 2185) shows several cases.
pub fn failure_candidates(api: Api, codes: &[String]) -> Vec<&'static CatalogueCase> {
    let mut found: Vec<&'static CatalogueCase> = Vec::new();
    for code in codes {
        let mut matching = cases()
            .iter()
            .filter(|case| case.kind == Kind::Failure && case.matches(api, code.trim()));
        let first = matching.clone().find(|case| case.reachable());
        if let Some(case) = first.or_else(|| matching.next())
            && !found.iter().any(|seen| seen.id == case.id)
        {
            found.push(case);
        }
    }
    found
}

/// The case id of a rejection the catalogue has no case for: `GF-other` for Generate IRN,
/// `<prefix>-other` for the rest. Such a rejection is still a failure case of that API.
pub fn unmatched_id(api: Api) -> &'static str {
    match api {
        Api::Auth => "AU-other",
        Api::GenerateIrn => "GF-other",
        Api::CancelIrn => "C-other",
        Api::GenerateEwb => "E-other",
        Api::GetIrn => "R-other",
        Api::GstinDetails => "GS-other",
        Api::GetIrnByDocument => "RD-other",
        Api::SyncGstin => "GS-6-other",
        Api::GetEwb => "E-10-other",
        Api::CancelEwb => "E-11-other",
        Api::RejectedIrns => "RJ-other",
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// NIC's error list, as the emulator embeds it.
    const ERROR_CODES: &str = include_str!("../../../emulator/data/error-codes.csv");

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn ids_are_unique_and_found() {
        let mut seen = HashSet::new();
        for case in cases() {
            assert!(seen.insert(case.id), "{} twice", case.id);
            assert_eq!(find(case.id), Some(case));
            assert!(
                !case.feature.is_empty() && !case.expected.is_empty(),
                "{}",
                case.id
            );
        }
        assert_eq!(find("X-1"), None);
        assert_eq!(find("g-1"), None);
        for api in Api::ALL {
            assert!(find(unmatched_id(api)).is_none());
        }
    }

    #[test]
    fn failure_cases_have_codes_and_success_cases_none() {
        for case in cases() {
            match case.kind {
                Kind::Failure => assert!(!case.codes.is_empty(), "{} has no code", case.id),
                Kind::Success => assert!(case.codes.is_empty(), "{} has codes", case.id),
            }
            assert!(!case.any_api || case.api == Api::Auth, "{}", case.id);
        }
    }

    #[test]
    fn every_code_is_in_nics_error_list() {
        // Notes hold quoted commas: read it as CSV, not by splitting lines.
        let known: HashSet<String> = csv::Reader::from_reader(ERROR_CODES.as_bytes())
            .records()
            .map(|record| record.unwrap()[0].to_owned())
            .collect();
        assert!(known.len() > 200);
        for case in cases() {
            for code in case.codes {
                assert!(
                    known.contains(*code),
                    "{}: {code} not in error-codes.csv",
                    case.id
                );
            }
        }
    }

    #[test]
    fn every_counted_api_has_success_and_failure_cases() {
        for api in Api::ALL
            .into_iter()
            .filter(|a| Minimums::Nic.of(*a).is_some())
        {
            for kind in [Kind::Success, Kind::Failure] {
                assert!(
                    cases()
                        .iter()
                        .any(|c| c.api == api && c.kind == kind && c.reachable()),
                    "{api}: no reachable {kind:?} case"
                );
            }
        }
    }

    #[test]
    fn rejections_classify_by_api_and_code() {
        let table: &[(Api, &[&str], Option<&str>)] = &[
            (Api::GenerateIrn, &["2150"], Some("GF-1")),
            (Api::GenerateIrn, &["2278"], Some("GF-3")),
            (Api::GenerateIrn, &["2140", "2140"], Some("GF-4")),
            (Api::GenerateIrn, &["3029"], Some("GF-6")),
            (Api::GenerateIrn, &["2177"], Some("GF-7")),
            (Api::GenerateIrn, &["2163"], Some("GF-8")),
            (Api::GenerateIrn, &["2305"], Some("GF-9")),
            (Api::GenerateIrn, &["2186"], Some("GF-16")),
            (Api::GenerateIrn, &["9999"], None),
            (Api::GenerateIrn, &["2255", "2172"], Some("GF-12")),
            (Api::CancelIrn, &["9999"], Some("C-2")),
            (Api::CancelIrn, &["2230"], Some("C-3")),
            (Api::CancelIrn, &["2143"], Some("C-4")),
            (Api::CancelIrn, &["2270"], Some("C-5")),
            (Api::CancelIrn, &["2140"], Some("C-6")),
            (Api::CancelIrn, &["2148"], Some("C-7")),
            (Api::GetIrn, &["2143"], Some("R-5")),
            (Api::GetIrn, &["2283"], Some("R-3")),
            (Api::GetIrnByDocument, &["2148"], Some("RD-1-NF")),
            (Api::Auth, &["1010"], Some("AU-5")),
            (Api::Auth, &["1017"], Some("AU-6")),
            (Api::Auth, &[" 1019 "], Some("AU-6")),
            (Api::Auth, &["1011"], Some("AU-7")),
            (Api::Auth, &["1007"], Some("AU-8")),
            (Api::Auth, &["1016"], Some("AU-9")),
            (Api::Auth, &["1015"], Some("AU-10")),
            (Api::Auth, &["1014"], None),
            (Api::Auth, &["1005"], Some("AU-11")),
            (Api::GenerateIrn, &["1005"], Some("AU-11")),
            (Api::GstinDetails, &["1012"], Some("AU-7")),
            (Api::GetIrn, &["1019"], None),
            (Api::GstinDetails, &["3001"], Some("GS-3")),
            (Api::GstinDetails, &["3030"], Some("GS-4")),
            (Api::GenerateEwb, &["4022"], Some("E-8")),
            (Api::GetEwb, &["4005"], Some("E-10-NF")),
            (Api::CancelEwb, &["312"], None),
            (Api::GenerateIrn, &[], None),
        ];
        for (api, list, want) in table {
            let got = classify_failure(*api, &codes(list)).map(|c| c.id);
            assert_eq!(got, *want, "{api:?} {list:?}");
        }
    }

    #[test]
    fn several_codes_give_several_candidates_once_each() {
        let found = failure_candidates(Api::GenerateIrn, &codes(&["2172", "2185", "2174", "2182"]));
        let ids: Vec<&str> = found.iter().map(|c| c.id).collect();
        assert_eq!(ids, ["GF-12", "GF-16"]);
    }
}
