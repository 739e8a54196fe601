//! The one-line summary of a load run on stdout:
//! `load: 12,345 requests in 10.0 s (1,234.5/s), generate p50 3.1 ms p99 9.8 ms, 0 errors;
//! ceiling ratio 0.71 (2 cores × 1,450 signatures/s ÷ 2); server 0.77 ms CPU/request`.

use super::{mix::LoadApi, report::LoadReport};

impl LoadReport {
    /// `load: 12,345 requests in 10.0 s (1,234.5/s), generate p50 3.1 ms p99 9.8 ms, 0
    /// errors; ceiling ratio 0.71 (2 cores × 1,450 signatures/s ÷ 2)`.
    pub fn summary(&self) -> String {
        let headline = self
            .apis
            .get(LoadApi::Generate.name())
            .map(|g| (LoadApi::Generate.name(), g))
            .or_else(|| {
                self.apis
                    .iter()
                    .max_by_key(|(_, a)| a.count)
                    .map(|(n, a)| (*n, a))
            });
        let latency = headline
            .map(|(name, api)| {
                format!(", {name} p50 {:.1} ms p99 {:.1} ms", api.p50_ms, api.p99_ms)
            })
            .unwrap_or_default();
        let ceiling = self
            .ceiling_ratio
            .map(|ratio| format!("; ceiling ratio {ratio:.2}"))
            .unwrap_or_else(|| "; no Generate IRN for the ceiling ratio".to_owned());
        let server = self
            .server_cpu
            .as_ref()
            .map(|cpu| format!("; server {:.2} ms CPU/request", cpu.per_request_ms))
            .unwrap_or_default();
        format!(
            "load: {} requests in {:.1} s ({}/s){latency}, {} error{}{ceiling} ({} core{} × {} signatures/s ÷ 2){server}",
            grouped(self.requests as f64, 0),
            self.duration_s,
            grouped(self.achieved_rate, 1),
            grouped(self.errors as f64, 0),
            if self.errors == 1 { "" } else { "s" },
            self.cores,
            if self.cores == 1 { "" } else { "s" },
            grouped(self.rsa2048_signs_per_second_per_core, 0),
        )
    }
}

/// `value` (not negative) with `decimals` decimals and thousands separated by commas.
fn grouped(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(12_345.0, 0), "12,345");
        assert_eq!(grouped(1_234.46, 1), "1,234.5");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(grouped(1_000_000.0, 0), "1,000,000");
        assert_eq!(grouped(0.71, 2), "0.71");
    }
}
