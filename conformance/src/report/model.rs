//! The one report model every output format is written from.
//!
//! A run (or a journal) produces [`Outcome`]s; [`Report::build`] folds them into the
//! per-API tallies and the case grid. Writers only read this model, so the XLSX, PDF, JSON,
//! JUnit and Markdown outputs cannot disagree on a count.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::{Api, Minimums};

/// The header block of NIC's form: who tested, with what, when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Header {
    /// Company (or GSP / ERP) name.
    pub company: String,
    /// GSP, ERP, taxpayer (direct API).
    pub user_type: String,
    /// GSP or ERP product name.
    pub product: String,
    /// Project manager: name, designation, mail, phone.
    pub project_manager: String,
    /// Technical point of contact: name, designation, mail, phone.
    pub technical_contact: String,
    /// GSTINs used in testing.
    pub gstins: Vec<String>,
    /// API user ids used in testing.
    pub user_ids: Vec<String>,
    /// First day of testing (`yyyy-mm-dd`).
    pub testing_from: String,
    /// Last day of testing (`yyyy-mm-dd`).
    pub testing_to: String,
    /// Where the cases ran: base URL of the IRP.
    pub target: String,
    /// How the report was produced: `irp-conformance run …` or `… report --journal …`.
    pub source: String,
    /// Tool name and version.
    pub tool: String,
    /// When the report was written (RFC 3339).
    pub generated_at: String,
    /// The generator seed of a run.
    pub seed: Option<u64>,
    /// The filters the outcomes were selected with (`--filter`, `--client-id`, `--gstin`,
    /// `--user`), as `flag value`; empty when none was applied.
    pub filters: Vec<String>,
}

/// The mark of a report that is not evidence for NIC: every format carries it.
pub const REHEARSAL: &str = "REHEARSAL against the local emulator: not evidence for NIC";

/// Whether a case expects the IRP to accept or to reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `Status` 1 expected.
    Success,
    /// `Status` 0 with a given error code expected.
    Failure,
}

/// What happened to one step (or one journaled call).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The answer met every expectation.
    Passed,
    /// The answer missed an expectation.
    Failed,
    /// Not run (the profile or target lacks what the step needs).
    Skipped,
}

/// A request and its answer, decrypted, as shown for a representative call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// `METHOD path`.
    pub call: String,
    /// The request body after decryption (secrets masked), pretty JSON.
    pub request: String,
    /// The answer with `Data` decrypted, pretty JSON.
    pub response: String,
}

/// One counted or uncounted operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Scenario name (or `journal`).
    pub scenario: String,
    /// Step name within the scenario, with the repetition (`generate#3`).
    pub step: String,
    /// The API called, if it was an IRP API.
    pub api: Option<Api>,
    /// The report row: case id (`G-1`), or `None` when the step counts toward nothing.
    pub case: Option<String>,
    /// The feature the case shows (`B2B inter-state (IGST)`).
    pub feature: String,
    /// Success or failure case.
    pub kind: Kind,
    /// What was expected, in words (`Status 1, signature valid` / `2150`).
    pub expected: String,
    /// What came back (`Status 1` / `Status 0: 2150 Duplicate IRN`).
    pub actual: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Why it failed or was skipped; empty when it passed.
    pub reasons: Vec<String>,
    /// Time taken, milliseconds.
    pub millis: u64,
    /// The exchange, decrypted.
    pub exchange: Option<Exchange>,
    /// The IRP that answered, by name, in a run or journal of several IRPs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub irp: Option<String>,
    /// What came back, whole, for comparing two IRPs step by step (`irp-conformance
    /// parity`); the exchange above is cut for display. Kept in memory only, never written
    /// to a report file.
    #[serde(skip)]
    pub reply: Option<Reply>,
}

/// The parts of an answer two IRPs are compared on: statuses, codes and the decrypted
/// `Data`, none of it cut.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reply {
    /// HTTP status.
    pub http_status: u16,
    /// `Status` (1 or 0), if any.
    pub status: Option<u64>,
    /// Every `ErrorDetails[].ErrorCode`, in the order sent.
    pub error_codes: Vec<String>,
    /// Every `InfoDtls[].InfCd`, in the order sent.
    pub info_codes: Vec<String>,
    /// The decrypted `Data` (null when there is none).
    pub data: Value,
}

/// Success and failure counts of one API against NIC's minimums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// The API.
    pub api: Api,
    /// Minimum successful cases, if the API is counted.
    pub min_success: Option<u32>,
    /// Minimum failure cases, if the API is counted.
    pub min_failure: Option<u32>,
    /// Success cases that passed.
    pub success: u32,
    /// Failure cases that passed (rejected with the expected code).
    pub failure: u32,
    /// Steps that did not meet their expectation.
    pub failed: u32,
    /// Steps not run.
    pub skipped: u32,
}

impl Tally {
    /// Both minimums reached (always true for an uncounted API).
    pub fn met(&self) -> bool {
        self.min_success.is_none_or(|m| self.success >= m)
            && self.min_failure.is_none_or(|m| self.failure >= m)
    }

    /// Whether the API has minimums.
    pub fn counted(&self) -> bool {
        self.min_success.is_some()
    }
}

/// One row of the API × feature grid: every outcome of one case id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// The API.
    pub api: Api,
    /// Case id (`G-1`, `GF-1`).
    pub id: String,
    /// Feature in words.
    pub feature: String,
    /// Success or failure case.
    pub kind: Kind,
    /// Expected result (of the first outcome).
    pub expected: String,
    /// Actual result: of the first failing outcome, else of the first.
    pub actual: String,
    /// Outcomes run (not skipped).
    pub runs: u32,
    /// Outcomes that passed.
    pub passed: u32,
    /// A representative exchange: the first failing one, else the first.
    pub representative: Option<Exchange>,
}

impl Case {
    /// `Passed` when every run passed, `Skipped` when none ran.
    pub fn verdict(&self) -> Verdict {
        if self.runs == 0 {
            Verdict::Skipped
        } else if self.passed == self.runs {
            Verdict::Passed
        } else {
            Verdict::Failed
        }
    }
}

/// The Test Summary Report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Header block.
    pub header: Header,
    /// Which minimums were applied.
    pub minimums: Minimums,
    /// One tally per API, in [`Api::ALL`] order; APIs never called are left out unless counted.
    pub tallies: Vec<Tally>,
    /// The case grid, by API then case id.
    pub cases: Vec<Case>,
    /// Every outcome, in run order.
    pub outcomes: Vec<Outcome>,
    /// What is still needed before the report can be sent (minimums short, cases failing,
    /// and outside a rehearsal the header fields left empty).
    pub missing: Vec<String>,
    /// Why this report is a rehearsal ([`REHEARSAL`]): the cases ran against the local
    /// emulator, or the journal came from it. `None` for a report from a real IRP.
    #[serde(default, rename = "rehearsal_reason")]
    pub rehearsal: Option<String>,
    /// Journal mode: the catalogue cases no call showed yet (see
    /// [`crate::journal::missing_cases`]); `None` for a run, whose scenarios choose the cases.
    #[serde(default)]
    pub never_seen: Option<Vec<String>>,
}

impl Report {
    /// Folds `outcomes` into tallies, the case grid and the list of what is missing.
    pub fn build(header: Header, minimums: Minimums, outcomes: Vec<Outcome>) -> Self {
        let mut tallies: BTreeMap<Api, Tally> = Api::ALL
            .into_iter()
            .filter_map(|api| {
                let min = minimums.of(api)?;
                Some((api, Tally::empty(api, Some(min.success), Some(min.failure))))
            })
            .collect();
        let mut cases: BTreeMap<(Api, String), Case> = BTreeMap::new();
        for outcome in &outcomes {
            let Some(api) = outcome.api else { continue };
            let tally = tallies
                .entry(api)
                .or_insert_with(|| Tally::empty(api, None, None));
            match (outcome.verdict, outcome.kind) {
                (Verdict::Passed, Kind::Success) => tally.success += 1,
                (Verdict::Passed, Kind::Failure) => tally.failure += 1,
                (Verdict::Failed, _) => tally.failed += 1,
                (Verdict::Skipped, _) => tally.skipped += 1,
            }
            let Some(id) = &outcome.case else { continue };
            let case = cases.entry((api, id.clone())).or_insert_with(|| Case {
                api,
                id: id.clone(),
                feature: outcome.feature.clone(),
                kind: outcome.kind,
                expected: outcome.expected.clone(),
                actual: outcome.actual.clone(),
                runs: 0,
                passed: 0,
                representative: None,
            });
            if outcome.verdict == Verdict::Skipped {
                continue;
            }
            let first_failure = outcome.verdict == Verdict::Failed && case.passed == case.runs;
            case.runs += 1;
            if outcome.verdict == Verdict::Passed {
                case.passed += 1;
            }
            if case.representative.is_none() || first_failure {
                case.representative = outcome.exchange.clone();
                case.actual = outcome.actual.clone();
            }
        }
        let tallies: Vec<Tally> = tallies.into_values().collect();
        let mut cases: Vec<Case> = cases.into_values().collect();
        cases.sort_by_key(|c| (c.api, case_order(&c.id)));
        let mut report = Report {
            header,
            minimums,
            tallies,
            cases,
            outcomes,
            missing: Vec::new(),
            rehearsal: None,
            never_seen: None,
        };
        report.missing = missing(&report);
        report
    }

    /// Marks the report as a rehearsal for `reason`. The header fields the form needs are
    /// then not listed as missing: a rehearsal is not sent anywhere.
    pub fn rehearsal(mut self, reason: impl Into<String>) -> Self {
        self.rehearsal = Some(reason.into());
        self.missing = missing(&self);
        self
    }

    /// Sets the catalogue cases a journal never showed.
    pub fn never_seen(mut self, cases: Vec<String>) -> Self {
        self.never_seen = Some(cases);
        self
    }

    /// Whether this is a rehearsal: not evidence for NIC, never to be sent.
    pub fn is_rehearsal(&self) -> bool {
        self.rehearsal.is_some()
    }

    /// True when no outcome failed, every minimum is met and nothing else is missing (the
    /// header fields the form needs, outside a rehearsal). A rehearsal can pass; it is still
    /// not evidence for NIC ([`Report::is_rehearsal`]).
    pub fn passed(&self) -> bool {
        self.failures().next().is_none()
            && self.tallies.iter().all(Tally::met)
            && self.missing.is_empty()
    }

    /// The outcomes that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Outcome> {
        self.outcomes
            .iter()
            .filter(|o| o.verdict == Verdict::Failed)
    }

    /// The tally of `api`, if present.
    pub fn tally(&self, api: Api) -> Option<&Tally> {
        self.tallies.iter().find(|t| t.api == api)
    }
}

impl Tally {
    fn empty(api: Api, min_success: Option<u32>, min_failure: Option<u32>) -> Self {
        Tally {
            api,
            min_success,
            min_failure,
            success: 0,
            failure: 0,
            failed: 0,
            skipped: 0,
        }
    }
}

/// The header fields NIC's form asks for that are empty or still a placeholder in
/// parentheses (the built-in profile's `(set in your profile)`), with where to fill them in.
fn header_gaps(header: &Header) -> Vec<String> {
    let profile = |key: &str| format!("set `{key}` under [report] in the profile");
    let unset = |value: &str| {
        let value = value.trim();
        value.is_empty() || (value.starts_with('(') && value.ends_with(')'))
    };
    let journal = || "neither the journal nor the profile names one".to_owned();
    [
        ("Company", unset(&header.company), profile("company")),
        ("User type", unset(&header.user_type), profile("user_type")),
        (
            "Project manager",
            unset(&header.project_manager),
            profile("project_manager"),
        ),
        (
            "Technical contact",
            unset(&header.technical_contact),
            profile("technical_contact"),
        ),
        ("GSTINs used", header.gstins.is_empty(), journal()),
        ("API user ids used", header.user_ids.is_empty(), journal()),
        (
            "Testing dates",
            header.testing_from.is_empty() || header.testing_to.is_empty(),
            "no call carries a date".to_owned(),
        ),
    ]
    .into_iter()
    .filter(|(_, empty, _)| *empty)
    .map(|(field, _, hint)| format!("Header: {field} is not filled in ({hint})"))
    .collect()
}

/// `G-2` before `G-13`: the prefix, then the number, then any rest.
fn case_order(id: &str) -> (String, u32, String) {
    let (prefix, rest) = id.split_once('-').unwrap_or((id, ""));
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let tail = rest.get(digits.len()..).unwrap_or_default();
    (
        prefix.to_owned(),
        digits.parse().unwrap_or(u32::MAX),
        tail.to_owned(),
    )
}

fn missing(report: &Report) -> Vec<String> {
    let mut missing = Vec::new();
    let (tallies, cases) = (&report.tallies, &report.cases);
    for tally in tallies {
        if let Some(min) = tally.min_success.filter(|m| tally.success < *m) {
            missing.push(format!(
                "{}: {} more successful case(s) (have {}, need {min})",
                tally.api,
                min - tally.success,
                tally.success
            ));
        }
        if let Some(min) = tally.min_failure.filter(|m| tally.failure < *m) {
            missing.push(format!(
                "{}: {} more failure case(s) (have {}, need {min})",
                tally.api,
                min - tally.failure,
                tally.failure
            ));
        }
    }
    for case in cases.iter().filter(|c| c.verdict() == Verdict::Failed) {
        missing.push(format!(
            "{} {} ({}): {} of {} run(s) did not meet the expectation",
            case.api,
            case.id,
            case.feature,
            case.runs - case.passed,
            case.runs
        ));
    }
    if !report.is_rehearsal() {
        missing.extend(header_gaps(&report.header));
    }
    missing
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An outcome for tests.
    pub(crate) fn outcome(api: Api, case: &str, kind: Kind, verdict: Verdict) -> Outcome {
        Outcome {
            scenario: "s".to_owned(),
            step: "step".to_owned(),
            api: Some(api),
            case: Some(case.to_owned()),
            feature: format!("feature of {case}"),
            kind,
            expected: "Status 1".to_owned(),
            actual: match verdict {
                Verdict::Failed => "Status 0: 2150".to_owned(),
                _ => "Status 1".to_owned(),
            },
            verdict,
            reasons: match verdict {
                Verdict::Failed => vec!["expected Status 1, got 0".to_owned()],
                _ => Vec::new(),
            },
            millis: 3,
            exchange: Some(Exchange {
                call: "POST /eicore/v1.03/Invoice".to_owned(),
                request: format!("{{\"case\":\"{case}\"}}"),
                response: format!("{{\"verdict\":\"{verdict:?}\"}}"),
            }),
            irp: None,
            reply: None,
        }
    }

    #[test]
    fn tallies_count_passed_cases_by_kind_and_cases_keep_the_first_failure() {
        let outcomes = vec![
            outcome(Api::GenerateIrn, "G-1", Kind::Success, Verdict::Passed),
            outcome(Api::GenerateIrn, "G-1", Kind::Success, Verdict::Failed),
            outcome(Api::GenerateIrn, "G-1", Kind::Success, Verdict::Failed),
            outcome(Api::GenerateIrn, "GF-1", Kind::Failure, Verdict::Passed),
            outcome(Api::GetEwb, "E-10", Kind::Success, Verdict::Passed),
            outcome(Api::Auth, "AU-1", Kind::Success, Verdict::Skipped),
        ];
        let report = Report::build(Header::default(), Minimums::Nic, outcomes);
        let generate = report.tally(Api::GenerateIrn).unwrap();
        assert_eq!(
            (generate.success, generate.failure, generate.failed),
            (1, 1, 2)
        );
        assert!(!generate.met());
        let ewb = report.tally(Api::GetEwb).unwrap();
        assert!(!ewb.counted() && ewb.met());
        assert_eq!(report.tally(Api::Auth).unwrap().skipped, 1);
        let g1 = report.cases.iter().find(|c| c.id == "G-1").unwrap();
        assert_eq!((g1.runs, g1.passed, g1.verdict()), (3, 1, Verdict::Failed));
        assert_eq!(g1.actual, "Status 0: 2150");
        assert!(
            g1.representative
                .as_ref()
                .unwrap()
                .response
                .contains("Failed")
        );
        let ordered = Report::build(
            Header::default(),
            Minimums::Nic,
            ["G-13", "GF-1", "G-2", "G-other"]
                .map(|id| outcome(Api::GenerateIrn, id, Kind::Success, Verdict::Passed))
                .to_vec(),
        );
        let ids: Vec<&str> = ordered.cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["G-2", "G-13", "G-other", "GF-1"]);
        let au1 = report.cases.iter().find(|c| c.id == "AU-1").unwrap();
        assert_eq!(au1.verdict(), Verdict::Skipped);
        assert!(!report.passed());
        assert!(
            report
                .missing
                .iter()
                .any(|m| m.contains("Generate IRN: 99 more successful"))
        );
        assert!(report.missing.iter().any(|m| m.contains("G-1")));
        // Six counted APIs appear even when nothing ran, plus the uncounted one that did.
        assert_eq!(report.tallies.len(), 7);
    }
}
