//! What a load run recorded, per API: answers counted good or bad, error codes, retries,
//! and latencies in an HDR histogram.
//!
//! Each connection keeps its own [`Tally`] (no lock on the hot path) and the tallies are
//! merged when the run ends. The histograms count microseconds from 1 µs to an hour with
//! three significant digits, so p99.9 of a millisecond-scale API is exact to a microsecond
//! and a minute-long stall still lands in a bucket.

use std::{collections::BTreeMap, time::Duration};

use hdrhistogram::Histogram;

use super::mix::LoadApi;

/// The longest latency recorded as itself (longer ones are recorded as this).
const HIGHEST_US: u64 = 3_600_000_000;

/// How one request ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Whether the request was sent; `false` when it had nothing to act on (no registered
    /// IRN left to cancel): it is counted as skipped, not timed.
    pub sent: bool,
    /// The expected answer (Status 1; 2150 for a duplicate; HTTP 2xx for health).
    pub ok: bool,
    /// For a bad answer: the first error code, `HTTP nnn` when there is none, or what failed
    /// before an answer (`transport`, `not JSON`).
    pub code: Option<String>,
    /// Sends beyond the first (retries under the policy, a resend after renewing the session).
    pub retries: u32,
}

impl Outcome {
    /// A request that was not sent.
    pub fn skipped() -> Self {
        Self {
            sent: false,
            ok: false,
            code: None,
            retries: 0,
        }
    }
}

/// One API's figures.
#[derive(Debug, Clone)]
pub struct ApiTally {
    /// Latencies in microseconds.
    pub latency: Histogram<u64>,
    /// Answers as expected.
    pub ok: u64,
    /// Other answers and failures.
    pub errors: u64,
    /// Requests not sent for want of a registered IRN.
    pub skipped: u64,
    /// Sends beyond the first.
    pub retries: u64,
    /// Bad answers by code.
    pub error_codes: BTreeMap<String, u64>,
}

impl ApiTally {
    fn new() -> Self {
        Self {
            latency: histogram(),
            ok: 0,
            errors: 0,
            skipped: 0,
            retries: 0,
            error_codes: BTreeMap::new(),
        }
    }

    /// Requests sent (good and bad).
    pub fn count(&self) -> u64 {
        self.ok + self.errors
    }

    /// The latency at `quantile` (0 to 1), in milliseconds.
    pub fn quantile_ms(&self, quantile: f64) -> f64 {
        us_to_ms(self.latency.value_at_quantile(quantile))
    }

    /// The longest latency, in milliseconds.
    pub fn max_ms(&self) -> f64 {
        us_to_ms(self.latency.max())
    }

    fn merge(&mut self, other: &Self) {
        // Both histograms have the same bounds, so adding cannot fail; a failure would only
        // lose the other's latencies, never the counts.
        let _ = self.latency.add(&other.latency);
        self.ok += other.ok;
        self.errors += other.errors;
        self.skipped += other.skipped;
        self.retries += other.retries;
        for (code, n) in &other.error_codes {
            *self.error_codes.entry(code.clone()).or_default() += n;
        }
    }
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, HIGHEST_US, 3)
        .unwrap_or_else(|_| unreachable!("1 µs to an hour at 3 digits are valid bounds"))
}

fn us_to_ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// The figures of every API called.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    apis: BTreeMap<LoadApi, ApiTally>,
}

impl Tally {
    /// Records `outcome` of a request to `api` that took `latency`.
    pub fn record(&mut self, api: LoadApi, outcome: &Outcome, latency: Duration) {
        let tally = self.apis.entry(api).or_insert_with(ApiTally::new);
        if !outcome.sent {
            tally.skipped += 1;
            return;
        }
        let us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        tally.latency.saturating_record(us.clamp(1, HIGHEST_US));
        tally.retries += u64::from(outcome.retries);
        if outcome.ok {
            tally.ok += 1;
        } else {
            tally.errors += 1;
            let code = outcome.code.clone().unwrap_or_else(|| "unknown".to_owned());
            *tally.error_codes.entry(code).or_default() += 1;
        }
    }

    /// Adds `other`'s figures to these.
    pub fn merge(&mut self, other: &Self) {
        for (api, theirs) in &other.apis {
            self.apis
                .entry(*api)
                .or_insert_with(ApiTally::new)
                .merge(theirs);
        }
    }

    /// Every API called, in report order.
    pub fn apis(&self) -> impl Iterator<Item = (LoadApi, &ApiTally)> {
        self.apis.iter().map(|(api, tally)| (*api, tally))
    }

    /// The figures of `api`, if it was called.
    pub fn api(&self, api: LoadApi) -> Option<&ApiTally> {
        self.apis.get(&api)
    }

    /// Requests sent, over every API.
    pub fn requests(&self) -> u64 {
        self.apis.values().map(ApiTally::count).sum()
    }

    /// Bad answers and failures, over every API.
    pub fn errors(&self) -> u64 {
        self.apis.values().map(|t| t.errors).sum()
    }

    /// Requests skipped, over every API.
    pub fn skipped(&self) -> u64 {
        self.apis.values().map(|t| t.skipped).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(ok: bool, code: Option<&str>) -> Outcome {
        Outcome {
            sent: true,
            ok,
            code: code.map(str::to_owned),
            retries: 1,
        }
    }

    #[test]
    fn tallies_merge_counts_codes_and_latencies() {
        let mut a = Tally::default();
        let mut b = Tally::default();
        for ms in 1..=100 {
            a.record(
                LoadApi::Generate,
                &answered(true, None),
                Duration::from_millis(ms),
            );
        }
        b.record(
            LoadApi::Generate,
            &answered(false, Some("2150")),
            Duration::from_secs(2),
        );
        b.record(LoadApi::Cancel, &Outcome::skipped(), Duration::ZERO);
        a.merge(&b);
        let generate = a.api(LoadApi::Generate).unwrap();
        assert_eq!(
            (generate.ok, generate.errors, generate.retries),
            (100, 1, 101)
        );
        assert_eq!(generate.error_codes["2150"], 1);
        assert!((generate.quantile_ms(0.5) - 51.0).abs() < 0.1);
        assert!((generate.max_ms() - 2000.0).abs() < 2.0);
        assert_eq!((a.requests(), a.errors(), a.skipped()), (101, 1, 1));
        assert_eq!(a.api(LoadApi::Cancel).unwrap().count(), 0);
    }
}
