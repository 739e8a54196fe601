//! One request of a load run over HTTP, through the `irp-client` crate, and what its answer
//! counts as.
//!
//! With `--max-attempts 1` (the default) each request is one send, so the latencies are the
//! IRP's own: invoices go out exactly as sealed beforehand (`Client::send_prepared`), and
//! only a 1005 (the session no longer accepted) logs in again, reseals and sends once more.
//! Above 1, calls go through the client's [`RetryPolicy`] (`Client::call_retrying`:
//! backoff, `Retry-After`, renewal, a 2150 after a lost answer reconciled), which seals each
//! send itself, and each request's latency includes its retries and waits.

use std::sync::Arc;

use irp_client::{Answer, Client, ClientError, Endpoint, Outgoing, RetryPolicy, Session, request};
use serde_json::{Value, json};

use super::{
    latency::Outcome,
    mix::LoadApi,
    schedule::Exchange,
    stock::{Invoices, Sealed},
    users::User,
};

/// The IRP under load.
#[derive(Debug)]
pub struct Http {
    /// The client (one connection pool for the run).
    pub client: Client,
    /// The users requests are spread over.
    pub users: Vec<User>,
    /// GSTINs looked up by Get GSTIN details.
    pub gstins: Vec<String>,
    /// The e-way bill details of Generate e-way bill, less `Irn`.
    pub ewb: Value,
    /// `Some` above one attempt: the client's retry policy.
    pub retry: Option<RetryPolicy>,
    /// The run's invoices, for users whose stock runs out.
    pub invoices: Arc<Invoices>,
}

/// A request body.
enum Body<'a> {
    None,
    Plain(&'a Value),
    Sealed(&'a Sealed),
}

impl Exchange for Http {
    async fn perform(&self, k: u64, api: LoadApi) -> Outcome {
        let Some(user) = self.user(k) else {
            return Outcome::skipped();
        };
        match api {
            LoadApi::Generate => self.generate(user).await.0,
            LoadApi::Duplicate => match user.stock.duplicate(k) {
                Some(sealed) => {
                    let answer = self
                        .send(user, &Endpoint::generate_irn(), Body::Sealed(&sealed))
                        .await;
                    judge(&answer, |a| a.error_codes().iter().any(|c| c == "2150"))
                }
                None => Outcome::skipped(),
            },
            LoadApi::Get => match user.stock.any_irn(k) {
                Some(irn) => {
                    self.expect_status(user, &Endpoint::get_irn(&irn), Body::None)
                        .await
                }
                None => Outcome::skipped(),
            },
            LoadApi::Gstin => {
                let gstin = pick(&self.gstins, k).map_or("", String::as_str);
                let endpoint = Endpoint::gstin_details(gstin);
                self.expect_status(user, &endpoint, Body::None).await
            }
            LoadApi::Cancel | LoadApi::Ewb => {
                let Some((user, irn)) = self.unused_irn(k) else {
                    return Outcome::skipped();
                };
                let (endpoint, body) = if api == LoadApi::Cancel {
                    let body = json!({ "Irn": irn, "CnlRsn": "1", "CnlRem": "Wrong entry" });
                    (Endpoint::cancel_irn(), body)
                } else {
                    let mut body = self.ewb.clone();
                    if let Some(map) = body.as_object_mut() {
                        map.insert("Irn".to_owned(), json!(irn));
                    }
                    (Endpoint::generate_ewb(), body)
                };
                self.expect_status(user, &endpoint, Body::Plain(&body))
                    .await
            }
            LoadApi::Health => {
                let answer = self
                    .client
                    .control(reqwest::Method::GET, "/health", None)
                    .await;
                judge(&answer, |a| (200..300).contains(&a.http_status))
            }
        }
    }
}

impl Http {
    /// The user of request `k`: spread by a hash, so that no API of a periodic mix keeps to
    /// one user.
    fn user(&self, k: u64) -> Option<&User> {
        pick(&self.users, splitmix(k))
    }

    /// A registered IRN not used yet, from `k`'s user or the next one holding one.
    fn unused_irn(&self, k: u64) -> Option<(&User, String)> {
        let n = self.users.len();
        let first = usize::try_from(splitmix(k) % n.max(1) as u64).ok()?;
        (0..n)
            .filter_map(|i| self.users.get((first + i) % n))
            .find_map(|user| Some((user, user.stock.use_irn()?)))
    }

    /// Generate IRN for `user`'s next invoice; the IRN is kept when it is registered.
    pub async fn generate(&self, user: &User) -> (Outcome, bool) {
        let sealed = match user.stock.take_invoice() {
            Some(sealed) => sealed,
            None => {
                let sek: Arc<[u8]> = Arc::from(user.session().sek.as_slice());
                self.invoices
                    .late
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                match self.invoices.make(&user.seller, &sek) {
                    Ok(sealed) => sealed,
                    Err(e) => return (failed(&ClientError::from(e)), false),
                }
            }
        };
        let answer = self
            .send(user, &Endpoint::generate_irn(), Body::Sealed(&sealed))
            .await;
        let irn = answer
            .as_ref()
            .ok()
            .filter(|a| a.status() == Some(1))
            .and_then(|a| a.data().get("Irn")?.as_str().map(str::to_owned));
        let registered = irn.is_some();
        if let Some(irn) = irn {
            user.stock.registered(irn, sealed);
        }
        (judge(&answer, |_| registered), registered)
    }

    async fn expect_status(&self, user: &User, endpoint: &Endpoint, body: Body<'_>) -> Outcome {
        let answer = self.send(user, endpoint, body).await;
        judge(&answer, |a| a.status() == Some(1))
    }

    /// Sends `body` to `endpoint` in `user`'s session: once (renewing on 1005), or under the
    /// retry policy.
    async fn send(
        &self,
        user: &User,
        endpoint: &Endpoint,
        body: Body<'_>,
    ) -> Result<Answer, ClientError> {
        if let Some(policy) = &self.retry {
            let plain = match body {
                Body::None => None,
                Body::Plain(value) => Some(value.clone()),
                Body::Sealed(sealed) => Some(sealed.plain()?),
            };
            let mut session = (*user.session()).clone();
            let answer = self
                .client
                .call_retrying(&mut session, &user.login, endpoint, plain.as_ref(), policy)
                .await;
            user.adopt(Arc::new(session));
            return answer;
        }
        let session = user.session();
        let answer = self
            .client
            .send_prepared(&session, prepare(&session, self, endpoint, &body)?)
            .await?;
        if !answer.error_codes().iter().any(|c| c == "1005") {
            return Ok(answer);
        }
        let renewed = user
            .renew(&self.client, &session)
            .await
            .map_err(|e| ClientError::Renewal(e.to_string()))?;
        let mut again = self
            .client
            .send_prepared(&renewed, prepare(&renewed, self, endpoint, &body)?)
            .await?;
        again.retries.push("1005: re-authenticated".to_owned());
        Ok(again)
    }
}

/// The request of `body` in `session`; a sealed invoice is resealed if the session changed.
fn prepare(
    session: &Session,
    http: &Http,
    endpoint: &Endpoint,
    body: &Body<'_>,
) -> Result<Outgoing, ClientError> {
    let caller = &http.client.portal().caller;
    match body {
        Body::None => request::api_request(caller, session, endpoint, None),
        Body::Plain(value) => request::api_request(caller, session, endpoint, Some(value)),
        Body::Sealed(sealed) => {
            let mut out = request::api_request(caller, session, endpoint, None)?;
            let data = sealed.under(&session.sek)?.data;
            out.body = Some(json!({ "Data": data }));
            Ok(out)
        }
    }
}

/// An answer judged by `expected`; a failure to get one is an error named by its kind.
fn judge(answer: &Result<Answer, ClientError>, expected: impl Fn(&Answer) -> bool) -> Outcome {
    match answer {
        Ok(answer) => {
            let ok = expected(answer);
            Outcome {
                sent: true,
                ok,
                code: (!ok).then(|| {
                    answer
                        .error_codes()
                        .into_iter()
                        .next()
                        .unwrap_or_else(|| format!("HTTP {}", answer.http_status))
                }),
                retries: u32::try_from(answer.retries.len()).unwrap_or(u32::MAX),
            }
        }
        Err(error) => failed(error),
    }
}

fn failed(error: &ClientError) -> Outcome {
    let code = match error {
        ClientError::Transport(e) if e.is_timeout() => "timeout".to_owned(),
        ClientError::Transport(_) => "transport".to_owned(),
        ClientError::NotJson { status, .. } => format!("HTTP {status} not JSON"),
        ClientError::Cipher(_) => "decrypt".to_owned(),
        ClientError::Request(_) => "request".to_owned(),
        ClientError::Renewal(_) => "renewal".to_owned(),
    };
    Outcome {
        sent: true,
        ok: false,
        code: Some(code),
        retries: 0,
    }
}

fn pick<T>(list: &[T], k: u64) -> Option<&T> {
    let i = usize::try_from(k.checked_rem(list.len() as u64)?).ok()?;
    list.get(i)
}

/// SplitMix64's finaliser: consecutive `k` land on unrelated values.
fn splitmix(k: u64) -> u64 {
    let mut z = k.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
