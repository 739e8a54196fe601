//! The IRP being tested: its base URL and keys (as the client's [`Portal`]), the
//! certificate its signed documents verify with, and whether it is the emulator (a report
//! of the emulator, or of any target on this machine, is a rehearsal).
//!
//! Resolving a target is harness business (the profile's `fetch`, the control namespace's
//! clock); the client only needs the resolved [`Portal`].

use irp_client::{Caller, Client, ClientError, Portal, Verifier, at, http_builder};
use rsa::{RsaPublicKey, pkcs8::DecodePublicKey};
use serde_json::Value;
use time::{Date, OffsetDateTime, UtcOffset, macros::offset};

use crate::profile::{FETCH, Profile};

/// India Standard Time, the IRP's clock.
pub const IST: UtcOffset = offset!(+5:30);

/// Why a target could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// The target did not answer.
    #[error("target {base} is unreachable: {source}")]
    Unreachable {
        /// Base URL.
        base: String,
        /// The cause.
        source: reqwest::Error,
    },
    /// A key could not be fetched or read.
    #[error("{0}")]
    Key(String),
    /// No HTTP client could be built.
    #[error("{0}")]
    Client(#[from] ClientError),
}

/// A target, ready for a client.
#[derive(Debug, Clone)]
pub struct Target {
    /// Base URL (without a trailing slash), client id and secret, the credentials key.
    pub portal: Portal,
    /// The key signed documents are verified with.
    pub verifier: Verifier,
    /// The target answers the emulator's control namespace.
    pub control: bool,
    /// The target is the emulator: its `/__emulator__/health` (which answers any caller)
    /// said `status: ok`.
    pub emulator: bool,
    /// The target's today (IST): the emulator's clock, else the wall clock.
    pub today: Date,
}

impl Target {
    /// Resolves `profile` against `base`: probes the control namespace, fetches or reads keys.
    pub async fn resolve(profile: &Profile, base: &str) -> Result<Self, TargetError> {
        let base = base.trim_end_matches('/').to_owned();
        let http = http_builder()?
            .timeout(std::time::Duration::from_secs(profile.timeout_seconds))
            .build()
            .map_err(|source| TargetError::Unreachable {
                base: base.clone(),
                source,
            })?;
        let token = profile.admin_token.as_deref();
        let health = probe(&http, &format!("{base}/__emulator__/health"), token)
            .await
            .map_err(|source| TargetError::Unreachable {
                base: base.clone(),
                source,
            })?;
        // Health answers anyone; the rest of the control namespace only loopback callers or
        // the admin token, so the clock says whether control steps can run.
        let emulator = health.as_ref().is_some_and(|h| at(h, "/status") == "ok");
        let control = emulator
            && probe(&http, &format!("{base}/__emulator__/clock"), token)
                .await
                .is_ok_and(|clock| clock.is_some());
        let today = health
            .as_ref()
            .and_then(|h| at(h, "/now").as_str())
            .and_then(|now| now.get(..10))
            .and_then(|day| {
                Date::parse(
                    day,
                    time::macros::format_description!("[year]-[month]-[day]"),
                )
                .ok()
            })
            .unwrap_or_else(|| OffsetDateTime::now_utc().to_offset(IST).date());
        let needs_fetch = profile.auth_public_key == FETCH || profile.signing_certificate == FETCH;
        let sandbox = if needs_fetch {
            probe(&http, &format!("{base}/__emulator__/sandbox"), token)
                .await
                .ok()
                .flatten()
                .ok_or_else(|| {
                    let hint = if token.is_none() {
                        " (for an emulator started with an admin token, pass it with \
                         --admin-token)"
                    } else {
                        ""
                    };
                    TargetError::Key(format!(
                        "the profile says `fetch` but {base}/__emulator__/sandbox does not answer{hint}; \
                         give PEM paths for auth_public_key and signing_certificate"
                    ))
                })?
        } else {
            Value::Null
        };
        let pem = |setting: &str, member: &str| -> Result<String, TargetError> {
            if setting == FETCH {
                sandbox
                    .get(member)
                    .unwrap_or(&Value::Null)
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| TargetError::Key(format!("sandbox answer lacks {member}")))
            } else {
                std::fs::read_to_string(setting)
                    .map_err(|e| TargetError::Key(format!("{setting}: {e}")))
            }
        };
        let auth_public: RsaPublicKey = RsaPublicKey::from_public_key_pem(&pem(
            &profile.auth_public_key,
            "auth_public_key_pem",
        )?)
        .map_err(|e| TargetError::Key(format!("auth public key: {e}")))?;
        let verifier = Verifier::from_certificate_pem(&pem(
            &profile.signing_certificate,
            "signing_certificate_pem",
        )?)
        .map_err(|e| TargetError::Key(e.to_string()))?;
        Ok(Self {
            portal: Portal {
                base,
                caller: Caller::new(&profile.client_id, &profile.client_secret),
                auth_public,
                admin_token: profile.admin_token.clone(),
            },
            verifier,
            control,
            emulator,
            today,
        })
    }

    /// Why a report of this target is a rehearsal (not evidence for NIC): it is the
    /// emulator, or its host is this machine. `None` for any other IRP.
    pub fn rehearsal(&self) -> Option<String> {
        if self.emulator {
            return Some(format!(
                "{} is the emulator: its /__emulator__/health answered status ok",
                self.portal.base
            ));
        }
        loopback_host(&self.portal.base)
            .map(|host| format!("the target host {host} is this machine (loopback)"))
    }
}

/// The host of `url` when it is this machine (`localhost`, `127.0.0.0/8`, `::1`, or the
/// unspecified address, which connects here).
pub fn loopback_host(url: &str) -> Option<String> {
    let url = reqwest::Url::parse(url).ok()?;
    let host = url.host_str()?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let local = match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => {
            let ip = ip.to_canonical();
            ip.is_loopback() || ip.is_unspecified()
        }
        Err(_) => {
            let name = bare.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    };
    local.then(|| host.to_owned())
}

impl Target {
    /// A client of this target, abandoning calls after `timeout`.
    pub fn client(&self, timeout: std::time::Duration) -> Result<Client, ClientError> {
        Client::new(self.portal.clone(), timeout)
    }
}

/// GETs `url` (with the admin token, if any): `Ok(None)` when it answers but not with JSON
/// 200, `Err` when it does not answer.
async fn probe(
    http: &reqwest::Client,
    url: &str,
    admin_token: Option<&str>,
) -> Result<Option<Value>, reqwest::Error> {
    let mut request = http.get(url);
    if let Some(token) = admin_token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await?;
    if !response.status().is_success() {
        return Ok(None);
    }
    Ok(response.json::<Value>().await.ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_this_machine_and_others_are_not() {
        for url in [
            "http://127.0.0.1:8080",
            "http://127.8.9.10/",
            "http://localhost:1",
            "https://LOCALHOST./x",
            "http://api.localhost",
            "http://[::1]:8080",
            "http://[::ffff:127.0.0.1]:80",
            "http://0.0.0.0:8080",
        ] {
            assert!(loopback_host(url).is_some(), "{url}");
        }
        for url in [
            "https://einv-apisandbox.nic.in",
            "https://10.0.0.1",
            "http://localhost.example.com",
            "not a url",
        ] {
            assert_eq!(loopback_host(url), None, "{url}");
        }
    }
}
