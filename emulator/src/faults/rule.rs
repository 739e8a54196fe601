//! A fault rule as the control API, the `--faults` file and the `X-Emulator-Fault` header
//! take it: `{"name"?, "match": {...}, "phase", "action": {"type": ...}, "times"?}`,
//! checked whole before it is stored.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;

use crate::{
    api::Api,
    clock::{format_ist, parse_ist},
};

/// One rule: which requests it matches, when it acts, what it does, and how often.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// A label for the journal and the listing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Which requests the rule applies to.
    #[serde(rename = "match", default)]
    pub matcher: Matcher,
    /// When the rule acts.
    pub phase: Phase,
    /// What happens.
    pub action: Action,
    /// How many times the rule fires; absent means forever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
}

/// The request side of a rule; every field present must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    /// Fire with this probability (0 to 1), drawn from the seeded generator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// From this virtual instant on (IST `yyyy-MM-dd HH:mm:ss`, inclusive).
    #[serde(default, with = "ist", skip_serializing_if = "Option::is_none")]
    pub from: Option<OffsetDateTime>,
    /// Before this virtual instant (IST `yyyy-MM-dd HH:mm:ss`, exclusive).
    #[serde(default, with = "ist", skip_serializing_if = "Option::is_none")]
    pub until: Option<OffsetDateTime>,
    /// Only calls to this IRP (its name: `nic1`, `nic2`, …; any case), when one process
    /// serves several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub irp: Option<String>,
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
    /// The IRP called.
    pub irp: &'a str,
}

impl Matcher {
    /// Whether `call` matches every field but `nth` and `probability` (which the plan
    /// counts and draws).
    pub fn admits(&self, call: &Call<'_>) -> bool {
        self.api.is_none_or(|api| api == call.api)
            && same(self.gstin.as_deref(), call.gstin)
            && same(self.client_id.as_deref(), call.client_id)
            && self.from.is_none_or(|from| call.now >= from)
            && self.until.is_none_or(|until| call.now < until)
            && same(self.irp.as_deref(), Some(call.irp))
    }
}

fn same(wanted: Option<&str>, given: Option<&str>) -> bool {
    wanted.is_none_or(|w| given.is_some_and(|g| g.eq_ignore_ascii_case(w)))
}

/// When a rule acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before the handler runs: nothing is processed.
    Before,
    /// After the handler answered: a registration or cancellation is committed (durably,
    /// when the store is on disk), then the answer is replaced or shaped.
    AfterCommit,
}

impl Phase {
    /// The phase's name, for the journal.
    pub fn name(self) -> &'static str {
        match self {
            Self::Before => "before",
            Self::AfterCommit => "after_commit",
        }
    }
}

/// What a rule does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
///
/// Actions without parameters are empty struct variants, so an unknown key on them is
/// refused like on the others.
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Waits `ms` (plus up to `jitter_ms`, drawn from the seeded generator); the answer is
    /// the handler's.
    Latency {
        /// The delay.
        ms: u64,
        /// Random extra delay, uniform in `0..=jitter_ms`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        jitter_ms: Option<u64>,
    },
    /// A gateway-like answer with this HTTP status.
    HttpStatus {
        /// The HTTP status.
        status: u16,
        /// The body (a load balancer's HTML page by default).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        /// The `Retry-After` header, in seconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
    },
    /// The IRP error envelope with `code` (HTTP 200).
    IrpError {
        /// The `ErrorCode`.
        code: String,
        /// The `ErrorMessage` (the catalogue's by default).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// Revokes the caller's token: before, so the handler answers 1005; after the commit,
    /// so the next call does.
    RevokeToken {},
    /// HTTP 429 with `Retry-After`.
    RateLimited {
        /// Seconds; 1 by default.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
        /// Doubles `retry_after` at each firing of the rule, up to `max_retry_after`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        escalating: Option<bool>,
        /// The ceiling of an escalating `retry_after` (60 by default).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_retry_after: Option<u64>,
    },
    /// The TCP connection is reset (RST), with no answer.
    Reset {},
    /// The connection is closed (FIN) with no answer.
    Close {},
    /// HTTP 200 with an empty body.
    Empty {},
    /// The answer's head and its first `bytes` body bytes, then the connection is cut
    /// (the `Content-Length` promises the whole body).
    Truncate {
        /// How many body bytes get out.
        bytes: u64,
    },
    /// HTTP 200 with a body that is not JSON (the answer's last byte missing).
    MalformedJson {},
    /// The answer dripped out over `seconds`.
    SlowBody {
        /// How long the body takes.
        seconds: u64,
    },
    /// No answer for `seconds` (or until the client gives up), then the connection closes.
    Hang {
        /// How long to hang.
        seconds: u64,
    },
}

impl Action {
    /// The action's `type`, for the journal.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Latency { .. } => "latency",
            Self::HttpStatus { .. } => "http_status",
            Self::IrpError { .. } => "irp_error",
            Self::RevokeToken {} => "revoke_token",
            Self::RateLimited { .. } => "rate_limited",
            Self::Reset {} => "reset",
            Self::Close {} => "close",
            Self::Empty {} => "empty",
            Self::Truncate { .. } => "truncate",
            Self::MalformedJson {} => "malformed_json",
            Self::SlowBody { .. } => "slow_body",
            Self::Hang { .. } => "hang",
        }
    }

    /// Whether the action shapes the handler's answer, so only exists after it.
    fn shapes_the_answer(&self) -> bool {
        matches!(self, Self::Truncate { .. } | Self::SlowBody { .. })
    }
}

/// Why a rule was refused.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// Not JSON (or TOML) of the rule's shape.
    #[error("{0}")]
    Shape(String),
    /// A field's value is out of range.
    #[error("{0}")]
    Invalid(&'static str),
}

impl From<serde_json::Error> for RuleError {
    fn from(error: serde_json::Error) -> Self {
        Self::Shape(error.to_string())
    }
}

/// Every action type, for error messages.
pub const SUPPORTED_ACTIONS: &str = "latency, http_status, irp_error, revoke_token, \
    rate_limited, reset, close, empty, truncate, malformed_json, slow_body, hang";

/// The longest delay an action may ask for (a day), so a typo cannot park a task forever.
const MAX_DELAY_SECONDS: u64 = 86_400;

impl FaultRule {
    /// Parses and checks a rule.
    pub fn parse(body: &[u8]) -> Result<Self, RuleError> {
        let rule: Self = serde_json::from_slice(body)?;
        rule.check()
    }

    /// Checks a rule read from elsewhere (the `--faults` file).
    pub fn check(self) -> Result<Self, RuleError> {
        let too_long = |ms: u64| ms > MAX_DELAY_SECONDS * 1000;
        if let Some(irp) = &self.matcher.irp
            && crate::irp::IrpName::parse(irp).is_err()
        {
            return Err(RuleError::Invalid(
                "irp: an IRP name (1 to 32 letters, digits, '-' or '_')",
            ));
        }
        match &self.action {
            Action::Latency { ms, jitter_ms }
                if too_long(ms.saturating_add(jitter_ms.unwrap_or(0))) =>
            {
                return Err(RuleError::Invalid(
                    "ms + jitter_ms: at most a day (86400000)",
                ));
            }
            Action::SlowBody { seconds } | Action::Hang { seconds }
                if *seconds > MAX_DELAY_SECONDS =>
            {
                return Err(RuleError::Invalid("seconds: at most a day (86400)"));
            }
            Action::HttpStatus { status, .. } if !(100..=599).contains(status) => {
                return Err(RuleError::Invalid("status: expected 100 to 599"));
            }
            Action::IrpError { code, .. } if code.trim().is_empty() => {
                return Err(RuleError::Invalid("code: must not be empty"));
            }
            action if action.shapes_the_answer() && self.phase == Phase::Before => {
                return Err(RuleError::Invalid(
                    "truncate and slow_body shape the handler's answer: use phase \"after_commit\"",
                ));
            }
            _ => {}
        }
        if self.matcher.nth == Some(0) {
            return Err(RuleError::Invalid("nth: counts from 1"));
        }
        if self
            .matcher
            .probability
            .is_some_and(|p| !(0.0..=1.0).contains(&p))
        {
            return Err(RuleError::Invalid("probability: expected 0 to 1"));
        }
        Ok(self)
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
