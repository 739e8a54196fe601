//! The credential-encryption key: RSA-2048, PKCS#1 v1.5 (not OAEP), as NIC's auth API uses.

use std::fmt;

use aws_lc_rs::rsa::{Pkcs1PrivateDecryptingKey, PrivateDecryptingKey};

use super::CryptoError;

/// The private half of the auth key pair; clients encrypt with the public half.
pub struct CredentialKey {
    key: Pkcs1PrivateDecryptingKey,
}

impl CredentialKey {
    /// Loads a PKCS#8 DER private key.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, CryptoError> {
        let private =
            PrivateDecryptingKey::from_pkcs8(der).map_err(|e| CryptoError::Key(e.to_string()))?;
        let key = Pkcs1PrivateDecryptingKey::new(private)
            .map_err(|_| CryptoError::Key(String::from("not an RSA encryption key")))?;
        Ok(Self { key })
    }

    /// Size of one ciphertext block in bytes (256 for RSA-2048).
    pub fn block_len(&self) -> usize {
        self.key.key_size_bytes()
    }

    /// Decrypts one PKCS#1 v1.5 block.
    pub fn decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if ciphertext.len() != self.block_len() {
            return Err(CryptoError::CiphertextLength(ciphertext.len()));
        }
        let mut out = vec![0u8; self.key.min_output_size()];
        let len = self
            .key
            .decrypt(ciphertext, &mut out)
            .map_err(|_| CryptoError::Decrypt)?
            .len();
        out.truncate(len);
        Ok(out)
    }
}

impl fmt::Debug for CredentialKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CredentialKey(RSA-{}, ***)", self.block_len() * 8)
    }
}
