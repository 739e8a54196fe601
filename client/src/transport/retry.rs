//! The retry policy of a careful production client, so the harness can show one passing
//! the emulator's faults (and so the retry auditor has a client it should pass):
//!
//! - **Transient failures are retried** with the same request (AES-ECB under the same SEK
//!   makes the same bytes): a transport error (refused, reset, closed, timed out, a body cut
//!   short), an answer that is not JSON (empty, broken, a gateway's HTML page) and HTTP 408,
//!   429, 500, 502, 503 and 504. An IRP rejection (`Status` 0) is an answer, never retried.
//! - **Backoff with jitter**: the nth wait is drawn from `[d/2, d]` with
//!   `d = min(max_delay, base_delay × 2ⁿ⁻¹)` ("equal jitter"), so waits never shrink and
//!   two clients do not retry in step.
//! - **`Retry-After` is honoured**: the wait is at least what the server asked; a request
//!   to wait longer than `max_retry_after` ends the retries.
//! - **1005 re-authenticates once** per call, then the call is made again.
//! - **A 2150 met on a retry of Generate IRN is reconciled**, never registered again under
//!   another number: the IRN was committed and its answer lost. The original is read
//!   through the DUPIRN block's IRN (Get IRN) or, without it, through Get IRN by document,
//!   and that answer is returned.
//! - **A call carried to another IRP after failing at one** ([`Client::call_after_failover`])
//!   treats a 2150 the same way from its first send: the first IRP may have registered the
//!   document before it stopped answering. The original is read at the second IRP through
//!   the `irp` header naming the IRP that holds it (NIC-1/NIC-2 "criss-cross"): the
//!   `RegIrp` of the duplicate's details, else the IRP the call came from.
//! - At most `max_attempts` sends; then the last answer or error is returned.
//! - Every send of one call carries the same `requestid` header.

use std::time::Duration;

use rand::Rng as _;
use serde_json::Value;

use super::{Client, describe};
use crate::{Answer, ClientError, Endpoint, Login, Session, answer::at};

/// How a call is retried (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Sends in all, the first included.
    pub max_attempts: u32,
    /// The first backoff's ceiling.
    pub base_delay: Duration,
    /// The largest backoff.
    pub max_delay: Duration,
    /// A longer `Retry-After` ends the retries instead of waiting.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 6,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all (one send; 1005 still renews once).
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait before retry `n` (from 1), before any `Retry-After`.
    pub fn backoff(&self, n: u32) -> Duration {
        let doublings = n.saturating_sub(1).min(20);
        let ceiling = self
            .base_delay
            .saturating_mul(1 << doublings)
            .min(self.max_delay);
        let half = ceiling / 2;
        let spread = u64::try_from((ceiling - half).as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(rand::thread_rng().gen_range(0..=spread))
    }
}

/// One send's outcome, as the policy sees it.
pub(super) enum Attempt {
    /// An answer to keep (success, or a rejection), or an error not worth a retry.
    Answer(Result<Answer, ClientError>),
    /// A failure worth retrying: why, and the server's `Retry-After`.
    Transient {
        why: String,
        retry_after: Option<Duration>,
        /// The answer or error to return if no retry is left.
        last: Result<Answer, ClientError>,
    },
}

/// HTTP statuses a gateway or an overloaded IRP answers, worth a retry.
pub fn transient_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

impl Client {
    /// Calls `endpoint` under the [`RetryPolicy`]: retries transient failures with
    /// backoff, honours `Retry-After`, renews the session once on 1005, and reconciles a
    /// 2150 met on a retry of Generate IRN. The answer's `retries` say what the earlier
    /// sends met.
    pub async fn call_retrying(
        &self,
        session: &mut Session,
        login: &Login,
        endpoint: &Endpoint,
        payload: Option<&Value>,
        policy: &RetryPolicy,
    ) -> Result<Answer, ClientError> {
        self.retrying(session, login, endpoint, payload, policy, None)
            .await
    }

    /// As [`call_retrying`](Self::call_retrying), at this client's IRP, for a call that
    /// failed at the IRP the `irp` header calls `from` (`NIC1`): a 2150 is reconciled from
    /// the first send, reading the original through the `irp` header (see the module doc).
    pub async fn call_after_failover(
        &self,
        session: &mut Session,
        login: &Login,
        endpoint: &Endpoint,
        payload: Option<&Value>,
        policy: &RetryPolicy,
        from: &str,
    ) -> Result<Answer, ClientError> {
        self.retrying(session, login, endpoint, payload, policy, Some(from))
            .await
    }

    async fn retrying(
        &self,
        session: &mut Session,
        login: &Login,
        endpoint: &Endpoint,
        payload: Option<&Value>,
        policy: &RetryPolicy,
        failed_at: Option<&str>,
    ) -> Result<Answer, ClientError> {
        let mut retries: Vec<String> = failed_at
            .map(|irp| format!("failed over from {irp}"))
            .into_iter()
            .collect();
        let mut renewed = false;
        let mut sends = 0;
        let request_id = format!("{:016x}", rand::random::<u64>());
        loop {
            sends += 1;
            let attempt = self.attempt(session, endpoint, payload, &request_id).await;
            let answer = match attempt {
                Attempt::Answer(answer) => answer?,
                Attempt::Transient {
                    why,
                    retry_after,
                    last,
                } => {
                    let too_long = retry_after.is_some_and(|r| r > policy.max_retry_after);
                    if sends >= policy.max_attempts || too_long {
                        return last.map(|mut a| {
                            a.retries = retries;
                            a
                        });
                    }
                    let wait = policy.backoff(sends).max(retry_after.unwrap_or_default());
                    retries.push(format!("{why}; waited {} ms", wait.as_millis()));
                    tokio::time::sleep(wait).await;
                    continue;
                }
            };
            let codes = answer.error_codes();
            if codes.iter().any(|c| c == "1005") && !renewed {
                renewed = true;
                let (relogin, fresh) = self.login(login, &[]).await?;
                *session = fresh.ok_or_else(|| ClientError::Renewal(describe(&relogin)))?;
                retries.push("1005: re-authenticated".to_owned());
                continue;
            }
            let lost_answer = failed_at.is_some() || retries.iter().any(|r| !r.starts_with("1005"));
            if lost_answer && codes.iter().any(|c| c == "2150") && is_generate(endpoint) {
                retries.push("2150 on a retry: the IRN was registered, reconciled".to_owned());
                let mut original = self.reconcile(session, &answer, payload, failed_at).await?;
                // The call made was Generate IRN with this invoice; its answer is the
                // registration read back.
                original.call = answer.call;
                original.request = answer.request;
                original.retries = retries;
                original.reconciled = true;
                return Ok(original);
            }
            let mut answer = answer;
            answer.retries = retries;
            return Ok(answer);
        }
    }

    /// The registration a 2150 points at: Get IRN of the duplicate block's IRN (`DUPIRN`,
    /// or `DUPIRNGLP` for one held at another IRP), or Get IRN by document from the
    /// invoice's `DocDtls` when there is no block. A registration held at another IRP is
    /// read through the `irp` header: its `RegIrp`, else `failed_at`.
    async fn reconcile(
        &self,
        session: &Session,
        duplicate: &Answer,
        invoice: Option<&Value>,
        failed_at: Option<&str>,
    ) -> Result<Answer, ClientError> {
        let block = duplicate
            .doc
            .get("InfoDtls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|i| {
                matches!(
                    i.get("InfCd").and_then(Value::as_str),
                    Some("DUPIRN" | "DUPIRNGLP")
                )
            });
        let elsewhere = block.is_some_and(|b| at(b, "/InfCd").as_str() == Some("DUPIRNGLP"));
        let holder = block
            .and_then(|b| at(b, "/Desc/IrnDtl/RegIrp").as_str())
            .map(str::to_owned)
            .or_else(|| {
                failed_at
                    .filter(|_| elsewhere || block.is_none())
                    .map(str::to_owned)
            });
        let headers: Vec<(String, Option<String>)> = holder
            .map(|irp| ("irp".to_owned(), Some(irp)))
            .into_iter()
            .collect();
        let endpoint = match block.and_then(|b| at(b, "/Desc/Irn").as_str()) {
            Some(irn) => Endpoint::get_irn(irn),
            None => {
                let invoice = invoice.unwrap_or(&Value::Null);
                let text = |p: &str| at(invoice, p).as_str().unwrap_or_default().to_owned();
                Endpoint::get_irn_by_document(
                    &text("/DocDtls/Typ"),
                    &text("/DocDtls/No"),
                    &text("/DocDtls/Dt"),
                )
            }
        };
        self.call(session, &endpoint, None, &headers).await
    }
}

fn is_generate(endpoint: &Endpoint) -> bool {
    endpoint.method == http::Method::POST && endpoint.path == Endpoint::generate_irn().path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_within_its_jitter_and_stops_at_the_ceiling() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for _ in 0..200 {
            let waits: Vec<u128> = (1..=6).map(|n| policy.backoff(n).as_millis()).collect();
            let bounds = [
                (50, 100),
                (100, 200),
                (200, 400),
                (400, 800),
                (500, 1000),
                (500, 1000),
            ];
            for (wait, (low, high)) in waits.iter().zip(bounds) {
                assert!((low..=high).contains(wait), "{waits:?}");
            }
            // Equal jitter never shrinks from one doubling to the next.
            assert!(waits.windows(2).take(3).all(|w| w[0] <= w[1]), "{waits:?}");
        }
    }

    #[test]
    fn gateway_and_throttling_statuses_are_transient_and_answers_are_not() {
        let transient: Vec<u16> = (100..600).filter(|s| transient_status(*s)).collect();
        assert_eq!(transient, [408, 429, 500, 502, 503, 504]);
    }
}
