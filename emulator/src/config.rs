//! Settings: what the emulator does where NIC's behaviour is a choice.
//!
//! Precedence is command line, then environment (`IRP_EMULATOR_*`), then the TOML file given
//! with `--config`, then the defaults here. Each knob exists because the sources disagree or
//! because a team needs to rehearse a rule that is announced but not yet live.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use time::Duration;

use crate::rules::RuleSettings;
use crate::store::Synchronous;
use crate::{journal::Retention, server::ServerLimits};

/// Which IRP to imitate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum, Default)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// NIC's sandbox: 60-minute tokens, `iss` "NIC Sandbox".
    #[default]
    Sandbox,
    /// Production: 360-minute tokens, `iss` "NIC".
    Production,
}

impl Profile {
    /// Token lifetime.
    pub fn token_lifetime(self) -> Duration {
        match self {
            Self::Sandbox => Duration::minutes(60),
            Self::Production => Duration::minutes(360),
        }
    }

    /// The JWS `iss` claim.
    pub fn issuer(self) -> &'static str {
        match self {
            Self::Sandbox => "NIC Sandbox",
            Self::Production => "NIC",
        }
    }
}

/// How wrong credentials are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CredentialErrors {
    /// 1017 unknown user, 1019 wrong password (what the sandbox answers).
    #[default]
    Specific,
    /// 1008 for both.
    Generic,
}

/// The answer when a token is presented with another GSTIN than it was issued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum GstinMismatch {
    /// 1005 Invalid Token.
    #[default]
    #[serde(rename = "1005")]
    InvalidToken,
    /// 1015 Invalid GSTIN for this user.
    #[serde(rename = "1015")]
    InvalidGstinForUser,
}

/// A client id and secret the emulator accepts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ClientCredentials {
    /// The `client_id` header value.
    pub client_id: String,
    /// The `client_secret` header value.
    pub client_secret: String,
}

/// The resolved behaviour settings of a running emulator.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Sandbox or production.
    pub profile: Profile,
    /// Token lifetime (from the profile unless overridden).
    pub token_lifetime: Duration,
    /// Largest accepted request body in bytes; larger ones get 5002.
    pub body_limit: usize,
    /// Refuse GSTINs whose check character is wrong (the sandbox does not).
    pub strict_gstin_check_digit: bool,
    /// 1017/1019 or 1008.
    pub credential_errors: CredentialErrors,
    /// 1005 or 1015.
    pub gstin_mismatch: GstinMismatch,
    /// Accepted API clients; the first is the one `/__emulator__/sandbox` hands out.
    pub clients: Vec<ClientCredentials>,
    /// When set, the control namespace requires `Authorization: Bearer <token>` and is open
    /// to any address; when unset it answers only loopback callers.
    pub admin_token: Option<String>,
    /// Business-rule knobs (`[rules]`).
    pub rules: RuleSettings,
    /// Journal retention (`[journal]`).
    pub journal: Retention,
    /// Connection limits and timeouts (`[server]`).
    pub server: ServerLimits,
    /// Fault injection: the seed and whether the per-call header is honoured.
    pub faults: FaultSettings,
    /// The IRP these settings serve (each IRP of a process has its own copy).
    pub irp: crate::irp::Irp,
}

/// Fault injection settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultSettings {
    /// Honour `X-Emulator-Fault` (`--allow-fault-header`).
    pub allow_header: bool,
    /// The fault generator's seed (`--seed`; random and printed at start when not given).
    pub seed: u64,
}

/// The default client credentials.
pub const DEFAULT_CLIENT_ID: &str = "irp-emulator-client";
/// The default client secret.
pub const DEFAULT_CLIENT_SECRET: &str = "irp-emulator-secret";

impl Settings {
    /// Defaults for a profile.
    pub fn for_profile(profile: Profile) -> Self {
        Self {
            profile,
            token_lifetime: profile.token_lifetime(),
            body_limit: 5 * 1024 * 1024,
            strict_gstin_check_digit: false,
            credential_errors: CredentialErrors::default(),
            gstin_mismatch: GstinMismatch::default(),
            clients: vec![
                ClientCredentials {
                    client_id: DEFAULT_CLIENT_ID.into(),
                    client_secret: DEFAULT_CLIENT_SECRET.into(),
                },
                ClientCredentials {
                    client_id: "second-gsp-client".into(),
                    client_secret: "second-gsp-secret".into(),
                },
            ],
            admin_token: None,
            rules: RuleSettings::default(),
            journal: Retention::default(),
            server: ServerLimits::default(),
            faults: FaultSettings::default(),
            irp: crate::irp::Irp::default(),
        }
    }

    /// The JWS issuer.
    pub fn issuer(&self) -> &'static str {
        self.profile.issuer()
    }

    /// Applies a config file's behaviour settings on top of these.
    pub fn apply(&mut self, file: &ConfigFile) {
        if let Some(minutes) = file.token_lifetime_minutes {
            self.token_lifetime = Duration::minutes(minutes);
        }
        if let Some(limit) = file.body_limit_bytes {
            self.body_limit = limit;
        }
        if let Some(strict) = file.strict_gstin_check_digit {
            self.strict_gstin_check_digit = strict;
        }
        if let Some(mode) = file.credential_errors {
            self.credential_errors = mode;
        }
        if let Some(mode) = file.gstin_mismatch_error {
            self.gstin_mismatch = mode;
        }
        if let Some(clients) = &file.clients {
            self.clients = clients.clone();
        }
        if let Some(rules) = &file.rules {
            self.rules = rules.clone();
        }
        if let Some(journal) = file.journal {
            self.journal = journal;
        }
        if let Some(server) = file.server {
            self.server = server;
        }
        if let Some(allow) = file.allow_fault_header {
            self.faults.allow_header = allow;
        }
        if let Some(seed) = file.seed {
            self.faults.seed = seed;
        }
    }
}

impl Settings {
    /// How client-sent GSTINs are parsed under `strict_gstin_check_digit`.
    pub fn gstin_check(&self) -> crate::gstin::GstinCheck {
        crate::gstin::GstinCheck::strict(self.strict_gstin_check_digit)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self::for_profile(Profile::Sandbox)
    }
}

/// The TOML configuration file (every key optional; see `emulator.example.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Listen address.
    pub addr: Option<String>,
    /// Key directory.
    pub keys: Option<PathBuf>,
    /// Serve HTTPS.
    pub tls: Option<bool>,
    /// Profile.
    pub profile: Option<Profile>,
    /// Log filter.
    pub log: Option<String>,
    /// `"text"` or `"json"`.
    pub log_format: Option<crate::logging::LogFormat>,
    /// Control-namespace token.
    pub admin_token: Option<String>,
    /// Token lifetime override, minutes.
    pub token_lifetime_minutes: Option<i64>,
    /// Body size limit, bytes.
    pub body_limit_bytes: Option<usize>,
    /// Enforce the GSTIN check character.
    pub strict_gstin_check_digit: Option<bool>,
    /// `"specific"` or `"generic"`.
    pub credential_errors: Option<CredentialErrors>,
    /// `"1005"` or `"1015"`.
    pub gstin_mismatch_error: Option<GstinMismatch>,
    /// Accepted clients (replaces the defaults).
    pub clients: Option<Vec<ClientCredentials>>,
    /// Business-rule knobs; keys left out keep their defaults.
    pub rules: Option<RuleSettings>,
    /// State directory.
    pub data_dir: Option<PathBuf>,
    /// Keep state in memory only.
    pub in_memory: Option<bool>,
    /// `"full"`, `"normal"` or `"off"`: how hard a commit waits for the disk.
    pub synchronous: Option<Synchronous>,
    /// Journal retention; keys left out keep their defaults.
    pub journal: Option<Retention>,
    /// Connection limits and timeouts; keys left out keep their defaults.
    pub server: Option<ServerLimits>,
    /// Virtual seconds per wall-clock second at start.
    pub clock_speed: Option<f64>,
    /// Fault rules and rate limits to load at start (`[[fault]]`, `[[rate_limit]]`).
    pub faults: Option<PathBuf>,
    /// Honour the `X-Emulator-Fault` header.
    pub allow_fault_header: Option<bool>,
    /// The fault generator's seed.
    pub seed: Option<u64>,
    /// The IRPs to serve (`[[irp]]` tables); absent, one `nic1` on `addr`.
    pub irp: Option<Vec<crate::irp::IrpTable>>,
}

/// Why the configuration file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Unreadable file.
    #[error("reading {path}: {source}")]
    Read {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Invalid TOML or unknown keys.
    #[error("{path}: {source}")]
    Parse {
        /// The path.
        path: String,
        /// The cause.
        source: toml::de::Error,
    },
    /// The IRPs (`--irps`, `[[irp]]`) do not add up.
    #[error(transparent)]
    Irps(#[from] crate::irp::IrpConfigError),
}

impl ConfigFile {
    /// Reads and parses a TOML file.
    pub fn read(path: &Path) -> Result<Self, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: shown,
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_parses_and_applies() {
        let file: ConfigFile = toml::from_str(include_str!("../emulator.example.toml")).unwrap();
        let mut settings = Settings::for_profile(file.profile.unwrap_or_default());
        settings.apply(&file);
        assert_eq!(settings.profile, Profile::Sandbox);
        assert_eq!(settings.gstin_mismatch, GstinMismatch::InvalidToken);
        assert_eq!(settings.journal, Retention::default());
        assert_eq!(file.synchronous, Some(Synchronous::Full));
        assert_eq!(file.data_dir.as_deref(), Some(Path::new(".irp-emulator")));
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(toml::from_str::<ConfigFile>("tokn_lifetime_minutes = 5").is_err());
        let file: ConfigFile =
            toml::from_str("token_lifetime_minutes = 5\ngstin_mismatch_error = \"1015\"").unwrap();
        let mut settings = Settings::default();
        settings.apply(&file);
        assert_eq!(settings.token_lifetime, Duration::minutes(5));
        assert_eq!(settings.gstin_mismatch, GstinMismatch::InvalidGstinForUser);
    }

    #[test]
    fn profiles() {
        assert_eq!(
            Settings::for_profile(Profile::Production).token_lifetime,
            Duration::minutes(360)
        );
        assert_eq!(Settings::for_profile(Profile::Production).issuer(), "NIC");
        assert_eq!(Settings::default().issuer(), "NIC Sandbox");
    }
}
