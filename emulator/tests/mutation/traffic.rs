//! One worker's traffic: valid requests (built by `irp-client` with a real session), the
//! same with one field, byte or header changed, random bodies, wrong methods, empty and
//! huge bodies, and raw TCP abuse (requests cut mid-way, the connection closed right after
//! sending, bytes that are not HTTP). Every answer is classified and checked; Generate IRN
//! outcomes go into the ledger.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use base64::{Engine, engine::general_purpose::STANDARD};
use irp_client::{Caller, Endpoint, Session, cipher, request};
use rand::{Rng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use crate::{
    ledger::{Allowed, DocKey, Ledger, classify},
    wire::{Connection, Raw, send_and_drop, send_half_and_read},
};

/// The body limit of the emulator's default settings.
const BODY_LIMIT: usize = 5 * 1024 * 1024;
/// One request in this many is a body over the limit.
const HUGE_EVERY: u64 = 4000;

/// Methods a mutation may pick. Not HEAD: its answer has no body, so it cannot be the
/// envelope.
const METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
const CONTENT_TYPES: [&str; 6] = [
    "text/plain",
    "application/xml",
    "",
    "application/json; charset=utf-8",
    "*/*",
    "multipart/form-data; boundary=x",
];

/// A request and what it is about.
struct Made {
    raw: Raw,
    allowed: Allowed,
    /// For Generate IRN: the document the server would register.
    doc: Option<DocKey>,
    /// Built by the client without change: an error answer is still legitimate (a
    /// duplicate, a cancelled IRN), but never 1005 or a refusal.
    valid: bool,
}

pub(crate) struct Worker {
    pub(crate) id: usize,
    pub(crate) addr: SocketAddr,
    pub(crate) session: Session,
    pub(crate) auth: Raw,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) ledger: Arc<Mutex<Ledger>>,
    connection: Connection,
    docs: Vec<DocKey>,
    next_doc: u64,
}

impl Worker {
    pub(crate) fn new(
        id: usize,
        addr: SocketAddr,
        session: Session,
        auth: Raw,
        rng: ChaCha8Rng,
        ledger: Arc<Mutex<Ledger>>,
    ) -> Self {
        Self {
            id,
            addr,
            session,
            auth,
            rng,
            ledger,
            connection: Connection::new(addr),
            docs: Vec::new(),
            next_doc: 0,
        }
    }

    /// Sends `count` requests; `Err` names the first broken contract.
    pub(crate) async fn run(&mut self, count: u64) -> Result<(), String> {
        for index in 0..count {
            self.one(index)
                .await
                .map_err(|e| format!("worker {} request {index}: {e}", self.id))?;
        }
        Ok(())
    }

    async fn one(&mut self, index: u64) -> Result<(), String> {
        self.ledger.lock().unwrap().requests += 1;
        if index % HUGE_EVERY == 7 {
            return self.huge().await;
        }
        let roll = self.rng.gen_range(0..100);
        let made = match roll {
            0..30 => self.valid(),
            30..70 => {
                let made = self.valid();
                self.mutate(made)
            }
            70..80 => self.random_body(),
            80..85 => self.wrong_method(),
            85..88 => {
                let mut made = self.valid();
                made.raw.body.clear();
                made.valid = false;
                made
            }
            _ => return self.raw_abuse().await,
        };
        self.send(made).await
    }

    async fn send(&mut self, made: Made) -> Result<(), String> {
        let reply = self.connection.exchange(&made.raw.to_bytes()).await;
        let reply = match reply {
            Ok(reply) => reply,
            Err(e) => return Err(format!("no answer ({e}) to {}", made.raw.summary())),
        };
        let class = classify(&reply, made.allowed)
            .map_err(|e| format!("{e}\n  request: {}", made.raw.summary()))?;
        let envelope: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
        if made.valid && (class.contains("code 1005") || reply.status != 200) {
            return Err(format!(
                "valid request refused: {class}: {}",
                made.raw.summary()
            ));
        }
        let mut ledger = self.ledger.lock().unwrap();
        ledger.count(&class);
        if let Some(doc) = made.doc {
            let data = (envelope["Status"] == 1)
                .then(|| {
                    irp_client::answer::open_answer(
                        &Endpoint::generate_irn(),
                        &self.session,
                        &envelope,
                    )
                    .ok()
                })
                .flatten()
                .map(|doc| doc["Data"].clone());
            if envelope["Status"] == 1 && data.as_ref().is_none_or(|d| !d.is_object()) {
                return Err(format!("Generate IRN Status 1 without Data: {envelope}"));
            }
            ledger.generated(doc, Some((&envelope, data.as_ref())));
        }
        Ok(())
    }

    fn known_irn(&mut self) -> String {
        let ledger = self.ledger.lock().unwrap();
        ledger
            .irns
            .choose(&mut self.rng)
            .cloned()
            .unwrap_or_else(|| "0".repeat(64))
    }

    fn sealed(&self, endpoint: &Endpoint, plain: &[u8]) -> Raw {
        let outgoing = request::api_request(&caller(), &self.session, endpoint, None).unwrap();
        let mut raw = Raw::of(&outgoing.to_http("").unwrap());
        let data = STANDARD.encode(cipher::seal(&self.session.sek, plain).unwrap());
        raw.headers
            .push(("Content-Type".to_owned(), b"application/json".to_vec()));
        raw.body = json!({ "Data": data }).to_string().into_bytes();
        raw
    }

    fn get(&self, endpoint: &Endpoint) -> Raw {
        let outgoing = request::api_request(&caller(), &self.session, endpoint, None).unwrap();
        Raw::of(&outgoing.to_http("").unwrap())
    }

    /// A request the client builds and, for Generate IRN, the document.
    fn base(&mut self) -> (Raw, Option<DocKey>) {
        let with = |endpoint: Endpoint, payload: Value, this: &Self| {
            this.sealed(&endpoint, payload.to_string().as_bytes())
        };
        match self.rng.gen_range(0..30) {
            0..10 => {
                self.next_doc += 1;
                let no = format!("MUT/{}/{}", self.id, self.next_doc);
                let spec = irp_emulator::samples::InvoiceSpec::simple(
                    &no,
                    time::macros::date!(2026 - 03 - 30),
                );
                let plain = irp_emulator::samples::invoice(&spec);
                let key = DocKey::of(plain.to_string().as_bytes());
                (with(Endpoint::generate_irn(), plain, self), key)
            }
            10..15 => {
                let irn = self.known_irn();
                (self.get(&Endpoint::get_irn(&irn)), None)
            }
            15..18 => {
                let irn = self.known_irn();
                let reason = json!({"Irn": irn, "CnlRsn": "1", "CnlRem": "Wrong entry"});
                (with(Endpoint::cancel_irn(), reason, self), None)
            }
            18..22 => {
                let doc = self.docs.choose(&mut self.rng).cloned();
                let (typ, no, dt) = doc.map_or_else(
                    || ("INV".to_owned(), "NONE".to_owned(), "30/03/2026".to_owned()),
                    |d| (d.typ, d.no, d.dt),
                );
                let endpoint = Endpoint::get_irn_by_document(&typ, &no, &dt);
                (self.get(&endpoint), None)
            }
            22..26 => {
                let gstin = ["29AAACB3333C1Z7", "27AAACB4444D1Z3", "29AAACL1111A1ZD"]
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or_default();
                (self.get(&Endpoint::gstin_details(gstin)), None)
            }
            26..28 => (self.auth.clone(), None),
            _ => {
                let irn = self.known_irn();
                let transport = json!({"Irn": irn, "Distance": 100, "TransMode": "1",
                                       "VehNo": "KA01AB1234", "VehType": "R"});
                (with(Endpoint::generate_ewb(), transport, self), None)
            }
        }
    }

    fn valid(&mut self) -> Made {
        let (raw, doc) = self.base();
        if let Some(doc) = &doc {
            self.docs.push(doc.clone());
        }
        Made {
            raw,
            allowed: Allowed::Envelope,
            doc,
            valid: true,
        }
    }

    /// `made` with one thing changed.
    fn mutate(&mut self, made: Made) -> Made {
        let Made { mut raw, doc, .. } = made;
        let mut allowed = Allowed::Envelope;
        let mut doc = doc;
        let rng = &mut self.rng;
        match rng.gen_range(0..8) {
            // One field of the plaintext, or one byte of it, then sealed again.
            kind @ (0 | 1) => {
                let plain = plaintext_of(&self.session, &raw);
                if let Some(plain) = plain {
                    let changed = if kind == 0 {
                        change_field(rng, &plain)
                    } else {
                        change_byte(rng, &plain)
                    };
                    let sealed =
                        STANDARD.encode(cipher::seal(&self.session.sek, &changed).unwrap());
                    raw.body = json!({ "Data": sealed }).to_string().into_bytes();
                    if doc.is_some() {
                        doc = DocKey::of(&changed).or(doc);
                    }
                } else {
                    raw.body = change_byte(rng, &raw.body);
                }
            }
            2 => raw.body = change_byte(rng, &raw.body),
            3 => {
                // One header: removed, a byte changed, renamed in another case, or a junk one.
                match (rng.gen_range(0..4), raw.headers.len()) {
                    (_, 0) | (3, _) => raw.headers.push((
                        format!("X-Junk-{}", rng.r#gen::<u16>()),
                        random_visible(rng, 40),
                    )),
                    (0, n) => {
                        raw.headers.remove(rng.gen_range(0..n));
                    }
                    (1, n) => {
                        let (_, value) = &mut raw.headers[rng.gen_range(0..n)];
                        *value = change_visible_byte(rng, value);
                    }
                    (_, n) => {
                        let (name, _) = &mut raw.headers[rng.gen_range(0..n)];
                        *name = name.to_ascii_uppercase().replace('_', "-");
                    }
                }
            }
            4 => {
                allowed = Allowed::HttpLayer400;
                let mut path = raw.path.into_bytes();
                let at = rng.gen_range(0..path.len());
                path[at] = *b"abcXYZ019/%._-~?=&".choose(rng).unwrap_or(&b'a');
                raw.path = String::from_utf8_lossy(&path).into_owned();
            }
            5 => raw.method = (*METHODS.choose(rng).unwrap_or(&"PUT")).to_owned(),
            6 => {
                raw.headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
                let value = CONTENT_TYPES.choose(rng).copied().unwrap_or_default();
                raw.headers
                    .push(("Content-Type".to_owned(), value.as_bytes().to_vec()));
            }
            _ => {
                let cut = rng.gen_range(0..=raw.body.len());
                raw.body.truncate(cut);
            }
        }
        Made {
            raw,
            allowed,
            doc,
            valid: false,
        }
    }

    fn random_body(&mut self) -> Made {
        let (mut raw, _) = self.base();
        let len = self.rng.gen_range(0..2000);
        raw.body = match self.rng.gen_range(0..3) {
            0 => (0..len).map(|_| self.rng.r#gen::<u8>()).collect(),
            1 => json!({ "Data": String::from_utf8_lossy(&random_visible(&mut self.rng, len)) })
                .to_string()
                .into_bytes(),
            _ => random_visible(&mut self.rng, len),
        };
        if !raw
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        {
            raw.headers
                .push(("Content-Type".to_owned(), b"application/json".to_vec()));
        }
        Made {
            raw,
            allowed: Allowed::Envelope,
            doc: None,
            valid: false,
        }
    }

    fn wrong_method(&mut self) -> Made {
        let (mut raw, _) = self.base();
        let other: Vec<&str> = METHODS
            .iter()
            .copied()
            .filter(|m| *m != raw.method && *m != "OPTIONS")
            .collect();
        raw.method = (*other.choose(&mut self.rng).unwrap_or(&"PUT")).to_owned();
        Made {
            raw,
            allowed: Allowed::Envelope,
            doc: None,
            valid: false,
        }
    }

    /// A body over the limit: 413 in the envelope, or the connection cut after it.
    async fn huge(&mut self) -> Result<(), String> {
        let (mut raw, _) = self.base();
        raw.method = "POST".to_owned();
        raw.body = vec![b'a'; BODY_LIMIT + 1];
        let mut connection = Connection::new(self.addr);
        let class = match connection.exchange(&raw.to_bytes()).await {
            Ok(reply) => classify(&reply, Allowed::Envelope)?,
            Err(e) if e == "timeout" => return Err(format!("no answer to a huge body: {e}")),
            Err(_) => "huge body: connection closed before the answer was read".to_owned(),
        };
        self.ledger.lock().unwrap().count(&class);
        Ok(())
    }

    async fn raw_abuse(&mut self) -> Result<(), String> {
        let made = self.valid();
        let bytes = made.raw.to_bytes();
        let class = match self.rng.gen_range(0..4) {
            // The whole request, then the client goes away without reading.
            0 => {
                send_and_drop(self.addr, &bytes).await;
                if let Some(doc) = made.doc {
                    self.ledger.lock().unwrap().generated(doc, None);
                }
                "raw: sent whole, closed without reading".to_owned()
            }
            // Cut anywhere (mid-headers or mid-body), the sending side closed.
            1 | 2 => {
                let cut = self.rng.gen_range(1..bytes.len());
                let reply = send_half_and_read(self.addr, &bytes[..cut]).await;
                if let Some(doc) = made.doc {
                    let answer = reply
                        .as_ref()
                        .and_then(|r| serde_json::from_slice::<Value>(&r.body).ok());
                    // An answered cut request is never a registration (the body is short).
                    let told = answer.as_ref().map(|a| (a, None));
                    self.ledger.lock().unwrap().generated(doc, told);
                }
                match reply {
                    None => "raw: cut, no answer".to_owned(),
                    Some(reply) => format!(
                        "raw: cut, {}",
                        classify(&reply, Allowed::HttpLayer400)
                            .map_err(|e| format!("{e}\n  cut request: {}", made.raw.summary()))?
                    ),
                }
            }
            // Not HTTP at all.
            _ => {
                let garbage = random_visible(&mut self.rng, 200);
                match send_half_and_read(self.addr, &garbage).await {
                    None => "raw: not HTTP, no answer".to_owned(),
                    Some(reply) => format!(
                        "raw: not HTTP, {}",
                        classify(&reply, Allowed::HttpLayer400)?
                    ),
                }
            }
        };
        self.ledger.lock().unwrap().count(&class);
        Ok(())
    }
}

/// The emulator's default client.
pub(crate) fn caller() -> Caller {
    Caller::new(
        irp_emulator::config::DEFAULT_CLIENT_ID,
        irp_emulator::config::DEFAULT_CLIENT_SECRET,
    )
}

/// The plaintext of a sealed `{"Data"}` body.
fn plaintext_of(session: &Session, raw: &Raw) -> Option<Vec<u8>> {
    let body: Value = serde_json::from_slice(&raw.body).ok()?;
    cipher::open(&session.sek, body["Data"].as_str()?).ok()
}

/// `plain` (JSON) with one leaf replaced by another value.
fn change_field(rng: &mut ChaCha8Rng, plain: &[u8]) -> Vec<u8> {
    let Ok(mut doc) = serde_json::from_slice::<Value>(plain) else {
        return change_byte(rng, plain);
    };
    let mut leaves = Vec::new();
    collect_leaves(&doc, String::new(), &mut leaves);
    let replacement = match rng.gen_range(0..9) {
        0 => json!(""),
        1 => json!(String::from_utf8_lossy(&random_visible(rng, 20))),
        2 => json!(rng.gen_range(-1_000_000.0..1_000_000.0)),
        3 => Value::Null,
        4 => json!(1e308),
        5 => json!(-1),
        6 => json!({"nested": [1, 2, 3]}),
        7 => json!(true),
        _ => json!("x".repeat(rng.gen_range(100..5000))),
    };
    if let Some(pointer) = leaves.choose(rng)
        && let Some(slot) = doc.pointer_mut(pointer)
    {
        *slot = replacement;
    }
    doc.to_string().into_bytes()
}

fn collect_leaves(value: &Value, at: String, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                collect_leaves(child, format!("{at}/{key}"), into);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_leaves(child, format!("{at}/{i}"), into);
            }
        }
        _ => into.push(at),
    }
}

/// `bytes` with one byte flipped, replaced, inserted or deleted.
fn change_byte(rng: &mut ChaCha8Rng, bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if out.is_empty() {
        out.push(rng.r#gen());
        return out;
    }
    let at = rng.gen_range(0..out.len());
    match rng.gen_range(0..4) {
        0 => out[at] ^= 1 << rng.gen_range(0..8),
        1 => out[at] = rng.r#gen(),
        2 => out.insert(at, rng.r#gen()),
        _ => {
            out.remove(at);
        }
    }
    out
}

/// A header value with one byte replaced by another visible ASCII character.
fn change_visible_byte(rng: &mut ChaCha8Rng, value: &[u8]) -> Vec<u8> {
    let mut out = value.to_vec();
    if out.is_empty() {
        return random_visible(rng, 1);
    }
    let at = rng.gen_range(0..out.len());
    out[at] = rng.gen_range(b'!'..=b'~');
    out
}

fn random_visible(rng: &mut ChaCha8Rng, len: usize) -> Vec<u8> {
    (0..len).map(|_| rng.gen_range(b' '..=b'~')).collect()
}
