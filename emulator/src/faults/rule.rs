//! A fault rule as the control API takes it: `{"name"?, "match": {...}, "phase": "before",
//! "action": {"type": ...}, "times"?}`, checked whole before it is stored.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;

use crate::{
    api::Api,
    clock::{format_ist, parse_ist},
};

/// One rule: which requests it matches, when it acts, what it does, and how often.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// A label for the journal and the listing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Which requests the rule applies to.
    #[serde(rename = "match", default)]
    pub matcher: Matcher,
    /// When the rule acts (only `before` the handler in this slice).
    pub phase: Phase,
    /// What happens.
    pub action: Action,
    /// How many times the rule fires; absent means forever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
}

/// The request side of a rule; every field present must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matcher {
    /// The API, by its journal name (`generate_irn`, …).
    #[serde(default, with = "api_name", skip_serializing_if = "Option::is_none")]
    pub api: Option<Api>,
    /// The `Gstin` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gstin: Option<String>,
    /// The `client_id` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Only the nth request (from 1) that matches the other fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nth: Option<u64>,
    /// From this virtual instant on (IST `yyyy-MM-dd HH:mm:ss`, inclusive).
    #[serde(default, with = "ist", skip_serializing_if = "Option::is_none")]
    pub from: Option<OffsetDateTime>,
    /// Before this virtual instant (IST `yyyy-MM-dd HH:mm:ss`, exclusive).
    #[serde(default, with = "ist", skip_serializing_if = "Option::is_none")]
    pub until: Option<OffsetDateTime>,
}

/// What a request is matched on.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// The API the router matched.
    pub api: Api,
    /// The `Gstin` header.
    pub gstin: Option<&'a str>,
    /// The `client_id` header.
    pub client_id: Option<&'a str>,
    /// The virtual time.
    pub now: OffsetDateTime,
}

impl Matcher {
    /// Whether `call` matches every field but `nth` (which the plan counts).
    pub fn admits(&self, call: &Call<'_>) -> bool {
        self.api.is_none_or(|api| api == call.api)
            && same(self.gstin.as_deref(), call.gstin)
            && same(self.client_id.as_deref(), call.client_id)
            && self.from.is_none_or(|from| call.now >= from)
            && self.until.is_none_or(|until| call.now < until)
    }
}

fn same(wanted: Option<&str>, given: Option<&str>) -> bool {
    wanted.is_none_or(|w| given.is_some_and(|g| g.eq_ignore_ascii_case(w)))
}

/// When a rule acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before the handler runs: nothing is committed.
    Before,
    /// Any other phase (`after_commit`, …): read so it can be refused as not implemented.
    #[serde(other)]
    Other,
}

/// What a rule does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Waits `ms`, then the handler answers.
    Latency {
        /// The delay.
        ms: u64,
        /// Random extra delay (refused until there is a seeded RNG).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        jitter_ms: Option<u64>,
    },
    /// A gateway-like answer with this HTTP status, without the handler.
    HttpStatus {
        /// The HTTP status.
        status: u16,
        /// The `Retry-After` header, in seconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
    },
    /// The IRP error envelope with `code` (HTTP 200), without the handler.
    IrpError {
        /// The `ErrorCode`.
        code: String,
        /// The `ErrorMessage` (the catalogue's by default).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// HTTP 429 with `Retry-After`, without the handler.
    RateLimited {
        /// Seconds; 1 by default.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
    },
}

impl Action {
    /// The action's `type`, for the journal.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Latency { .. } => "latency",
            Self::HttpStatus { .. } => "http_status",
            Self::IrpError { .. } => "irp_error",
            Self::RateLimited { .. } => "rate_limited",
        }
    }
}

/// Why a rule was refused.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// Not JSON of the rule's shape.
    #[error("{0}")]
    Shape(#[from] serde_json::Error),
    /// Valid, but asks for something this version cannot do.
    #[error("{0}: not implemented yet")]
    NotImplemented(&'static str),
    /// A field's value is out of range.
    #[error("{0}")]
    Invalid(&'static str),
}

/// The action types this version applies, for error messages.
pub const SUPPORTED_ACTIONS: &str = "latency, http_status, irp_error, rate_limited";

impl FaultRule {
    /// Parses and checks a rule.
    pub fn parse(body: &[u8]) -> Result<Self, RuleError> {
        let rule: Self = serde_json::from_slice(body)?;
        if rule.phase != Phase::Before {
            return Err(RuleError::NotImplemented(
                "phase: only \"before\" exists; other phases are",
            ));
        }
        match &rule.action {
            Action::Latency {
                jitter_ms: Some(_), ..
            } => return Err(RuleError::NotImplemented("jitter_ms (needs a seeded RNG)")),
            Action::HttpStatus { status, .. } if !(100..=599).contains(status) => {
                return Err(RuleError::Invalid("status: expected 100 to 599"));
            }
            Action::IrpError { code, .. } if code.trim().is_empty() => {
                return Err(RuleError::Invalid("code: must not be empty"));
            }
            _ => {}
        }
        if rule.matcher.nth == Some(0) {
            return Err(RuleError::Invalid("nth: counts from 1"));
        }
        Ok(rule)
    }
}

/// `api` as its journal name.
mod api_name {
    use super::*;

    pub(super) fn serialize<S: Serializer>(api: &Option<Api>, s: S) -> Result<S::Ok, S::Error> {
        api.map(Api::name).serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Api>, D::Error> {
        let name = String::deserialize(d)?;
        Api::parse(&name)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown api `{name}`")))
    }
}

/// Virtual instants as IST `yyyy-MM-dd HH:mm:ss`.
mod ist {
    use super::*;

    pub(super) fn serialize<S: Serializer>(
        at: &Option<OffsetDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        at.map(format_ist).serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        let text = String::deserialize(d)?;
        parse_ist(&text).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}`: expected yyyy-MM-dd HH:mm:ss (IST)"))
        })
    }
}
