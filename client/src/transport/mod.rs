//! The reqwest transport over the sans-IO core: send an [`Outgoing`], time it, open the
//! answer. Sessions are renewed here: an unexpected 1005 logs in again once and retries;
//! [`RetryPolicy`] (`retry.rs`) adds backoff, `Retry-After` and 2150 reconciliation.

mod calls;
mod retry;
mod tls;

use std::time::{Duration, Instant};

use rsa::RsaPublicKey;
use serde_json::{Value, json};

use self::retry::Attempt;
pub use self::retry::{RetryPolicy, transient_status};
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
    /// The emulator's admin token, sent as `Authorization: Bearer` on control requests
    /// (an emulator started with `--admin-token` refuses them otherwise).
    pub admin_token: Option<String>,
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
        let (http_status, raw, elapsed) = self.send(&out).await?.parsed()?;
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
        let (http_status, raw, elapsed) = self.send(&out).await?.parsed()?;
        let doc = answer::open_answer(endpoint, session, &raw)?;
        Ok(answer_of(out, http_status, doc, elapsed))
    }

    /// Sends `out`, a call built beforehand in `session` (by [`request::api_request`]), and
    /// opens the answer: [`call`](Self::call) with the sealing done ahead of time, as a load
    /// generator does before its clock starts.
    pub async fn send_prepared(
        &self,
        session: &Session,
        out: Outgoing,
    ) -> Result<Answer, ClientError> {
        let (http_status, raw, elapsed) = self.send(&out).await?.parsed()?;
        let doc = answer::open_answer(&out.endpoint, session, &raw)?;
        Ok(answer_of(out, http_status, doc, elapsed))
    }

    /// One send of a call, classified for the retry policy; every send of one call carries
    /// the same `requestid`, so the IRP's logs (and the retry auditor) tie them together.
    async fn attempt(
        &self,
        session: &Session,
        endpoint: &Endpoint,
        payload: Option<&Value>,
        request_id: &str,
    ) -> Attempt {
        let mut out = match request::api_request(&self.portal.caller, session, endpoint, payload) {
            Ok(out) => out,
            Err(error) => return Attempt::Answer(Err(error)),
        };
        out.headers
            .push(("requestid".to_owned(), request_id.to_owned()));
        let received = match self.send(&out).await {
            Ok(received) => received,
            Err(error) => {
                return Attempt::Transient {
                    why: format!("transport: {error}"),
                    retry_after: None,
                    last: Err(error),
                };
            }
        };
        let (status, retry_after) = (received.status, received.retry_after);
        let opened = received.parsed().and_then(|(http_status, raw, elapsed)| {
            let doc = answer::open_answer(endpoint, session, &raw)?;
            Ok(answer_of(out, http_status, doc, elapsed))
        });
        let why = match &opened {
            Err(error @ ClientError::NotJson { .. }) => error.to_string(),
            _ if transient_status(status) => format!("HTTP {status}"),
            _ => return Attempt::Answer(opened),
        };
        Attempt::Transient {
            why,
            retry_after,
            last: opened,
        }
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
        let headers = self
            .portal
            .admin_token
            .iter()
            .map(|token| ("Authorization".to_owned(), format!("Bearer {token}")))
            .collect();
        let out = Outgoing {
            endpoint: Endpoint {
                method,
                path: format!("/__emulator__{path}"),
                ewb_system: false,
            },
            headers,
            body: body.cloned(),
            shown: body.cloned().unwrap_or(Value::Null),
        };
        let received = self.send(&out).await?;
        // A control answer may have no body (204); that is not an error here.
        let (http_status, raw, elapsed) = if received.bytes.is_empty() {
            (received.status, Value::Null, received.elapsed)
        } else {
            received.parsed()?
        };
        let ok = (200..300).contains(&http_status);
        let doc =
            json!({ "Status": u8::from(ok), "Data": raw, "ErrorDetails": null, "InfoDtls": null });
        Ok(answer_of(out, http_status, doc, elapsed))
    }

    async fn send(&self, out: &Outgoing) -> Result<Received, ClientError> {
        let request = reqwest::Request::try_from(out.to_http(&self.portal.base)?)?;
        let started = Instant::now();
        let response = self.http.execute(request).await?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok()?.trim().parse().ok())
            .map(Duration::from_secs);
        let bytes = response.bytes().await?;
        Ok(Received {
            status,
            retry_after,
            bytes: bytes.to_vec(),
            elapsed: started.elapsed(),
        })
    }
}

/// An answer as it came off the wire.
struct Received {
    status: u16,
    retry_after: Option<Duration>,
    bytes: Vec<u8>,
    elapsed: Duration,
}

impl Received {
    /// Status, body as JSON, time taken.
    fn parsed(self) -> Result<(u16, Value, Duration), ClientError> {
        Ok((
            self.status,
            answer::parse_body(self.status, &self.bytes)?,
            self.elapsed,
        ))
    }
}

fn answer_of(out: Outgoing, http_status: u16, doc: Value, elapsed: Duration) -> Answer {
    Answer {
        call: out.endpoint.to_string(),
        http_status,
        request: out.shown,
        doc,
        elapsed,
        retries: Vec::new(),
        reconciled: false,
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
