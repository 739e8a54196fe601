//! The reqwest transport over the sans-IO core: send an [`Outgoing`], time it, open the
//! answer. Sessions are renewed here: an unexpected 1005 logs in again once and retries.

mod calls;
mod tls;

use std::time::{Duration, Instant};

use rsa::RsaPublicKey;
use serde_json::{Value, json};

pub use self::tls::{http_builder, tls_config};
use crate::{
    Answer, Caller, ClientError, Endpoint, HeaderOverrides, Login, Outgoing, Session, answer,
    request,
};

/// The IRP a client talks to.
#[derive(Debug, Clone)]
pub struct Portal {
    /// Base URL (`https://…`), without a trailing slash.
    pub base: String,
    /// The API client's id and secret.
    pub caller: Caller,
    /// The RSA key credentials are encrypted with (NIC's published public key).
    pub auth_public: RsaPublicKey,
}

/// A client of one IRP over HTTP(S).
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    portal: Portal,
}

impl Client {
    /// A client of `portal`, abandoning calls after `timeout`.
    pub fn new(portal: Portal, timeout: Duration) -> Result<Self, ClientError> {
        let http = http_builder()?
            .timeout(timeout)
            .user_agent(concat!("irp-client/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { http, portal })
    }

    /// The IRP.
    pub fn portal(&self) -> &Portal {
        &self.portal
    }

    /// Authenticates `login`; the session when `Status` is 1.
    pub async fn login(
        &self,
        login: &Login,
        overrides: HeaderOverrides<'_>,
    ) -> Result<(Answer, Option<Session>), ClientError> {
        let mut out = request::auth_request(&self.portal.caller, login, &self.portal.auth_public)?;
        out.override_headers(overrides);
        let (http_status, raw, elapsed) = self.send(&out).await?;
        let (doc, session) = answer::open_login(login, &raw)?;
        Ok((answer_of(out, http_status, doc, elapsed), session))
    }

    /// Calls `endpoint` in `session` with `payload` (sealed under the SEK as the API wants).
    pub async fn call(
        &self,
        session: &Session,
        endpoint: &Endpoint,
        payload: Option<&Value>,
        overrides: HeaderOverrides<'_>,
    ) -> Result<Answer, ClientError> {
        let mut out = request::api_request(&self.portal.caller, session, endpoint, payload)?;
        out.override_headers(overrides);
        let (http_status, raw, elapsed) = self.send(&out).await?;
        let doc = answer::open_answer(endpoint, session, &raw)?;
        Ok(answer_of(out, http_status, doc, elapsed))
    }

    /// As [`call`](Self::call), but a 1005 (the token is no longer accepted) logs `login` in
    /// again, replaces `session` and retries once, as production clients do.
    pub async fn call_renewing(
        &self,
        session: &mut Session,
        login: &Login,
        endpoint: &Endpoint,
        payload: Option<&Value>,
    ) -> Result<Answer, ClientError> {
        let answer = self.call(session, endpoint, payload, &[]).await?;
        if !answer.error_codes().iter().any(|c| c == "1005") {
            return Ok(answer);
        }
        let (relogin, renewed) = self.login(login, &[]).await?;
        *session = renewed.ok_or_else(|| ClientError::Renewal(describe(&relogin)))?;
        self.call(session, endpoint, payload, &[]).await
    }

    /// An emulator control request (`/__emulator__/…`): `Status` 1 for HTTP 2xx, the
    /// answer as `Data`.
    pub async fn control(
        &self,
        method: http::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Answer, ClientError> {
        let out = Outgoing {
            endpoint: Endpoint {
                method,
                path: format!("/__emulator__{path}"),
                ewb_system: false,
            },
            headers: Vec::new(),
            body: body.cloned(),
            shown: body.cloned().unwrap_or(Value::Null),
        };
        let (http_status, raw, elapsed) = self.send(&out).await?;
        let ok = (200..300).contains(&http_status);
        let doc =
            json!({ "Status": u8::from(ok), "Data": raw, "ErrorDetails": null, "InfoDtls": null });
        Ok(answer_of(out, http_status, doc, elapsed))
    }

    async fn send(&self, out: &Outgoing) -> Result<(u16, Value, Duration), ClientError> {
        let request = reqwest::Request::try_from(out.to_http(&self.portal.base)?)?;
        let started = Instant::now();
        let response = self.http.execute(request).await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        let elapsed = started.elapsed();
        Ok((status, answer::parse_body(status, &bytes)?, elapsed))
    }
}

fn answer_of(out: Outgoing, http_status: u16, doc: Value, elapsed: Duration) -> Answer {
    Answer {
        call: out.endpoint.to_string(),
        http_status,
        request: out.shown,
        doc,
        elapsed,
    }
}

/// `Status 0: 1005 Invalid Token`, for messages.
fn describe(answer: &Answer) -> String {
    let codes = answer.error_codes().join(", ");
    format!(
        "HTTP {} Status {:?} {codes}",
        answer.http_status,
        answer.status()
    )
}
