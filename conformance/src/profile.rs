//! The profile: where the IRP is, as whom to call it, and the report's header fields.
//!
//! Scenario files name *roles* (`supplier`, `buyer_other_state`); the profile maps each
//! role to a GSTIN, an API user and an address. That is what lets the same onboarding
//! suite run against the emulator (the built-in profile) and against NIC's sandbox (a
//! profile holding the team's own sandbox credentials) without editing a scenario.

use std::{collections::BTreeMap, path::Path};

use serde::{Deserialize, Serialize};

use crate::{api::Minimums, report::Header};

/// The built-in profile: the emulator's magic taxpayers and default client.
pub const EMULATOR_PROFILE: &str = include_str!("../profiles/emulator.toml");

/// The literal that asks for a key to be fetched from the emulator's `/__emulator__/sandbox`.
pub const FETCH: &str = "fetch";

/// One role: a taxpayer and, when the role makes calls, its API user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// GSTIN (or `URP` for an unregistered foreign buyer).
    pub gstin: String,
    /// API user name; absent for roles that never call.
    #[serde(default)]
    pub username: Option<String>,
    /// API password.
    #[serde(default)]
    pub password: Option<String>,
    /// Legal name.
    #[serde(default)]
    pub legal_name: String,
    /// Address line 1.
    #[serde(default)]
    pub address: String,
    /// Location (city).
    #[serde(default)]
    pub location: String,
    /// PIN code.
    #[serde(default)]
    pub pin: u32,
    /// Two-digit state code.
    #[serde(default)]
    pub state_code: String,
}

/// A profile file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Base URL of the IRP; absent (and no `--target`): start the emulator in-process.
    #[serde(default)]
    pub base_url: Option<String>,
    /// `client_id` header.
    pub client_id: String,
    /// `client_secret` header.
    pub client_secret: String,
    /// The IRP's RSA public key for credentials: a PEM path or [`FETCH`].
    pub auth_public_key: String,
    /// The IRP's signing certificate for `SignedInvoice`/`SignedQRCode`: a PEM path or
    /// [`FETCH`].
    pub signing_certificate: String,
    /// Which minimums the report checks.
    #[serde(default)]
    pub minimums: Minimums,
    /// Seconds before a call is abandoned.
    #[serde(default = "timeout")]
    pub timeout_seconds: u64,
    /// Roles → parties.
    pub parties: BTreeMap<String, Party>,
    /// Header fields of the report (GSTINs, user ids and dates are filled in by the run).
    #[serde(default)]
    pub report: Header,
    /// The admin token of an emulator started with `--admin-token` (its control namespace
    /// answers others only from loopback); `--admin-token` overrides it.
    #[serde(default)]
    pub admin_token: Option<String>,
}

fn timeout() -> u64 {
    30
}

/// Why a profile could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// Unreadable file.
    #[error("profile {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Not a valid profile.
    #[error("profile {path}: {source}")]
    Toml {
        /// The file.
        path: String,
        /// The cause.
        source: toml::de::Error,
    },
    /// A role without a user is asked to call.
    #[error("profile role `{0}` has no username/password")]
    NoUser(String),
}

impl Profile {
    /// The built-in emulator profile.
    pub fn emulator() -> Self {
        Self::parse(EMULATOR_PROFILE, "built-in emulator profile")
            .unwrap_or_else(|e| unreachable!("the built-in profile parses: {e}"))
    }

    /// Parses profile text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, ProfileError> {
        toml::from_str(text).map_err(|source| ProfileError::Toml {
            path: origin.to_owned(),
            source,
        })
    }

    /// Reads a profile file; relative key paths become relative to its directory.
    pub fn load(path: &Path) -> Result<Self, ProfileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Io {
            path: shown.clone(),
            source,
        })?;
        let mut profile = Self::parse(&text, &shown)?;
        let base = path.parent().unwrap_or_else(|| Path::new("."));
        for source in [
            &mut profile.auth_public_key,
            &mut profile.signing_certificate,
        ] {
            if source != FETCH && Path::new(source.as_str()).is_relative() {
                *source = base.join(source.as_str()).display().to_string();
            }
        }
        Ok(profile)
    }

    /// The party of `role`.
    pub fn party(&self, role: &str) -> Option<&Party> {
        self.parties.get(role)
    }

    /// The header block with the GSTINs and user ids of the roles that call.
    pub fn header(&self) -> Header {
        let mut header = self.report.clone();
        if header.gstins.is_empty() {
            header.gstins = self.callers().map(|p| p.gstin.clone()).collect();
            header.gstins.dedup();
        }
        if header.user_ids.is_empty() {
            header.user_ids = self.callers().filter_map(|p| p.username.clone()).collect();
        }
        header
    }

    fn callers(&self) -> impl Iterator<Item = &Party> {
        self.parties.values().filter(|p| p.username.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_profile_has_the_onboarding_roles() {
        let profile = Profile::emulator();
        for role in [
            "supplier",
            "supplier_other",
            "buyer_same_state",
            "buyer_other_state",
            "sez_unit",
        ] {
            assert!(profile.party(role).is_some(), "{role}");
        }
        assert_eq!(profile.auth_public_key, FETCH);
        let header = profile.header();
        assert!(header.gstins.contains(&"29AAACL1111A1ZD".to_owned()));
        assert!(header.user_ids.contains(&"large_supplier".to_owned()));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let text = format!("base_ulr = \"x\"\n{EMULATOR_PROFILE}");
        assert!(matches!(
            Profile::parse(&text, "t"),
            Err(ProfileError::Toml { .. })
        ));
    }
}
