//! The upstream IRP: its public key, one HTTP client, and what the ERP is told when the
//! upstream cannot be reached.
//!
//! The key is resolved the way `run` resolves a target ([`Target::resolve`]: a PEM path or
//! `fetch` from an emulator's `/__emulator__/sandbox`), once, at the first login that needs
//! it; so a proxy started before the upstream is reachable (a VPN not up yet) serves, and
//! answers logins with a 502 until it is.
//!
//! # Failures
//!
//! A call the upstream did not answer is answered to the ERP in the IRP envelope, so its
//! error handling sees the shape it knows: `{"Status":0,"Data":null,"ErrorDetails":
//! [{"ErrorCode":…,"ErrorMessage":"…upstream…"}],"InfoDtls":null}`. The code is the HTTP
//! status, as for the emulator's transport-level answers (404, 405, 408, 415):
//!
//! | What happened | HTTP | `ErrorCode` |
//! |---|---|---|
//! | connection refused, DNS, TLS, the answer broken off, the key not fetchable | 502 | `502` |
//! | no answer within the profile's `timeout_seconds` | 504 | `504` |
//!
//! Both are 5xx, so an ERP retries them, and the report counts them as IRP failures, not as
//! the ERP's (see `journal::outcome`). Redirects are not followed: they go back to the ERP.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderName, Method, StatusCode, header};
use irp_client::http_builder;
use rsa::RsaPublicKey;
use serde_json::{Value, json};
use tokio::sync::OnceCell;

use crate::{
    profile::Profile,
    target::{Target, TargetError},
};

/// Why the upstream gave no answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum UpstreamError {
    /// No connection, TLS refused, or the answer broken off.
    #[error("{0}")]
    Unreachable(String),
    /// No answer in time.
    #[error("{0}")]
    Timeout(String),
    /// The upstream answered, but the profile's key could not be read or fetched from it
    /// (a configuration mistake: `irp-conformance proxy` refuses to start on it).
    #[error("{0}")]
    Key(String),
}

impl UpstreamError {
    /// The HTTP status the ERP gets.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Unreachable(_) | Self::Key(_) => StatusCode::BAD_GATEWAY,
            Self::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    /// The IRP envelope the ERP gets.
    pub fn envelope(&self) -> Value {
        json!({
            "Status": 0,
            "Data": null,
            "ErrorDetails": [{ "ErrorCode": self.status().as_str(), "ErrorMessage": self.to_string() }],
            "InfoDtls": null,
        })
    }
}

/// What the upstream answered.
#[derive(Debug)]
pub(super) struct Received {
    /// HTTP status.
    pub(super) status: StatusCode,
    /// Headers, hop-by-hop ones removed.
    pub(super) headers: HeaderMap,
    /// The body as received.
    pub(super) body: Vec<u8>,
}

/// The upstream IRP.
#[derive(Debug)]
pub(super) struct Upstream {
    /// Base URL, without a trailing slash.
    pub(super) base: String,
    http: reqwest::Client,
    timeout: Duration,
    profile: Profile,
    key: OnceCell<RsaPublicKey>,
}

/// Headers that belong to one connection (RFC 9110 §7.6.1), plus those the proxy sets
/// itself: `Host` and `Content-Length` follow the new connection and body; `Expect` (.NET
/// clients send `100-continue` on every POST) was answered by the proxy, which has the
/// whole body already; and `Accept-Encoding` is dropped so the upstream answers
/// uncompressed (the proxy must read the answer to journal it; the ERP gets it
/// uncompressed, which any HTTP client accepts).
const NOT_FORWARDED: [&str; 13] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
    "expect",
    "accept-encoding",
];

/// `headers` without the hop-by-hop ones (and those `Connection` names).
pub(super) fn forwardable(headers: &HeaderMap) -> HeaderMap {
    let named: Vec<String> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    headers
        .iter()
        .filter(|(name, _)| {
            let name = name.as_str();
            !NOT_FORWARDED.contains(&name) && !named.iter().any(|n| n == name)
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

impl Upstream {
    /// The upstream at `base`, with the keys and timeout of `profile`.
    pub(super) fn new(base: &str, profile: Profile) -> Result<Self, irp_client::ClientError> {
        let timeout = Duration::from_secs(profile.timeout_seconds);
        let http = http_builder()?
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            base: base.trim().trim_end_matches('/').to_owned(),
            http,
            timeout,
            profile,
            key: OnceCell::new(),
        })
    }

    /// The upstream's credentials key, resolved at the first call that succeeds.
    pub(super) async fn auth_key(&self) -> Result<&RsaPublicKey, UpstreamError> {
        self.key
            .get_or_try_init(|| async {
                match Target::resolve(&self.profile, &self.base).await {
                    Ok(target) => Ok(target.portal.auth_public),
                    Err(TargetError::Unreachable { source, .. }) => Err(self.failure(&source)),
                    Err(other) => Err(UpstreamError::Key(format!(
                        "the public key of upstream {} could not be read: {other}",
                        self.base
                    ))),
                }
            })
            .await
    }

    fn failure(&self, error: &reqwest::Error) -> UpstreamError {
        if error.is_timeout() {
            UpstreamError::Timeout(format!(
                "upstream {} did not answer within {} s",
                self.base,
                self.timeout.as_secs()
            ))
        } else {
            UpstreamError::Unreachable(format!(
                "upstream {} is unreachable: {}",
                self.base,
                crate::journal::chain(error)
            ))
        }
    }

    /// Sends `method path_and_query` with the ERP's `headers` (hop-by-hop ones dropped) and
    /// `body`; the answer as received.
    pub(super) async fn send(
        &self,
        method: &Method,
        path_and_query: &str,
        headers: &HeaderMap,
        body: Vec<u8>,
    ) -> Result<Received, UpstreamError> {
        let url = format!("{}{path_and_query}", self.base);
        let mut request = self
            .http
            .request(method.clone(), &url)
            .headers(forwardable(headers));
        if !body.is_empty() {
            request = request.body(body);
        }
        let response = request.send().await.map_err(|e| self.failure(&e))?;
        let status = response.status();
        let mut headers = forwardable(response.headers());
        // The body goes back whole, with its own length.
        headers.remove(HeaderName::from_static("content-length"));
        let body = response.bytes().await.map_err(|e| self.failure(&e))?;
        Ok(Received {
            status,
            headers,
            body: body.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn hop_by_hop_headers_stay_behind() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("connection", "keep-alive, x-private"),
            ("x-private", "1"),
            ("keep-alive", "timeout=5"),
            ("transfer-encoding", "chunked"),
            ("host", "proxy:1"),
            ("content-length", "12"),
            ("accept-encoding", "gzip"),
            ("expect", "100-continue"),
            ("client_id", "id"),
            ("authtoken", "t"),
            ("requestid", "r"),
        ] {
            headers.append(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        let forwarded = forwardable(&headers);
        let kept: Vec<&str> = forwarded.keys().map(HeaderName::as_str).collect();
        assert_eq!(kept, ["client_id", "authtoken", "requestid"]);
    }

    #[test]
    fn failures_are_irp_envelopes_with_the_http_status_as_code() {
        let error = UpstreamError::Timeout("upstream x did not answer within 30 s".into());
        assert_eq!(error.status(), StatusCode::GATEWAY_TIMEOUT);
        let envelope = error.envelope();
        assert_eq!(envelope["Status"], 0);
        assert_eq!(envelope["ErrorDetails"][0]["ErrorCode"], "504");
        assert!(
            envelope["ErrorDetails"][0]["ErrorMessage"]
                .as_str()
                .unwrap()
                .contains("upstream")
        );
        assert_eq!(
            UpstreamError::Unreachable(String::new()).status(),
            StatusCode::BAD_GATEWAY
        );
    }
}
