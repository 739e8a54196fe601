//! The wire's symmetric and asymmetric encryption, written with RustCrypto.
//!
//! The emulator uses AWS-LC; the client deliberately uses another implementation so that a
//! mistake in one cannot be mirrored in the other and pass unnoticed.

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyInit, block_padding::Pkcs7};
use base64::{Engine, engine::general_purpose::STANDARD};
use rand::RngCore;
use rsa::{Oaep, Pkcs1v15Encrypt, RsaPrivateKey, RsaPublicKey};

/// Why a payload could not be encrypted or decrypted.
#[derive(Debug, thiserror::Error)]
pub enum CipherError {
    /// Not base64.
    #[error("not base64: {0}")]
    Base64(#[from] base64::DecodeError),
    /// Wrong key length or bad padding.
    #[error("AES-ECB decryption failed (wrong key or padding)")]
    Aes,
    /// RSA encryption failed.
    #[error("RSA: {0}")]
    Rsa(#[from] rsa::Error),
}

/// How the credentials block is encrypted: correctly, or wrongly on purpose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Encryption {
    /// RSA PKCS#1 v1.5 with the IRP's public key (what NIC specifies).
    #[default]
    Pkcs1,
    /// RSA-OAEP (SHA-1) with the IRP's public key.
    Oaep,
    /// PKCS#1 v1.5 with a freshly made key the IRP does not hold.
    WrongKey,
    /// `Data` that is not base64.
    NotBase64,
}

/// A fresh random 32-byte AppKey.
pub fn app_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    key
}

/// AES-ECB-PKCS7 encryption (AES-256 for a 32-byte key, AES-128 for 16 bytes).
pub fn seal(key: &[u8], plain: &[u8]) -> Result<Vec<u8>, CipherError> {
    match key.len() {
        32 => Ok(ecb::Encryptor::<aes::Aes256>::new_from_slice(key)
            .map_err(|_| CipherError::Aes)?
            .encrypt_padded_vec_mut::<Pkcs7>(plain)),
        16 => Ok(ecb::Encryptor::<aes::Aes128>::new_from_slice(key)
            .map_err(|_| CipherError::Aes)?
            .encrypt_padded_vec_mut::<Pkcs7>(plain)),
        _ => Err(CipherError::Aes),
    }
}

/// AES-ECB-PKCS7 decryption of raw bytes.
pub fn unseal(key: &[u8], sealed: &[u8]) -> Result<Vec<u8>, CipherError> {
    match key.len() {
        32 => ecb::Decryptor::<aes::Aes256>::new_from_slice(key)
            .map_err(|_| CipherError::Aes)?
            .decrypt_padded_vec_mut::<Pkcs7>(sealed)
            .map_err(|_| CipherError::Aes),
        16 => ecb::Decryptor::<aes::Aes128>::new_from_slice(key)
            .map_err(|_| CipherError::Aes)?
            .decrypt_padded_vec_mut::<Pkcs7>(sealed)
            .map_err(|_| CipherError::Aes),
        _ => Err(CipherError::Aes),
    }
}

/// AES-ECB-PKCS7 decryption of base64 text.
pub fn open(key: &[u8], base64_text: &str) -> Result<Vec<u8>, CipherError> {
    unseal(key, &STANDARD.decode(base64_text.trim())?)
}

/// The auth `Data`: base64 of RSA(base64(credentials JSON)), encrypted as `how` says.
pub fn encrypt_credentials(
    public: &RsaPublicKey,
    credentials: &[u8],
    how: Encryption,
) -> Result<String, CipherError> {
    let inner = STANDARD.encode(credentials);
    let mut rng = rand::rngs::OsRng;
    let block = match how {
        Encryption::Pkcs1 => public.encrypt(&mut rng, Pkcs1v15Encrypt, inner.as_bytes())?,
        Encryption::Oaep => {
            public.encrypt(&mut rng, Oaep::new::<sha1::Sha1>(), inner.as_bytes())?
        }
        Encryption::WrongKey => {
            let stranger = RsaPrivateKey::new(&mut rng, 2048)?;
            RsaPublicKey::from(&stranger).encrypt(&mut rng, Pkcs1v15Encrypt, inner.as_bytes())?
        }
        Encryption::NotBase64 => return Ok("not base64 at all!".to_owned()),
    };
    Ok(STANDARD.encode(block))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aes_round_trips_and_rejects_the_wrong_key() {
        let key = app_key();
        let sealed = STANDARD.encode(seal(&key, b"{\"a\":1}").unwrap());
        assert_eq!(open(&key, &sealed).unwrap(), b"{\"a\":1}");
        let other = app_key();
        assert!(
            open(&other, &sealed).is_err_and(|e| matches!(e, CipherError::Aes))
                || open(&other, &sealed).is_ok_and(|p| p != b"{\"a\":1}")
        );
        assert!(open(&key, "***").is_err());
        assert!(seal(&[0; 10], b"x").is_err());
    }

    #[test]
    fn known_answer_aes_256_ecb() {
        // FIPS-197 C.3: AES-256 of 00112233…ff under key 000102…1f is 8ea2b7ca….
        let key: Vec<u8> = (0u8..32).collect();
        let block: Vec<u8> = (0u8..16).map(|i| i * 0x11).collect();
        let sealed = seal(&key, &block).unwrap();
        let first = sealed.get(..16).unwrap();
        assert_eq!(
            first,
            [
                0x8e, 0xa2, 0xb7, 0xca, 0x51, 0x67, 0x45, 0xbf, 0xea, 0xfc, 0x49, 0x90, 0x4b, 0x49,
                0x60, 0x89
            ]
        );
    }

    #[test]
    fn aes_128_keys_work_too() {
        let key = [7u8; 16];
        let sealed = seal(&key, b"sixteen-byte key").unwrap();
        assert_eq!(unseal(&key, &sealed).unwrap(), b"sixteen-byte key");
    }
}
