//! The mix: which API each request of a load run calls, from `--mix generate=80,get=20`.
//!
//! The order is a fixed pattern, not a random draw: smooth weighted round-robin spreads
//! each API evenly through the pattern, so any stretch of a run (the first 200 requests, the
//! seconds after warm-up) has the mix's proportions, and two runs with the same mix send the
//! same sequence of calls.

use std::fmt;

/// An API a load run can call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LoadApi {
    /// Generate IRN for a fresh invoice.
    Generate,
    /// Generate IRN again for an invoice already registered: the expected answer is 2150.
    Duplicate,
    /// Get IRN details of an IRN registered in this run.
    Get,
    /// Get GSTIN details.
    Gstin,
    /// Cancel an IRN registered in this run.
    Cancel,
    /// Generate e-way bill by IRN for an IRN registered in this run.
    Ewb,
    /// The emulator's `GET /__emulator__/health` (only an emulator answers it).
    Health,
}

impl LoadApi {
    /// Every API, in the order reports list them.
    pub const ALL: [Self; 7] = [
        Self::Generate,
        Self::Duplicate,
        Self::Get,
        Self::Gstin,
        Self::Cancel,
        Self::Ewb,
        Self::Health,
    ];

    /// The name used in `--mix` and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Self::Generate => "generate",
            Self::Duplicate => "duplicate",
            Self::Get => "get",
            Self::Gstin => "gstin",
            Self::Cancel => "cancel",
            Self::Ewb => "ewb",
            Self::Health => "health",
        }
    }

    /// The API named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|api| api.name() == name)
    }

    /// Whether the call uses up a registered IRN (an IRN is cancelled, or gets its e-way
    /// bill, once).
    pub fn consumes_irn(self) -> bool {
        matches!(self, Self::Cancel | Self::Ewb)
    }

    /// Whether the call needs an IRN registered before it (by this run or its preparation).
    pub fn needs_irn(self) -> bool {
        matches!(self, Self::Duplicate | Self::Get | Self::Cancel | Self::Ewb)
    }
}

impl fmt::Display for LoadApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a `--mix` was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MixError {
    /// An entry is not `api=weight`.
    #[error("--mix: `{0}` is not API=WEIGHT (e.g. generate=80,get=20)")]
    Malformed(String),
    /// An API the load generator does not know.
    #[error(
        "--mix: unknown API `{0}` (known: generate, duplicate, get, gstin, cancel, ewb, health)"
    )]
    Unknown(String),
    /// The same API twice.
    #[error("--mix: `{0}` is given twice")]
    Repeated(String),
    /// All weights are zero.
    #[error("--mix: the weights add up to zero")]
    Zero,
    /// Weights too large to lay out.
    #[error("--mix: the weights add up to more than {MAX_TOTAL}; use smaller numbers")]
    TooLarge,
}

/// The largest sum of weights (the pattern holds one entry per unit of weight, after
/// dividing by the weights' common divisor).
const MAX_TOTAL: u64 = 100_000;

/// A parsed mix and its pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mix {
    weights: Vec<(LoadApi, u32)>,
    pattern: Vec<LoadApi>,
}

impl Mix {
    /// Parses `generate=80,get=10,gstin=10` (spaces around entries are allowed; a zero weight
    /// leaves the API out).
    pub fn parse(text: &str) -> Result<Self, MixError> {
        let mut weights: Vec<(LoadApi, u32)> = Vec::new();
        for entry in text.split(',').map(str::trim) {
            let (name, weight) = entry
                .split_once('=')
                .ok_or_else(|| MixError::Malformed(entry.to_owned()))?;
            let name = name.trim();
            let api = LoadApi::parse(name).ok_or_else(|| MixError::Unknown(name.to_owned()))?;
            let weight: u32 = weight
                .trim()
                .parse()
                .map_err(|_| MixError::Malformed(entry.to_owned()))?;
            if weights.iter().any(|(a, _)| *a == api) {
                return Err(MixError::Repeated(name.to_owned()));
            }
            weights.push((api, weight));
        }
        weights.retain(|(_, w)| *w > 0);
        let total: u64 = weights.iter().map(|(_, w)| u64::from(*w)).sum();
        if total == 0 {
            return Err(MixError::Zero);
        }
        let divisor = weights.iter().fold(0, |g, (_, w)| gcd(g, *w)).max(1);
        let reduced: Vec<(LoadApi, u32)> =
            weights.iter().map(|(a, w)| (*a, *w / divisor)).collect();
        if reduced.iter().map(|(_, w)| u64::from(*w)).sum::<u64>() > MAX_TOTAL {
            return Err(MixError::TooLarge);
        }
        Ok(Self {
            pattern: pattern(&reduced),
            weights,
        })
    }

    /// The API of request `k` (counted from 0 over the whole run, warm-up included).
    pub fn at(&self, k: u64) -> LoadApi {
        let len = self.pattern.len() as u64;
        usize::try_from(k % len.max(1))
            .ok()
            .and_then(|i| self.pattern.get(i))
            .copied()
            .unwrap_or(LoadApi::Generate)
    }

    /// The APIs with a weight above zero, as given.
    pub fn apis(&self) -> impl Iterator<Item = LoadApi> + '_ {
        self.weights.iter().map(|(api, _)| *api)
    }

    /// The share of requests that call `api` (0 to 1).
    pub fn share(&self, api: LoadApi) -> f64 {
        let total: u64 = self.weights.iter().map(|(_, w)| u64::from(*w)).sum();
        let weight = self
            .weights
            .iter()
            .find(|(a, _)| *a == api)
            .map_or(0, |(_, w)| *w);
        f64::from(weight) / total.max(1) as f64
    }

    /// How many requests one pass of the pattern holds.
    pub fn period(&self) -> usize {
        self.pattern.len()
    }

    /// Whether `api` is the only API called.
    pub fn is_pure(&self, api: LoadApi) -> bool {
        self.weights.iter().all(|(a, _)| *a == api)
    }
}

impl fmt::Display for Mix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .weights
            .iter()
            .map(|(api, w)| format!("{api}={w}"))
            .collect();
        f.write_str(&parts.join(","))
    }
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Smooth weighted round-robin: each turn every API gains its weight, the richest is picked
/// and pays the total. `a=2,b=1` gives `a b a`, never `a a b`.
fn pattern(weights: &[(LoadApi, u32)]) -> Vec<LoadApi> {
    let total: i64 = weights.iter().map(|(_, w)| i64::from(*w)).sum();
    let mut credit: Vec<i64> = vec![0; weights.len()];
    let mut out = Vec::new();
    for _ in 0..total {
        for (c, (_, w)) in credit.iter_mut().zip(weights) {
            *c += i64::from(*w);
        }
        let Some((best, _)) = credit
            .iter()
            .enumerate()
            .max_by(|(i, a), (j, b)| a.cmp(b).then(j.cmp(i)))
        else {
            break;
        };
        if let (Some(c), Some((api, _))) = (credit.get_mut(best), weights.get(best)) {
            *c -= total;
            out.push(*api);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mix_keeps_its_proportions_in_every_period() {
        let mix = Mix::parse("generate=70, get=10,gstin=10,duplicate=10").unwrap();
        assert_eq!(mix.period(), 10);
        let first: Vec<LoadApi> = (0..10).map(|k| mix.at(k)).collect();
        let count = |api| first.iter().filter(|a| **a == api).count();
        assert_eq!(count(LoadApi::Generate), 7);
        assert_eq!(count(LoadApi::Get), 1);
        assert_eq!(count(LoadApi::Duplicate), 1);
        assert_eq!(first, (10..20).map(|k| mix.at(k)).collect::<Vec<_>>());
        assert!((mix.share(LoadApi::Generate) - 0.7).abs() < 1e-9);
        assert_eq!(mix.to_string(), "generate=70,get=10,gstin=10,duplicate=10");
    }

    #[test]
    fn smooth_round_robin_interleaves() {
        let mix = Mix::parse("generate=2,get=1").unwrap();
        let order: Vec<&str> = (0..3).map(|k| mix.at(k).name()).collect();
        assert_eq!(order, ["generate", "get", "generate"]);
        assert!(
            Mix::parse("generate=100")
                .unwrap()
                .is_pure(LoadApi::Generate)
        );
        assert!(!mix.is_pure(LoadApi::Generate));
    }

    #[test]
    fn zero_weights_are_left_out() {
        let mix = Mix::parse("generate=1,health=0").unwrap();
        assert_eq!(mix.apis().collect::<Vec<_>>(), [LoadApi::Generate]);
    }

    macro_rules! refused {
        ($name:ident, $text:expr, $error:expr) => {
            #[test]
            fn $name() {
                assert_eq!(Mix::parse($text), Err($error));
            }
        };
    }

    refused!(
        unknown_api,
        "generate=1,sign=2",
        MixError::Unknown("sign".into())
    );
    refused!(
        no_weight,
        "generate",
        MixError::Malformed("generate".into())
    );
    refused!(bad_weight, "get=x", MixError::Malformed("get=x".into()));
    refused!(
        negative_weight,
        "get=-1",
        MixError::Malformed("get=-1".into())
    );
    refused!(empty, "", MixError::Malformed(String::new()));
    refused!(all_zero, "generate=0,get=0", MixError::Zero);
    refused!(twice, "get=1,get=2", MixError::Repeated("get".into()));
    refused!(too_large, "generate=100000,get=1", MixError::TooLarge);
}
