//! The emulator's key material: credential decryption, response signing and TLS.
//!
//! Three separate key pairs, as on the real IRP (whose auth key differs from its signing key):
//! the RSA-2048 credential-encryption pair (clients hold the public half), the RSA-2048
//! signing key with its self-signed certificate (clients verify JWS with it) and a localhost
//! TLS pair. The checked-in test set under `keys/` is compiled into the binary so the
//! emulator runs from anywhere with no flags. They are TEST KEYS: public, never for real use.

mod generate;

use std::{fmt, path::Path, sync::Arc};

use aws_lc_rs::{digest, signature::RsaKeyPair};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};

pub use self::generate::{generate, generate_pems};
use crate::crypto::{CredentialKey, hex_upper};

/// File names inside a keys directory.
pub mod files {
    /// Credential-encryption private key (PKCS#8 PEM): emulator only.
    pub const AUTH_PRIVATE: &str = "auth-private.pem";
    /// Credential-encryption public key (SPKI PEM): given to clients.
    pub const AUTH_PUBLIC: &str = "auth-public.pem";
    /// Response-signing private key (PKCS#8 PEM): emulator only.
    pub const SIGNING_PRIVATE: &str = "signing-private.pem";
    /// Response-signing certificate (X.509 PEM): given to clients to verify JWS.
    pub const SIGNING_CERT: &str = "signing-cert.pem";
    /// TLS certificate for localhost.
    pub const TLS_CERT: &str = "tls-cert.pem";
    /// TLS private key.
    pub const TLS_PRIVATE: &str = "tls-private.pem";
}

/// Why a key set could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// A file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not the PEM it should be.
    #[error("{file}: {reason}")]
    Invalid {
        /// The file name.
        file: &'static str,
        /// What is wrong.
        reason: String,
    },
}

/// The PEM texts of a key set, as read from disk or embedded.
#[derive(Clone)]
pub struct KeyPems {
    /// [`files::AUTH_PRIVATE`]
    pub auth_private: String,
    /// [`files::AUTH_PUBLIC`]
    pub auth_public: String,
    /// [`files::SIGNING_PRIVATE`]
    pub signing_private: String,
    /// [`files::SIGNING_CERT`]
    pub signing_cert: String,
    /// [`files::TLS_CERT`]
    pub tls_cert: String,
    /// [`files::TLS_PRIVATE`]
    pub tls_private: String,
}

/// The key set of a checked-in directory (a path relative to this file, ending in `/`),
/// compiled in: the same six file names as [`KeyPems::read_dir`] reads.
macro_rules! embedded_set {
    ($dir:literal) => {
        KeyPems {
            auth_private: include_str!(concat!($dir, "auth-private.pem")).to_owned(),
            auth_public: include_str!(concat!($dir, "auth-public.pem")).to_owned(),
            signing_private: include_str!(concat!($dir, "signing-private.pem")).to_owned(),
            signing_cert: include_str!(concat!($dir, "signing-cert.pem")).to_owned(),
            tls_cert: include_str!(concat!($dir, "tls-cert.pem")).to_owned(),
            tls_private: include_str!(concat!($dir, "tls-private.pem")).to_owned(),
        }
    };
}

impl KeyPems {
    /// The checked-in TEST key set, compiled into the binary.
    pub fn embedded() -> Self {
        embedded_set!("../../../keys/")
    }

    /// The second checked-in TEST key set (`keys/nic2/`), compiled in for the second IRP
    /// of a process, so `--irps nic1,nic2` needs no files.
    pub fn embedded_second() -> Self {
        embedded_set!("../../../keys/nic2/")
    }

    /// Built-in TEST key set `n`: 0 is `keys/`, anything else `keys/nic2/`.
    pub fn embedded_set(n: usize) -> Self {
        if n == 0 {
            Self::embedded()
        } else {
            Self::embedded_second()
        }
    }

    /// Reads a key set from a directory laid out like `keys/`.
    pub fn read_dir(dir: &Path) -> Result<Self, KeyError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| KeyError::Read {
                path: path.display().to_string(),
                source,
            })
        };
        Ok(Self {
            auth_private: read(files::AUTH_PRIVATE)?,
            auth_public: read(files::AUTH_PUBLIC)?,
            signing_private: read(files::SIGNING_PRIVATE)?,
            signing_cert: read(files::SIGNING_CERT)?,
            tls_cert: read(files::TLS_CERT)?,
            tls_private: read(files::TLS_PRIVATE)?,
        })
    }
}

/// A loaded, checked key set.
pub struct KeySet {
    /// Decrypts the auth credentials block.
    pub credential: CredentialKey,
    /// Signs `SignedInvoice` and `SignedQRCode` (shared with the signer threads).
    pub signing: Arc<RsaKeyPair>,
    /// JWS `kid`: upper-case hex SHA-1 thumbprint of the signing certificate's DER.
    pub kid: String,
    /// JWS `x5t`: base64url (no padding) of the same 20 bytes.
    pub x5t: String,
    /// The PEM texts (public halves are published at `/__emulator__/sandbox`).
    pub pems: KeyPems,
}

fn private_der(pem: &str, file: &'static str) -> Result<Vec<u8>, KeyError> {
    match PrivateKeyDer::from_pem_slice(pem.as_bytes()) {
        Ok(PrivateKeyDer::Pkcs8(der)) => Ok(der.secret_pkcs8_der().to_vec()),
        Ok(_) => Err(KeyError::Invalid {
            file,
            reason: "expected a PKCS#8 private key".into(),
        }),
        Err(e) => Err(KeyError::Invalid {
            file,
            reason: e.to_string(),
        }),
    }
}

impl KeySet {
    /// Parses and checks a key set.
    pub fn from_pems(pems: KeyPems) -> Result<Self, KeyError> {
        let credential =
            CredentialKey::from_pkcs8_der(&private_der(&pems.auth_private, files::AUTH_PRIVATE)?)
                .map_err(|e| KeyError::Invalid {
                file: files::AUTH_PRIVATE,
                reason: e.to_string(),
            })?;
        let signing =
            RsaKeyPair::from_pkcs8(&private_der(&pems.signing_private, files::SIGNING_PRIVATE)?)
                .map_err(|e| KeyError::Invalid {
                    file: files::SIGNING_PRIVATE,
                    reason: e.to_string(),
                })?;
        let cert = CertificateDer::from_pem_slice(pems.signing_cert.as_bytes()).map_err(|e| {
            KeyError::Invalid {
                file: files::SIGNING_CERT,
                reason: e.to_string(),
            }
        })?;
        let thumbprint = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, cert.as_ref());
        Ok(Self {
            credential,
            signing: Arc::new(signing),
            kid: hex_upper(thumbprint.as_ref()),
            x5t: URL_SAFE_NO_PAD.encode(thumbprint.as_ref()),
            pems,
        })
    }

    /// The built-in TEST key set.
    pub fn embedded() -> Result<Self, KeyError> {
        Self::from_pems(KeyPems::embedded())
    }
}

impl fmt::Debug for KeySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySet")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_keys_load_with_the_documented_kid() {
        let keys = KeySet::embedded().unwrap();
        assert_eq!(keys.credential.block_len(), 256);
        assert_eq!(keys.signing.public_modulus_len(), 256);
        assert_eq!(keys.kid.len(), 40);
        assert!(
            keys.kid
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
        );
        assert_eq!(keys.x5t.len(), 27);
        // The same thumbprint, two encodings.
        let raw = URL_SAFE_NO_PAD.decode(&keys.x5t).unwrap();
        assert_eq!(hex_upper(&raw), keys.kid);
    }

    #[test]
    fn the_second_embedded_set_loads_and_differs_from_the_first() {
        let first = KeySet::embedded().unwrap();
        let second = KeySet::from_pems(KeyPems::embedded_second()).unwrap();
        assert_ne!(first.kid, second.kid);
        assert_ne!(first.pems.auth_public, second.pems.auth_public);
        assert_eq!(
            KeyPems::embedded_set(1).signing_cert,
            second.pems.signing_cert
        );
    }

    #[test]
    fn a_public_key_in_place_of_a_private_one_is_refused() {
        let mut pems = KeyPems::embedded();
        pems.auth_private = pems.auth_public.clone();
        assert!(matches!(
            KeySet::from_pems(pems),
            Err(KeyError::Invalid { .. })
        ));
    }
}
