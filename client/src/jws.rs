//! RS256 JWS verification of `SignedInvoice` and `SignedQRCode` with the IRP's published
//! certificate (jsonwebtoken + x509-parser, not the emulator's signer).

use std::collections::HashSet;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::Value;

use crate::answer::at;

/// Why a signed document did not verify.
#[derive(Debug, thiserror::Error)]
pub enum JwsError {
    /// The certificate could not be read.
    #[error("signing certificate: {0}")]
    Certificate(String),
    /// The signature or structure is wrong.
    #[error("signature does not verify: {0}")]
    Signature(#[from] jsonwebtoken::errors::Error),
    /// The header is not `alg` RS256.
    #[error("JWS header: {0}")]
    Header(String),
    /// The `data` claim is not JSON text.
    #[error("`data` claim is not JSON: {0}")]
    Data(#[from] serde_json::Error),
}

/// The key that verifies an IRP's signed documents.
#[derive(Clone)]
pub struct Verifier {
    key: DecodingKey,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Verifier")
    }
}

#[derive(Deserialize)]
struct Claims {
    data: String,
}

impl Verifier {
    /// The RSA key of the PEM certificate `pem`.
    pub fn from_certificate_pem(pem: &str) -> Result<Self, JwsError> {
        let (_, pem) = x509_parser::pem::parse_x509_pem(pem.as_bytes())
            .map_err(|e| JwsError::Certificate(e.to_string()))?;
        let cert = pem
            .parse_x509()
            .map_err(|e| JwsError::Certificate(e.to_string()))?;
        let key = cert.public_key().subject_public_key.data.to_vec();
        Ok(Self {
            key: DecodingKey::from_rsa_der(&key),
        })
    }

    /// Verifies a compact RS256 JWS and returns its `data` claim parsed as JSON.
    pub fn verify(&self, jws: &str) -> Result<Value, JwsError> {
        let header = jws
            .split('.')
            .next()
            .and_then(|h| URL_SAFE_NO_PAD.decode(h).ok())
            .and_then(|h| serde_json::from_slice::<Value>(&h).ok())
            .ok_or_else(|| JwsError::Header("not a compact JWS".to_owned()))?;
        if at(&header, "/alg") != "RS256" {
            return Err(JwsError::Header(format!("alg {}", at(&header, "/alg"))));
        }
        let mut validation = Validation::new(Algorithm::RS256);
        validation.required_spec_claims = HashSet::new();
        validation.validate_exp = false;
        let token = jsonwebtoken::decode::<Claims>(jws, &self.key, &validation)?;
        Ok(serde_json::from_str(&token.claims.data)?)
    }
}
