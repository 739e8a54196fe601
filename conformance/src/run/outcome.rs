//! Turning a step and its answer into a report [`Outcome`].

use serde_json::Value;

use irp_client::Answer;

use crate::{
    report::{Exchange, Kind, Outcome, Reply, Verdict},
    scenario::{Expect, Step},
};

/// The longest request or response kept for a representative exchange.
const EXCHANGE_LIMIT: usize = 16 * 1024;

/// `Status 1, signature valid, QR = invoice` / `Status 0: 2150 + DUPIRN`.
pub(crate) fn expected(expect: &Expect) -> String {
    let mut parts = Vec::new();
    match (expect.kind(), expect.error_codes.is_empty()) {
        (Kind::Failure, false) => {
            parts.push(format!("Status 0: {}", expect.error_codes.join(", ")))
        }
        (Kind::Failure, true) => parts.push("Status 0".to_owned()),
        (Kind::Success, _) => parts.push(format!("Status {}", expect.status.unwrap_or(1))),
    }
    if !expect.info_codes.is_empty() {
        parts.push(format!("InfoDtls {}", expect.info_codes.join(", ")));
    }
    if expect.signature_valid {
        parts.push("signature valid".to_owned());
    }
    if expect.qr_matches_invoice {
        parts.push("QR = invoice".to_owned());
    }
    if let Some(schema) = &expect.schema {
        parts.push(format!("schema {schema}"));
    }
    parts.join(", ")
}

/// Pretty JSON, cut at [`EXCHANGE_LIMIT`] bytes.
pub(crate) fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    if text.len() > EXCHANGE_LIMIT {
        let mut cut = EXCHANGE_LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("\n… (truncated)");
    }
    text
}

/// The exchange of `answer`.
pub(crate) fn exchange(answer: &Answer) -> Exchange {
    Exchange {
        call: answer.call.clone(),
        request: pretty(&answer.request),
        response: pretty(&answer.doc),
    }
}

/// What came back, whole, for a comparison of two IRPs.
pub(crate) fn reply(answer: &Answer) -> Reply {
    Reply {
        http_status: answer.http_status,
        status: answer.status(),
        error_codes: answer.error_codes(),
        info_codes: answer.info_codes(),
        data: answer.data().clone(),
    }
}

/// An outcome of `step` in `scenario` (repetition `repeat` of `of`).
pub(crate) struct Draft<'a> {
    /// Scenario name.
    pub(crate) scenario: &'a str,
    /// The step.
    pub(crate) step: &'a Step,
    /// Repetition, from 1.
    pub(crate) repeat: u32,
    /// Repetitions in all.
    pub(crate) of: u32,
    /// The feature, templates resolved.
    pub(crate) feature: String,
}

impl Draft<'_> {
    /// The outcome with `verdict`, `actual`, `reasons` and the exchange.
    pub(crate) fn finish(
        self,
        verdict: Verdict,
        actual: String,
        reasons: Vec<String>,
        answer: Option<&Answer>,
    ) -> Outcome {
        let step = if self.of > 1 {
            format!("{}#{}", self.step.name, self.repeat)
        } else {
            self.step.name.clone()
        };
        Outcome {
            scenario: self.scenario.to_owned(),
            step,
            api: self.step.call.api(),
            case: self.step.report.as_ref().map(|r| r.case.clone()),
            feature: self.feature,
            kind: self.step.expect.kind(),
            expected: expected(&self.step.expect),
            actual,
            verdict,
            reasons,
            millis: answer.map_or(0, |a| {
                u64::try_from(a.elapsed.as_millis()).unwrap_or(u64::MAX)
            }),
            exchange: answer.map(exchange),
            irp: self.step.irp.clone(),
            reply: answer.map(reply),
        }
    }
}
