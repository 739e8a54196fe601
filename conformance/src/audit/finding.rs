//! What the auditor reports: one [`Finding`] per misbehaviour and subject, named by a
//! [`Check`] whose snake-case name is stable (scripts and CI match on it).

use serde::Serialize;

/// How bad a finding is. Either makes `audit` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Wrong behaviour that costs registrations, money or a blocked client.
    Error,
    /// Behaviour worth changing, not wrong by itself.
    Warning,
}

/// The checks, in report order. Serialised as [`Check::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    /// Called again before a 429/503's `Retry-After` had passed.
    RetryAfterIgnored,
    /// Retries after transient failures too close together, or not spreading out.
    NoBackoff,
    /// More consecutive failed attempts than allowed without giving up.
    UnboundedRetries,
    /// The same document resent with other content after a transient failure.
    PayloadChangedOnRetry,
    /// A login before most calls.
    ReauthEveryCall,
    /// Called again after 1005 without logging in, or 1005 again and again.
    NoReauthAfter1005,
    /// After 2150, the invoice registered under a new number, or never looked up.
    DuplicateNotReconciled,
    /// Two IRNs for one invoice.
    TwoIrnsForOneInvoice,
    /// One document registered at two IRPs.
    RegisteredAtTwoIrps,
    /// A document dropped after its Generate IRN failed at one IRP and the client moved on.
    AbandonedAfterFailover,
    /// Submitted with under 5 days of the 30-day reporting window left.
    LateSubmission,
}

impl Check {
    /// Every check, in report order.
    pub const ALL: [Check; 11] = [
        Check::RetryAfterIgnored,
        Check::NoBackoff,
        Check::UnboundedRetries,
        Check::PayloadChangedOnRetry,
        Check::ReauthEveryCall,
        Check::NoReauthAfter1005,
        Check::DuplicateNotReconciled,
        Check::TwoIrnsForOneInvoice,
        Check::RegisteredAtTwoIrps,
        Check::AbandonedAfterFailover,
        Check::LateSubmission,
    ];

    /// The stable snake-case name.
    pub fn name(self) -> &'static str {
        match self {
            Check::RetryAfterIgnored => "retry_after_ignored",
            Check::NoBackoff => "no_backoff",
            Check::UnboundedRetries => "unbounded_retries",
            Check::PayloadChangedOnRetry => "payload_changed_on_retry",
            Check::ReauthEveryCall => "reauth_every_call",
            Check::NoReauthAfter1005 => "no_reauth_after_1005",
            Check::DuplicateNotReconciled => "duplicate_not_reconciled",
            Check::TwoIrnsForOneInvoice => "two_irns_for_one_invoice",
            Check::RegisteredAtTwoIrps => "registered_at_two_irps",
            Check::AbandonedAfterFailover => "abandoned_after_failover",
            Check::LateSubmission => "late_submission",
        }
    }

    /// The severity of its findings.
    pub fn severity(self) -> Severity {
        match self {
            Check::ReauthEveryCall | Check::LateSubmission => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The exact rule, in words (the footer of `audit.md`; the module doc's table is the
    /// same text, and a test holds them together).
    pub fn rule(self) -> &'static str {
        match self {
            Check::RetryAfterIgnored => {
                "After an HTTP 429 or 503 with a Retry-After of N s, the same client (client id \
                 and GSTIN) called the same API less than N s after the answer left (wall time, \
                 10 ms tolerance). A call that arrived before the answer left is no reaction to \
                 it and is not counted."
            }
            Check::NoBackoff => {
                "After a transient failure without Retry-After (5xx, 408, a connection-level \
                 fault, or a call the client stopped waiting for: its retry arrived before the \
                 answer left), a retry of the same document or call came under 100 ms after the \
                 failure, the first retry of a run excepted (a stale pooled connection is \
                 commonly retried at once); or over 3 or more consecutive such retries no pause \
                 was at least 1.5 times the first (an immediate first retry left out). A pause \
                 runs from the answer, or from the arrival of a call the client stopped waiting \
                 for."
            }
            Check::UnboundedRetries => {
                "More than --max-retries (default 10) consecutive failed attempts at the same \
                 document or call by the same client, whether or not it got through in the end."
            }
            Check::PayloadChangedOnRetry => {
                "The same document (seller GSTIN, type, number, date) was resent with other \
                 content (key order, whitespace and number spelling aside) after a transient \
                 failure or 1005, when the first attempt may already be registered. Changing an \
                 invoice after a rejection is the fix and is not flagged."
            }
            Check::ReauthEveryCall => {
                "Logins are at least half of the client's other calls (at least 5 of them), not \
                 counting logins that follow a 1005."
            }
            Check::NoReauthAfter1005 => {
                "After a 1005 answer the client made another call (arriving after that answer \
                 left) with no login in between; or 3 or more 1005 answers in a row, each after a \
                 successful login that followed the one before and none injected by a fault: the \
                 client logs in but keeps the old token."
            }
            Check::DuplicateNotReconciled => {
                "After a 2150 answer the client sent the same invoice content under a new \
                 document number; or the answer had no DUPIRN block and no later call with the \
                 same GSTIN asked for the original (Get IRN by document for that document, or Get \
                 IRN of an IRN the journal shows for it). A DUPIRN block is taken as used: its \
                 use cannot be seen in the journal."
            }
            Check::TwoIrnsForOneInvoice => {
                "Identical invoice content holding IRNs under different numbers (a successful \
                 Generate IRN, whether or not the client waited for its answer, or a 2150 whose DUPIRN block names the IRN an unseen answer \
                 gave), or two successful Generate IRN answers for the same document at one IRP."
            }
            Check::RegisteredAtTwoIrps => {
                "The same document (seller GSTIN, type, number, date) was registered at two or \
                 more IRPs: their Generate IRN answers said so, whether or not the client saw \
                 them (an answer lost to a fault counts)."
            }
            Check::AbandonedAfterFailover => {
                "A Generate IRN for a document failed transiently at one IRP (5xx, 408, 429, a \
                 connection-level fault, or a call the client stopped waiting for), the same \
                 client then called another IRP, and the document never got an IRN the client \
                 saw at any IRP: no successful Generate IRN, no 2150 for it, no successful Get \
                 IRN by document."
            }
            Check::LateSubmission => {
                "An invoice first submitted more than 25 days after its document date (the \
                 emulator's clock, IST): under 5 days of the 30-day reporting window left."
            }
        }
    }
}

// By hand, so the JSON name is `name()` itself (serde's snake case would write
// `no_reauth_after1005`).
impl Serialize for Check {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One misbehaviour, with the journal entries that show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Which check.
    pub name: Check,
    /// How bad.
    pub severity: Severity,
    /// The caller's `client_id` header ("" when absent).
    pub client_id: String,
    /// The caller's `Gstin` header ("" when absent).
    pub gstin: String,
    /// The IRP of the calls behind it, when the check is about one IRP's calls in a journal
    /// of several ("" otherwise, and then left out of the JSON).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub irp: String,
    /// What it is about: a document, an API, a path.
    pub subject: String,
    /// What happened, in a sentence.
    pub message: String,
    /// The journal entry ids behind it, ascending.
    pub entries: Vec<i64>,
}

impl Finding {
    /// A finding of `check` by `caller` about `subject`.
    pub(super) fn new(
        check: Check,
        caller: &super::attempts::Caller,
        subject: impl Into<String>,
        message: impl Into<String>,
        mut entries: Vec<i64>,
    ) -> Self {
        entries.sort_unstable();
        entries.dedup();
        Self {
            name: check,
            severity: check.severity(),
            client_id: caller.client_id.clone(),
            gstin: caller.gstin.clone(),
            irp: caller.irp.clone(),
            subject: subject.into(),
            message: message.into(),
            entries,
        }
    }
}
