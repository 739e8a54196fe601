//! One step on both IRPs: what each side saw, and whether the two agree.
//!
//! A step is `same` when both shapes are equal, `differs` when they are not (and the
//! difference says in what), and `skipped` when either side did not run it: a step run on
//! one IRP only proves nothing about the other.

use serde::{Deserialize, Serialize};

use super::shape::Shape;
use crate::report::{Outcome, Verdict as RunVerdict};

/// What one IRP did with a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "seen", rename_all = "snake_case")]
pub enum Observed {
    /// It answered; the answer's shape.
    Answered(Shape),
    /// The call was made but brought no answer (unreachable, a template left unresolved by
    /// an earlier step): why.
    NoAnswer {
        /// Why.
        reason: String,
    },
    /// Not run on this side (the profile or the target lacks what the step needs): why.
    Skipped {
        /// Why.
        reason: String,
    },
}

impl Observed {
    /// What `outcome` (a runner's outcome of the step) saw.
    pub fn of(outcome: &Outcome) -> Self {
        let reason = || outcome.reasons.join("; ");
        match (&outcome.reply, outcome.verdict) {
            (Some(reply), _) => Self::Answered(Shape::of(reply)),
            (None, RunVerdict::Skipped) => Self::Skipped { reason: reason() },
            (None, _) => Self::NoAnswer { reason: reason() },
        }
    }

    /// One line: `HTTP 200, Status 0: 2192` / `no answer: …` / `skipped: …`.
    pub fn describe(&self) -> String {
        match self {
            Self::Answered(shape) => {
                let status = shape
                    .status
                    .map_or_else(|| "no Status".to_owned(), |s| format!("Status {s}"));
                let mut text = format!("HTTP {}, {status}", shape.http_status);
                if !shape.error_codes.is_empty() {
                    text.push_str(&format!(": {}", shape.error_codes.join(", ")));
                }
                if !shape.info_codes.is_empty() {
                    text.push_str(&format!(" (InfoDtls {})", shape.info_codes.join(", ")));
                }
                text
            }
            Self::NoAnswer { reason } => format!("no answer: {reason}"),
            Self::Skipped { reason } => format!("skipped: {reason}"),
        }
    }
}

/// The verdict of a step (or of an API, or of the whole run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Both IRPs gave answers of the same shape.
    Same,
    /// The answers differ.
    Differs,
    /// Not compared: one side (or both) did not run it.
    Skipped,
}

/// One member both sides have, with each side's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair<T> {
    /// The upstream's.
    pub upstream: T,
    /// The in-process emulator's.
    pub emulator: T,
}

/// A compared value that is not the same on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueDifference {
    /// JSON pointer into `Data`.
    pub pointer: String,
    /// The upstream's value (or its form).
    pub upstream: String,
    /// The emulator's.
    pub emulator: String,
}

/// What differs between the two answers of a step; only the members that differ are set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Differences {
    /// One side answered and the other did not: each side in a line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Pair<String>>,
    /// HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<Pair<u16>>,
    /// `Status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Pair<Option<u64>>>,
    /// Error codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_codes: Option<Pair<Vec<String>>>,
    /// `InfoDtls` codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info_codes: Option<Pair<Vec<String>>>,
    /// Keys of `Data` only the upstream's answer has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields_only_upstream: Vec<String>,
    /// Keys of `Data` only the emulator's answer has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields_only_emulator: Vec<String>,
    /// Codes, statuses, or forms of issued values that both answers hold and that are not
    /// the same.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValueDifference>,
}

impl Differences {
    /// Nothing differs.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The differences of two shapes.
    pub fn between(upstream: &Shape, emulator: &Shape) -> Self {
        fn pair<T: PartialEq + Clone>(a: &T, b: &T) -> Option<Pair<T>> {
            (a != b).then(|| Pair {
                upstream: a.clone(),
                emulator: b.clone(),
            })
        }
        Self {
            answer: None,
            http_status: pair(&upstream.http_status, &emulator.http_status),
            status: pair(&upstream.status, &emulator.status),
            error_codes: pair(&upstream.error_codes, &emulator.error_codes),
            info_codes: pair(&upstream.info_codes, &emulator.info_codes),
            fields_only_upstream: upstream
                .fields
                .difference(&emulator.fields)
                .cloned()
                .collect(),
            fields_only_emulator: emulator
                .fields
                .difference(&upstream.fields)
                .cloned()
                .collect(),
            // A value under a key only one side has is already a field only there.
            values: upstream
                .values
                .iter()
                .filter_map(|(pointer, a)| {
                    let b = emulator.values.get(pointer)?;
                    (a != b).then(|| ValueDifference {
                        pointer: pointer.clone(),
                        upstream: a.clone(),
                        emulator: b.clone(),
                    })
                })
                .collect(),
        }
    }

    /// What differs, in short phrases: `error codes 2192 | none`, `fields only upstream:
    /// /EwbNo`.
    pub fn describe(&self) -> Vec<String> {
        let codes = |list: &[String]| {
            if list.is_empty() {
                "none".to_owned()
            } else {
                list.join(", ")
            }
        };
        let status = |s: &Option<u64>| s.map_or_else(|| "none".to_owned(), |s| s.to_string());
        let mut parts = Vec::new();
        if let Some(p) = &self.answer {
            parts.push(format!("answer {} | {}", p.upstream, p.emulator));
        }
        if let Some(p) = &self.http_status {
            parts.push(format!("HTTP {} | {}", p.upstream, p.emulator));
        }
        if let Some(p) = &self.status {
            parts.push(format!(
                "Status {} | {}",
                status(&p.upstream),
                status(&p.emulator)
            ));
        }
        if let Some(p) = &self.error_codes {
            parts.push(format!(
                "error codes {} | {}",
                codes(&p.upstream),
                codes(&p.emulator)
            ));
        }
        if let Some(p) = &self.info_codes {
            parts.push(format!(
                "InfoDtls {} | {}",
                codes(&p.upstream),
                codes(&p.emulator)
            ));
        }
        if !self.fields_only_upstream.is_empty() {
            parts.push(format!(
                "fields only upstream: {}",
                self.fields_only_upstream.join(" ")
            ));
        }
        if !self.fields_only_emulator.is_empty() {
            parts.push(format!(
                "fields only emulator: {}",
                self.fields_only_emulator.join(" ")
            ));
        }
        for v in &self.values {
            parts.push(format!("{} {} | {}", v.pointer, v.upstream, v.emulator));
        }
        parts
    }
}

/// One step, compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepParity {
    /// Scenario name.
    pub scenario: String,
    /// Step name, with the repetition when the scenario repeats (`generate#2`).
    pub step: String,
    /// The API called (`generate_irn`), or `control` for an emulator control step.
    pub api: String,
    /// The verdict.
    pub verdict: Verdict,
    /// What differs (empty unless the verdict is `differs`).
    #[serde(default, skip_serializing_if = "Differences::is_empty")]
    pub differences: Differences,
    /// Why the step was not compared (set when the verdict is `skipped`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// What the upstream did.
    pub upstream: Observed,
    /// What the in-process emulator did.
    pub emulator: Observed,
}

impl StepParity {
    /// Compares the upstream's and the emulator's outcome of one step.
    pub fn compare(upstream: &Outcome, emulator: &Outcome) -> Self {
        let (up, em) = (Observed::of(upstream), Observed::of(emulator));
        let (verdict, differences, skipped) = judge(&up, &em);
        Self {
            scenario: upstream.scenario.clone(),
            step: upstream.step.clone(),
            api: upstream.api.map_or("control", |api| api.name()).to_owned(),
            verdict,
            differences,
            skipped,
            upstream: up,
            emulator: em,
        }
    }
}

/// The verdict on two observations, what differs, and why it was skipped.
pub fn judge(upstream: &Observed, emulator: &Observed) -> (Verdict, Differences, Option<String>) {
    use Observed::{Answered, NoAnswer, Skipped};
    match (upstream, emulator) {
        (Skipped { reason }, _) => (
            Verdict::Skipped,
            Differences::default(),
            Some(format!("upstream: {reason}")),
        ),
        (_, Skipped { reason }) => (
            Verdict::Skipped,
            Differences::default(),
            Some(format!("emulator: {reason}")),
        ),
        (Answered(a), Answered(b)) => {
            let differences = Differences::between(a, b);
            let verdict = if differences.is_empty() {
                Verdict::Same
            } else {
                Verdict::Differs
            };
            (verdict, differences, None)
        }
        // Neither side got an answer, for the same cause on both (an earlier step's capture
        // missing on both): the IRPs did not disagree.
        (NoAnswer { .. }, NoAnswer { .. }) => (Verdict::Same, Differences::default(), None),
        (a, b) => (
            Verdict::Differs,
            Differences {
                answer: Some(Pair {
                    upstream: a.describe(),
                    emulator: b.describe(),
                }),
                ..Differences::default()
            },
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    fn shape(status: u64, codes: &[&str], fields: &[&str], values: &[(&str, &str)]) -> Shape {
        Shape {
            http_status: 200,
            status: Some(status),
            error_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
            info_codes: Vec::new(),
            fields: fields
                .iter()
                .map(|f| (*f).to_owned())
                .collect::<BTreeSet<_>>(),
            values: values
                .iter()
                .map(|(p, v)| ((*p).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    fn answered(shape: Shape) -> Observed {
        Observed::Answered(shape)
    }

    fn skipped() -> Observed {
        Observed::Skipped {
            reason: "no control".into(),
        }
    }

    fn silent(reason: &str) -> Observed {
        Observed::NoAnswer {
            reason: reason.into(),
        }
    }

    /// One row: the two sides, the verdict, and what the difference says.
    struct Row {
        name: &'static str,
        upstream: Observed,
        emulator: Observed,
        verdict: Verdict,
        says: &'static [&'static str],
    }

    #[test]
    fn verdicts_and_differences_on_a_table_of_pairs() {
        let ok = shape(
            1,
            &[],
            &["/Irn", "/AckNo"],
            &[("/AckNo", "<number, 15 digits>")],
        );
        let rows = [
            Row {
                name: "equal shapes are the same",
                upstream: answered(ok.clone()),
                emulator: answered(ok.clone()),
                verdict: Verdict::Same,
                says: &[],
            },
            Row {
                name: "a rule only one side checks",
                upstream: answered(shape(0, &["2192"], &[], &[])),
                emulator: answered(ok.clone()),
                verdict: Verdict::Differs,
                says: &[
                    "Status 0 | 1",
                    "error codes 2192 | none",
                    "fields only emulator: /AckNo /Irn",
                ],
            },
            Row {
                name: "another code for the same rejection",
                upstream: answered(shape(0, &["2150"], &[], &[])),
                emulator: answered(shape(0, &["2278"], &[], &[])),
                verdict: Verdict::Differs,
                says: &["error codes 2150 | 2278"],
            },
            Row {
                name: "an identifier sent as text on one side",
                upstream: answered(shape(1, &[], &["/AckNo"], &[("/AckNo", "<digits 15>")])),
                emulator: answered(shape(
                    1,
                    &[],
                    &["/AckNo"],
                    &[("/AckNo", "<number, 15 digits>")],
                )),
                verdict: Verdict::Differs,
                says: &["/AckNo <digits 15> | <number, 15 digits>"],
            },
            Row {
                name: "another status under the same key",
                upstream: answered(shape(1, &[], &["/Status"], &[("/Status", "ACT")])),
                emulator: answered(shape(1, &[], &["/Status"], &[("/Status", "CNL")])),
                verdict: Verdict::Differs,
                says: &["/Status ACT | CNL"],
            },
            Row {
                name: "a key only upstream",
                upstream: answered(shape(1, &[], &["/Irn", "/AckNo", "/Remarks"], &[])),
                emulator: answered(shape(1, &[], &["/Irn", "/AckNo"], &[])),
                verdict: Verdict::Differs,
                says: &["fields only upstream: /Remarks"],
            },
            Row {
                name: "skipped upstream",
                upstream: skipped(),
                emulator: answered(ok.clone()),
                verdict: Verdict::Skipped,
                says: &[],
            },
            Row {
                name: "skipped on the emulator",
                upstream: answered(ok.clone()),
                emulator: skipped(),
                verdict: Verdict::Skipped,
                says: &[],
            },
            Row {
                name: "no answer on one side",
                upstream: silent("timed out"),
                emulator: answered(ok.clone()),
                verdict: Verdict::Differs,
                says: &["answer no answer: timed out | HTTP 200, Status 1"],
            },
            Row {
                name: "no answer on both sides",
                upstream: silent("capture `irn` missing"),
                emulator: silent("capture `irn` missing"),
                verdict: Verdict::Same,
                says: &[],
            },
        ];
        for row in rows {
            let (verdict, differences, skipped) = judge(&row.upstream, &row.emulator);
            assert_eq!(verdict, row.verdict, "{}", row.name);
            assert_eq!(differences.describe(), row.says, "{}", row.name);
            assert_eq!(
                skipped.is_some(),
                verdict == Verdict::Skipped,
                "{}",
                row.name
            );
        }
    }
}
