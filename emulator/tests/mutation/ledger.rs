//! What the clients were told: answer classes (each checked against the documented
//! answers), and per document every Generate IRN attempt and its outcome, to hold against
//! the registry afterwards.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::wire::Reply;

/// The documented HTTP refusals and their codes, in the IRP envelope.
const REFUSALS: [(u16, &str); 4] = [(413, "5002"), (415, "415"), (404, "404"), (405, "405")];

/// How an answer may look for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Allowed {
    /// Valid HTTP: only the IRP envelope or a documented refusal.
    Envelope,
    /// Deliberately broken HTTP framing: hyper's own bodiless 400 is also acceptable.
    HttpLayer400,
}

/// The class of an answer, or why it breaks the contract.
pub(crate) fn classify(reply: &Reply, allowed: Allowed) -> Result<String, String> {
    if reply.status == 400 && reply.body.is_empty() && allowed == Allowed::HttpLayer400 {
        return Ok("HTTP 400 (HTTP layer, not HTTP/1.1)".to_owned());
    }
    let answer: Value = serde_json::from_slice(&reply.body).map_err(|e| {
        format!(
            "HTTP {}: not JSON ({e}): {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
        )
    })?;
    let code = answer["ErrorDetails"][0]["ErrorCode"]
        .as_str()
        .unwrap_or("");
    if let Some((_, expected)) = REFUSALS.iter().find(|(s, _)| *s == reply.status) {
        if answer["Status"] != 0 || code != *expected {
            return Err(format!("HTTP {}: {answer}", reply.status));
        }
        return Ok(format!("HTTP {} code {code}", reply.status));
    }
    if reply.status != 200 {
        return Err(format!("undocumented HTTP {}: {answer}", reply.status));
    }
    if let Some(status) = answer.get("status") {
        // The e-way bill system's own envelope (sandbox cancel).
        return match status.as_str() {
            Some(s @ ("0" | "1")) => Ok(format!("e-way bill system status {s}")),
            _ => Err(format!("e-way bill system envelope: {answer}")),
        };
    }
    match answer["Status"].as_u64() {
        Some(1) => Ok("Status 1".to_owned()),
        Some(0) => {
            let details = answer["ErrorDetails"]
                .as_array()
                .filter(|d| !d.is_empty())
                .ok_or_else(|| format!("Status 0 without ErrorDetails: {answer}"))?;
            if details
                .iter()
                .any(|d| !d["ErrorCode"].is_string() || !d["ErrorMessage"].is_string())
            {
                return Err(format!("malformed ErrorDetails: {answer}"));
            }
            if code == "5001" {
                return Err(format!("a handler panicked (5001): {answer}"));
            }
            Ok(format!("Status 0 code {code}"))
        }
        _ => Err(format!("no Status 0/1: {answer}")),
    }
}

/// A document's identity as Get IRN by document asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct DocKey {
    pub(crate) typ: String,
    pub(crate) no: String,
    pub(crate) dt: String,
}

impl DocKey {
    /// The key of an invoice plaintext, if the plaintext has one.
    pub(crate) fn of(plain: &[u8]) -> Option<Self> {
        let doc: Value = serde_json::from_slice(plain).ok()?;
        let text = |p: &str| doc.pointer(p).and_then(Value::as_str).map(str::to_owned);
        Some(Self {
            typ: text("/DocDtls/Typ")?,
            no: text("/DocDtls/No")?.to_uppercase(),
            dt: text("/DocDtls/Dt")?,
        })
    }
}

/// What the clients were told about one document.
#[derive(Debug, Default)]
pub(crate) struct Told {
    /// AckNos of Status 1 answers.
    pub(crate) acks: Vec<u64>,
    /// AckNos named by 2150 duplicate answers.
    pub(crate) duplicates: Vec<u64>,
    /// Other error codes.
    pub(crate) errors: Vec<String>,
    /// Attempts without an answer (connection cut, or the client went away).
    pub(crate) unanswered: u32,
}

/// Everything the clients were told, shared by the workers.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    pub(crate) classes: BTreeMap<String, u64>,
    pub(crate) docs: HashMap<DocKey, Told>,
    /// IRNs answered Status 1 (for Get, Cancel and e-way bill requests).
    pub(crate) irns: Vec<String>,
    pub(crate) requests: u64,
}

impl Ledger {
    pub(crate) fn count(&mut self, class: &str) {
        *self.classes.entry(class.to_owned()).or_default() += 1;
    }

    /// Records the outcome of a Generate IRN attempt for `key` (`None`: no answer).
    pub(crate) fn generated(&mut self, key: DocKey, answer: Option<(&Value, Option<&Value>)>) {
        let told = self.docs.entry(key).or_default();
        match answer {
            None => told.unanswered += 1,
            Some((envelope, data)) => {
                let code = envelope["ErrorDetails"][0]["ErrorCode"]
                    .as_str()
                    .unwrap_or("");
                if let Some(data) = data {
                    if let Some(ack) = data["AckNo"].as_u64() {
                        told.acks.push(ack);
                    }
                    if let Some(irn) = data["Irn"].as_str() {
                        self.irns.push(irn.to_owned());
                    }
                } else if code == "2150" {
                    let ack = envelope["InfoDtls"][0]["Desc"]["AckNo"].as_u64();
                    told.duplicates.extend(ack);
                } else {
                    told.errors.push(code.to_owned());
                }
            }
        }
    }
}
