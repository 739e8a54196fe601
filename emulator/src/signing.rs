//! RS256 JWS for the signed invoice and signed QR code, built by hand.
//!
//! NIC's header carries `alg, kid, x5t, typ` in that order (sandbox 2023-10 and 2025-03);
//! JWT libraries order or extend the header their own way, so the three JWS parts are put
//! together here and only the signature comes from AWS-LC (RSA PKCS#1 v1.5 with SHA-256).
//! The header is encoded once per key set; each signature then costs one RSA operation and
//! two base64 passes.

use aws_lc_rs::{
    rand::SystemRandom,
    signature::{RSA_PKCS1_SHA256, RsaKeyPair},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::Serialize;

use crate::keys::KeySet;

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

/// Signs payloads with the emulator's signing key.
pub struct JwsSigner {
    header: String,
    issuer: &'static str,
    rng: SystemRandom,
}

impl JwsSigner {
    /// A signer for `keys`, issuing as `issuer`.
    pub fn new(keys: &KeySet, issuer: &'static str) -> Self {
        let header = format!(
            r#"{{"alg":"RS256","kid":"{}","x5t":"{}","typ":"JWT"}}"#,
            keys.kid, keys.x5t
        );
        Self {
            header: URL_SAFE_NO_PAD.encode(header),
            issuer,
            rng: SystemRandom::new(),
        }
    }

    /// A compact JWS whose payload wraps `data` (already-serialised JSON) as a string.
    pub fn sign(&self, key: &RsaKeyPair, data: &str) -> Result<String, SigningError> {
        let payload = serde_json::to_vec(&Payload {
            data,
            iss: self.issuer,
        })
        .map_err(|_| SigningError)?;
        let payload_len = URL_SAFE_NO_PAD.encode(&payload).len();
        let mut jws = String::with_capacity(self.header.len() + payload_len + 2 + 344);
        jws.push_str(&self.header);
        jws.push('.');
        URL_SAFE_NO_PAD.encode_string(&payload, &mut jws);
        let mut signature = vec![0u8; key.public_modulus_len()];
        key.sign(&RSA_PKCS1_SHA256, &self.rng, jws.as_bytes(), &mut signature)
            .map_err(|_| SigningError)?;
        jws.push('.');
        URL_SAFE_NO_PAD.encode_string(&signature, &mut jws);
        Ok(jws)
    }
}

impl std::fmt::Debug for JwsSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwsSigner")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_in_nic_order_and_payload_wraps_a_string() {
        let keys = KeySet::embedded().unwrap();
        let signer = JwsSigner::new(&keys, "NIC Sandbox");
        let jws = signer.sign(&keys.signing, r#"{"Irn":"x"}"#).unwrap();
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
}
