//! The journal's `fault` field read back: which injected fault (or rate limit) answered a
//! call, and whether the client saw an answer at all.
//!
//! Connection-level faults are journaled with the HTTP status the server meant to send
//! (often 200), but the client got a reset, an empty or cut-off body, or nothing: for the
//! auditor such a call failed, whatever `http_status` says. `slow_body` is the exception
//! that the journal settles: it drips out a whole answer, which a patient client reads, so
//! it counts as a failure only when the client tried the same thing again (`attempts.rs`).

/// An injected fault or rate-limit refusal, as journaled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Fault {
    /// The action type (`reset`, `http_status`, …); `rate_limited` for a rate-limit refusal.
    pub(super) action: String,
    /// `before` or `after_commit` (empty for a rate-limit refusal).
    pub(super) phase: String,
}

/// Action types after which the client sees a transport error or an unparsable answer.
const CONNECTION_LEVEL: [&str; 7] = [
    "reset",
    "close",
    "empty",
    "truncate",
    "malformed_json",
    "slow_body",
    "hang",
];

impl Fault {
    /// Reads `<id>:<name>:<action type>:<phase>` or `rate_limit:<id>:<name>`; a rule name may
    /// itself hold colons, so the action and phase are taken from the end.
    pub(super) fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.starts_with("rate_limit:") {
            return Some(Self {
                action: "rate_limited".to_owned(),
                phase: String::new(),
            });
        }
        let mut parts = text.rsplitn(3, ':');
        let phase = parts.next()?;
        let action = parts.next()?;
        parts.next()?;
        Some(Self {
            action: action.trim().to_ascii_lowercase(),
            phase: phase.trim().to_ascii_lowercase(),
        })
    }

    /// Whether the client got no usable answer (a transport error or unparsable body).
    pub(super) fn is_connection_level(&self) -> bool {
        CONNECTION_LEVEL.contains(&self.action.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_labels_parse() {
        let rows = [
            ("3:flaky:reset:before", Some(("reset", "before", true))),
            (
                "4:a:b:hang:after_commit",
                Some(("hang", "after_commit", true)),
            ),
            (
                "5::http_status:before",
                Some(("http_status", "before", false)),
            ),
            (
                "6:x:MALFORMED_JSON:before",
                Some(("malformed_json", "before", true)),
            ),
            ("rate_limit:2:per-client", Some(("rate_limited", "", false))),
            ("7:latency:before", Some(("latency", "before", false))),
            ("garbage", None),
            ("a:b", None),
        ];
        for (label, expected) in rows {
            let parsed = Fault::parse(label);
            let got = parsed
                .as_ref()
                .map(|f| (f.action.as_str(), f.phase.as_str(), f.is_connection_level()));
            assert_eq!(got, expected, "{label}");
        }
    }
}
