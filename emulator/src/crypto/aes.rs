//! AES-ECB with PKCS#7 padding: NIC's payload cipher (ECB is weak, but it is the protocol).

use aws_lc_rs::cipher::{
    AES_128, AES_192, AES_256, Algorithm, DecryptionContext, PaddedBlockDecryptingKey,
    PaddedBlockEncryptingKey, UnboundCipherKey,
};

use super::CryptoError;

const BLOCK: usize = 16;

fn algorithm(key: &[u8]) -> Result<&'static Algorithm, CryptoError> {
    match key.len() {
        16 => Ok(&AES_128),
        24 => Ok(&AES_192),
        32 => Ok(&AES_256),
        n => Err(CryptoError::KeyLength(n)),
    }
}

/// Encrypts `plaintext` under `key` (16, 24 or 32 bytes).
pub fn aes_ecb_encrypt(key: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let unbound = UnboundCipherKey::new(algorithm(key)?, key).map_err(|_| CryptoError::Encrypt)?;
    let cipher = PaddedBlockEncryptingKey::ecb_pkcs7(unbound).map_err(|_| CryptoError::Encrypt)?;
    let mut buffer = Vec::with_capacity(plaintext.len() + BLOCK);
    buffer.extend_from_slice(plaintext);
    cipher
        .encrypt(&mut buffer)
        .map_err(|_| CryptoError::Encrypt)?;
    Ok(buffer)
}

/// Decrypts `ciphertext` under `key`, checking the PKCS#7 padding.
pub fn aes_ecb_decrypt(key: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let algorithm = algorithm(key)?;
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(BLOCK) {
        return Err(CryptoError::CiphertextLength(ciphertext.len()));
    }
    let unbound = UnboundCipherKey::new(algorithm, key).map_err(|_| CryptoError::Decrypt)?;
    let cipher = PaddedBlockDecryptingKey::ecb_pkcs7(unbound).map_err(|_| CryptoError::Decrypt)?;
    let mut buffer = ciphertext.to_vec();
    let len = cipher
        .decrypt(&mut buffer, DecryptionContext::None)
        .map_err(|_| CryptoError::Decrypt)?
        .len();
    buffer.truncate(len);
    Ok(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trip(key_len in prop::sample::select(vec![16usize, 24, 32]),
                      key_seed in any::<u8>(),
                      plaintext in prop::collection::vec(any::<u8>(), 0..2048)) {
            let key: Vec<u8> = (0..key_len).map(|i| key_seed.wrapping_add(i as u8)).collect();
            let sealed = aes_ecb_encrypt(&key, &plaintext).unwrap();
            prop_assert_eq!(sealed.len(), (plaintext.len() / 16 + 1) * 16);
            prop_assert_eq!(aes_ecb_decrypt(&key, &sealed).unwrap(), plaintext);
        }

        #[test]
        fn decrypt_never_panics(key in prop::collection::vec(any::<u8>(), 0..40),
                                data in prop::collection::vec(any::<u8>(), 0..100)) {
            let _ = aes_ecb_decrypt(&key, &data);
        }
    }

    #[test]
    fn wrong_key_or_truncation_is_an_error() {
        let sealed = aes_ecb_encrypt(&[1; 32], b"{\"a\":1}").unwrap();
        assert!(aes_ecb_decrypt(&[2; 32], &sealed).is_err());
        assert_eq!(
            aes_ecb_decrypt(&[1; 32], &sealed[..15]),
            Err(CryptoError::CiphertextLength(15))
        );
        assert_eq!(
            aes_ecb_decrypt(&[1; 31], &sealed),
            Err(CryptoError::KeyLength(31))
        );
    }

    #[test]
    fn known_answer_fips197() {
        // FIPS-197 C.3: AES-256, one block; with PKCS#7 a second block of padding follows.
        let key: Vec<u8> = (0u8..32).collect();
        let plaintext: Vec<u8> = (0u8..16).map(|i| i * 0x11).collect();
        let sealed = aes_ecb_encrypt(&key, &plaintext).unwrap();
        assert_eq!(
            super::super::hex_upper(&sealed[..16]),
            "8EA2B7CA516745BFEAFC49904B496089"
        );
    }
}
