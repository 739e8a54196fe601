//! The wire cryptography of the IRP, as pure functions over bytes.
//!
//! Credentials arrive RSA-2048 PKCS#1 v1.5 encrypted; every later payload is AES-ECB with
//! PKCS#7 padding under the session key. Everything runs on AWS-LC (`aws-lc-rs`), which
//! also signs the JWS responses, so the emulator has one audited crypto backend.

mod aes;
mod rsa;

pub use self::aes::{aes_ecb_decrypt, aes_ecb_encrypt};
pub use self::rsa::CredentialKey;

/// Why a cryptographic step failed; the caller maps it to the IRP error code of its API.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    /// The key length is not one AES accepts.
    #[error("AES key must be 16, 24 or 32 bytes, got {0}")]
    KeyLength(usize),
    /// The ciphertext is empty or not a whole number of blocks.
    #[error("ciphertext length {0} is not a positive multiple of the block size")]
    CiphertextLength(usize),
    /// Decryption or padding check failed (wrong key, corrupted or truncated data).
    #[error("decryption failed")]
    Decrypt,
    /// Encryption failed inside the library.
    #[error("encryption failed")]
    Encrypt,
    /// A key could not be parsed.
    #[error("invalid key material: {0}")]
    Key(String),
}

/// Fills `out` from the system's cryptographic RNG.
pub fn fill_random(out: &mut [u8]) {
    // AWS-LC's RNG only fails if the OS entropy source is gone; nothing useful can run then.
    if aws_lc_rs::rand::fill(out).is_err() {
        tracing::error!("system random number generator failed");
        out.iter_mut().for_each(|b| *b = 0);
    }
}

/// Upper-case hex, as in the JWS `kid`.
pub fn hex_upper(bytes: &[u8]) -> String {
    hex(bytes, b"0123456789ABCDEF")
}

/// Lower-case hex, as in an IRN or a generated request id.
pub fn hex_lower(bytes: &[u8]) -> String {
    hex(bytes, b"0123456789abcdef")
}

fn hex(bytes: &[u8], digits: &[u8; 16]) -> String {
    let digit = |nibble: u8| {
        char::from(
            digits
                .get(usize::from(nibble & 0x0f))
                .copied()
                .unwrap_or(b'0'),
        )
    };
    bytes
        .iter()
        .flat_map(|b| [digit(b >> 4), digit(*b)])
        .collect()
}

#[cfg(test)]
mod hex_tests {
    use super::*;

    #[test]
    fn hex_in_both_cases() {
        assert_eq!(hex_upper(&[0x00, 0x9f, 0xa5, 0xff]), "009FA5FF");
        assert_eq!(hex_lower(&[0x00, 0x9f, 0xa5, 0xff]), "009fa5ff");
        assert_eq!(hex_lower(&[]), "");
    }
}
