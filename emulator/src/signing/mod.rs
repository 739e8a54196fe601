//! RS256 JWS for the signed invoice and signed QR code, built by hand, signed off the async
//! workers.
//!
//! NIC's header carries `alg, kid, x5t, typ` in that order (sandbox 2023-10 and 2025-03);
//! JWT libraries order or extend the header their own way, so the three JWS parts are put
//! together here and only the signature comes from AWS-LC (RSA PKCS#1 v1.5 with SHA-256).
//! The header is encoded once per key set; each signature then costs one RSA operation and
//! two base64 passes.
//!
//! The two signatures of a registration are the floor of its cost: about 0.2 ms each of
//! uninterrupted CPU. Run on an async worker, they would hold up every other connection
//! that worker serves, so [`JwsSigner::sign_pair`] hands both to the pool of signer
//! threads in one job and awaits them; the workers stay free for the cheap calls.

mod pool;

use std::sync::Arc;

use aws_lc_rs::{
    rand::SystemRandom,
    signature::{RSA_PKCS1_SHA256, RsaKeyPair},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::Serialize;

use self::pool::SignerPool;
use crate::{keys::KeySet, registry::Signed};

/// The JWS payload: `{"data":"<JSON text>","iss":"NIC Sandbox"}`.
#[derive(Serialize)]
struct Payload<'a> {
    data: &'a str,
    iss: &'a str,
}

/// Why a signature could not be made.
#[derive(Debug, thiserror::Error)]
#[error("RS256 signing failed")]
pub struct SigningError;

/// What every signature needs: the key and the encoded header.
#[derive(Clone)]
struct Jws {
    key: Arc<RsaKeyPair>,
    header: Arc<str>,
    issuer: &'static str,
    rng: SystemRandom,
}

impl Jws {
    fn sign(&self, data: &str) -> Result<String, SigningError> {
        let payload = serde_json::to_vec(&Payload {
            data,
            iss: self.issuer,
        })
        .map_err(|_| SigningError)?;
        let payload_len = payload.len().div_ceil(3) * 4;
        let mut jws = String::with_capacity(self.header.len() + payload_len + 2 + 344);
        jws.push_str(&self.header);
        jws.push('.');
        URL_SAFE_NO_PAD.encode_string(&payload, &mut jws);
        let mut signature = vec![0u8; self.key.public_modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &self.rng, jws.as_bytes(), &mut signature)
            .map_err(|_| SigningError)?;
        jws.push('.');
        URL_SAFE_NO_PAD.encode_string(&signature, &mut jws);
        Ok(jws)
    }

    fn sign_pair(&self, invoice: &str, qr: &str) -> Result<Signed, SigningError> {
        Ok(Signed {
            invoice: self.sign(invoice)?,
            qr: self.sign(qr)?,
        })
    }
}

/// Signs payloads with the emulator's signing key, on its own threads.
pub struct JwsSigner {
    jws: Jws,
    pool: SignerPool,
}

impl JwsSigner {
    /// A signer for `keys`, issuing as `issuer`, with `threads` signer threads (at least
    /// one).
    pub fn new(keys: &KeySet, issuer: &'static str, threads: usize) -> Self {
        let header = format!(
            r#"{{"alg":"RS256","kid":"{}","x5t":"{}","typ":"JWT"}}"#,
            keys.kid, keys.x5t
        );
        let jws = Jws {
            key: keys.signing.clone(),
            header: URL_SAFE_NO_PAD.encode(header).into(),
            issuer,
            rng: SystemRandom::new(),
        };
        Self {
            pool: SignerPool::start(threads),
            jws,
        }
    }

    /// A compact JWS whose payload wraps `data` (already-serialised JSON) as a string,
    /// signed on the calling thread.
    pub fn sign(&self, data: &str) -> Result<String, SigningError> {
        self.jws.sign(data)
    }

    /// Both JWS of a registration, signed on a signer thread while the caller awaits.
    pub async fn sign_pair(&self, invoice: String, qr: String) -> Result<Signed, SigningError> {
        let jws = self.jws.clone();
        self.pool
            .run(move || jws.sign_pair(&invoice, &qr))
            .await
            .unwrap_or(Err(SigningError))
    }

    /// How many signer threads run.
    pub fn threads(&self) -> usize {
        self.pool.threads()
    }
}

impl std::fmt::Debug for JwsSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwsSigner")
            .field("issuer", &self.jws.issuer)
            .field("threads", &self.pool.threads())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> (KeySet, JwsSigner) {
        let keys = KeySet::embedded().unwrap();
        let signer = JwsSigner::new(&keys, "NIC Sandbox", 2);
        (keys, signer)
    }

    #[test]
    fn header_is_in_nic_order_and_payload_wraps_a_string() {
        let (keys, signer) = signer();
        let jws = signer.sign(r#"{"Irn":"x"}"#).unwrap();
        let parts: Vec<&str> = jws.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(
            header,
            format!(
                r#"{{"alg":"RS256","kid":"{}","x5t":"{}","typ":"JWT"}}"#,
                keys.kid, keys.x5t
            )
        );
        let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(payload, r#"{"data":"{\"Irn\":\"x\"}","iss":"NIC Sandbox"}"#);
        assert_eq!(URL_SAFE_NO_PAD.decode(parts[2]).unwrap().len(), 256);
    }

    /// The signer threads make the same JWS as the calling thread (RSA PKCS#1 v1.5 is
    /// deterministic), for many requests at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_signer_threads_sign_what_the_caller_would() {
        let (_, signer) = signer();
        let signer = Arc::new(signer);
        let tasks: Vec<_> = (0..16)
            .map(|n| {
                let signer = signer.clone();
                tokio::spawn(async move {
                    let (invoice, qr) = (format!(r#"{{"Irn":"{n}"}}"#), format!("{{\"Q\":{n}}}"));
                    let pair = signer.sign_pair(invoice.clone(), qr.clone()).await.unwrap();
                    assert_eq!(pair.invoice, signer.sign(&invoice).unwrap());
                    assert_eq!(pair.qr, signer.sign(&qr).unwrap());
                    pair
                })
            })
            .collect();
        let mut seen = std::collections::HashSet::new();
        for task in tasks {
            assert!(seen.insert(task.await.unwrap().invoice));
        }
        assert_eq!(signer.threads(), 2);
    }
}
