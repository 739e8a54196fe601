//! Sealing of the secrets the state must keep (session keys, taxpayer passwords): AES-256-GCM
//! under a storage key derived from the emulator's auth private key, so the database file
//! (and any export of it) never holds them in clear. State written under one key set opens
//! only with that key set.

use aws_lc_rs::{
    aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey},
    digest::{SHA256, digest},
};

use super::StoreError;

/// Seals and opens small secrets for storage.
pub struct Sealer {
    key: LessSafeKey,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(***)")
    }
}

const LABEL: &[u8] = b"irp-emulator state sealing v1\0";

impl Sealer {
    /// The sealer of a key set, from its auth private key (PEM text).
    pub fn from_secret(secret: &[u8]) -> Self {
        let mut input = LABEL.to_vec();
        input.extend_from_slice(secret);
        let derived = digest(&SHA256, &input);
        let key = UnboundKey::new(&AES_256_GCM, derived.as_ref())
            .unwrap_or_else(|_| unreachable!("SHA-256 output is an AES-256 key"));
        Self {
            key: LessSafeKey::new(key),
        }
    }

    /// `nonce || ciphertext || tag`, bound to `context` (for example the row's key).
    pub fn seal(&self, context: &[u8], plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        crate::crypto::fill_random(&mut nonce);
        let mut out = plain.to_vec();
        // Sealing only fails for inputs beyond GCM's 64 GiB limit.
        let sealed = self.key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(context),
            &mut out,
        );
        if sealed.is_err() {
            out.clear();
        }
        let mut framed = nonce.to_vec();
        framed.extend_from_slice(&out);
        framed
    }

    /// The plain bytes, if `sealed` was sealed by this key with this `context`.
    pub fn open(&self, context: &[u8], sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        let (nonce, body) = sealed
            .split_at_checked(NONCE_LEN)
            .ok_or(StoreError::Unseal)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| StoreError::Unseal)?;
        let mut body = body.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(context), &mut body)
            .map_err(|_| StoreError::Unseal)?;
        Ok(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding() {
        let a = Sealer::from_secret(b"key set A");
        let sealed = a.seal(b"row-1", b"secret");
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        assert_eq!(a.open(b"row-1", &sealed).unwrap(), b"secret");
        assert!(a.open(b"row-2", &sealed).is_err(), "bound to its row");
        assert!(
            Sealer::from_secret(b"key set B")
                .open(b"row-1", &sealed)
                .is_err()
        );
        assert!(a.open(b"row-1", &sealed[..5]).is_err());
    }
}
