//! Counts of compared steps, per API and for the whole run, and the verdicts drawn from
//! them: an API is `same` only when every compared step of it is.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::compare::{StepParity, Verdict};

/// Steps by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Every step.
    pub steps: usize,
    /// Steps of the same shape on both sides.
    pub same: usize,
    /// Steps that differ.
    pub differs: usize,
    /// Steps not compared.
    pub skipped: usize,
}

impl Counts {
    fn add(&mut self, verdict: Verdict) {
        self.steps += 1;
        match verdict {
            Verdict::Same => self.same += 1,
            Verdict::Differs => self.differs += 1,
            Verdict::Skipped => self.skipped += 1,
        }
    }

    /// Steps compared (not skipped).
    pub fn compared(&self) -> usize {
        self.same + self.differs
    }

    /// `differs` when any step differs, `same` when every compared step is the same,
    /// `skipped` when none was compared.
    pub fn verdict(&self) -> Verdict {
        if self.differs > 0 {
            Verdict::Differs
        } else if self.same > 0 {
            Verdict::Same
        } else {
            Verdict::Skipped
        }
    }
}

/// The verdict on one API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiParity {
    /// The API (`generate_irn`), or `control`.
    pub api: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Its steps by verdict.
    #[serde(flatten)]
    pub counts: Counts,
}

/// The verdict on the whole run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// `same` when every compared step is the same.
    pub verdict: Verdict,
    /// Steps compared.
    pub compared: usize,
    /// Every step by verdict.
    #[serde(flatten)]
    pub counts: Counts,
    /// APIs with at least one step that differs.
    pub apis_differing: usize,
}

/// Per API (in the order each was first met) and for the whole run.
pub fn tally(steps: &[StepParity]) -> (Vec<ApiParity>, Summary) {
    let mut order: Vec<&str> = Vec::new();
    let mut per_api: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut all = Counts::default();
    for step in steps {
        if !per_api.contains_key(step.api.as_str()) {
            order.push(&step.api);
        }
        per_api.entry(&step.api).or_default().add(step.verdict);
        all.add(step.verdict);
    }
    let apis: Vec<ApiParity> = order
        .into_iter()
        .map(|api| {
            let counts = per_api.get(api).copied().unwrap_or_default();
            ApiParity {
                api: api.to_owned(),
                verdict: counts.verdict(),
                counts,
            }
        })
        .collect();
    let summary = Summary {
        verdict: all.verdict(),
        compared: all.compared(),
        counts: all,
        apis_differing: apis
            .iter()
            .filter(|a| a.verdict == Verdict::Differs)
            .count(),
    };
    (apis, summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parity::compare::{Differences, Observed};

    fn step(api: &str, verdict: Verdict) -> StepParity {
        let skipped = Observed::Skipped {
            reason: String::new(),
        };
        StepParity {
            scenario: "s".into(),
            step: "x".into(),
            api: api.into(),
            verdict,
            differences: Differences::default(),
            skipped: None,
            upstream: skipped.clone(),
            emulator: skipped,
        }
    }

    #[test]
    fn an_api_is_same_only_when_every_compared_step_is() {
        let steps = [
            step("auth", Verdict::Same),
            step("generate_irn", Verdict::Same),
            step("generate_irn", Verdict::Differs),
            step("generate_irn", Verdict::Skipped),
            step("auth", Verdict::Skipped),
            step("control", Verdict::Skipped),
        ];
        let (apis, summary) = tally(&steps);
        let verdicts: Vec<(&str, Verdict, usize)> = apis
            .iter()
            .map(|a| (a.api.as_str(), a.verdict, a.counts.differs))
            .collect();
        assert_eq!(
            verdicts,
            [
                ("auth", Verdict::Same, 0),
                ("generate_irn", Verdict::Differs, 1),
                ("control", Verdict::Skipped, 0),
            ]
        );
        assert_eq!(summary.verdict, Verdict::Differs);
        assert_eq!(summary.compared, 3);
        assert_eq!(summary.counts.skipped, 3);
        assert_eq!(summary.apis_differing, 1);
    }
}
