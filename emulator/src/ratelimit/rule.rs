//! A rate-limit rule as the control API (JSON) and the start-up file (TOML `[[rate_limit]]`
//! tables) give it: `{"name"?, "per", "api"?, "per_second"?, "per_minute"?, "per_hour"?}`.
//!
//! The rule is checked as it is deserialised (`try_from` a private field struct), so a
//! rule read from either format is whole or refused with a reason: no caller can forget
//! the check.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::api::Api;

/// The most requests one window may admit. The sliding log keeps one instant per admitted
/// request, so the limit is also the log's length; a million is far above any real IRP
/// quota and keeps one key's log at a few MiB.
pub const MAX_LIMIT: u32 = 1_000_000;

/// Which request header a rule counts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// The `client_id` header: one budget per GSP client.
    ClientId,
    /// The `Gstin` header: one budget per taxpayer.
    Gstin,
}

impl Per {
    /// The key's name as the refusal's `limit` and the rule's `per` spell it.
    pub fn name(self) -> &'static str {
        match self {
            Self::ClientId => "client_id",
            Self::Gstin => "gstin",
        }
    }
}

/// A window's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    /// One second.
    Second,
    /// One minute.
    Minute,
    /// One hour.
    Hour,
}

impl Span {
    /// The window's length.
    pub fn duration(self) -> Duration {
        match self {
            Self::Second => Duration::from_secs(1),
            Self::Minute => Duration::from_secs(60),
            Self::Hour => Duration::from_secs(3600),
        }
    }

    /// `second`, `minute` or `hour`, as the refusal's `limit` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Second => "second",
            Self::Minute => "minute",
            Self::Hour => "hour",
        }
    }
}

/// One rule: whose requests it counts, on which API, and how many each window admits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Fields")]
pub struct RateLimitRule {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    per: Per,
    // `Api` serialises as its journal name (see `api.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    api: Option<Api>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_second: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_minute: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_hour: Option<u32>,
}

/// The rule's keys as written, before the checks.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    #[serde(default)]
    name: Option<String>,
    per: Per,
    #[serde(default)]
    api: Option<String>,
    #[serde(default)]
    per_second: Option<u32>,
    #[serde(default)]
    per_minute: Option<u32>,
    #[serde(default)]
    per_hour: Option<u32>,
}

/// Why a rule was refused.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// Not JSON of the rule's shape (the message carries the check that failed, if any).
    #[error("{0}")]
    Shape(#[from] serde_json::Error),
    /// The right shape, but a value is out of range.
    #[error("{0}")]
    Invalid(String),
}

impl TryFrom<Fields> for RateLimitRule {
    type Error = RuleError;

    fn try_from(fields: Fields) -> Result<Self, RuleError> {
        let invalid = |reason: String| Err(RuleError::Invalid(reason));
        let api = match fields.api.as_deref() {
            None => None,
            Some(name) => match Api::parse(name) {
                Some(Api::Unknown) | None => {
                    let known: Vec<&str> = Api::served().map(Api::name).collect();
                    return invalid(format!(
                        "api: unknown api `{name}` (expected one of {})",
                        known.join(", ")
                    ));
                }
                api => api,
            },
        };
        let limits = [
            ("per_second", fields.per_second),
            ("per_minute", fields.per_minute),
            ("per_hour", fields.per_hour),
        ];
        if limits.iter().all(|(_, limit)| limit.is_none()) {
            return invalid(
                "at least one of per_second, per_minute, per_hour is required".to_owned(),
            );
        }
        for (key, limit) in limits {
            if limit.is_some_and(|n| !(1..=MAX_LIMIT).contains(&n)) {
                return invalid(format!("{key}: expected 1 to {MAX_LIMIT}"));
            }
        }
        Ok(Self {
            name: fields.name,
            per: fields.per,
            api,
            per_second: fields.per_second,
            per_minute: fields.per_minute,
            per_hour: fields.per_hour,
        })
    }
}

impl RateLimitRule {
    /// Parses and checks a rule sent as JSON.
    pub fn parse(body: &[u8]) -> Result<Self, RuleError> {
        // Through the field struct, so a failed check is `Invalid`, not a serde message.
        let fields: Fields = serde_json::from_slice(body)?;
        fields.try_into()
    }

    /// The label for the journal and the listing.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The header the rule counts by.
    pub fn per(&self) -> Per {
        self.per
    }

    /// The API it applies to; `None` is every API.
    pub fn api(&self) -> Option<Api> {
        self.api
    }

    /// Whether the rule counts calls of `api`.
    pub fn covers(&self, api: Api) -> bool {
        self.api.is_none_or(|wanted| wanted == api)
    }

    /// Its windows and their limits, shortest first (at least one).
    pub fn windows(&self) -> impl Iterator<Item = (Span, u32)> + use<> {
        [
            (Span::Second, self.per_second),
            (Span::Minute, self.per_minute),
            (Span::Hour, self.per_hour),
        ]
        .into_iter()
        .filter_map(|(span, limit)| limit.map(|n| (span, n)))
    }
}
