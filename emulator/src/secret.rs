//! Wrappers for secrets: passwords, AppKeys and session keys.
//!
//! Their `Debug` prints a placeholder so a secret never reaches a log line, and they are
//! wiped from memory when dropped.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// A password as held by the taxpayer master and as received at authentication.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Password(String);

impl Password {
    /// Wraps a password.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The password in clear, for comparison and for the sandbox control endpoint.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Compares in constant time.
    pub fn matches(&self, other: &Password) -> bool {
        aws_lc_rs::constant_time::verify_slices_are_equal(self.0.as_bytes(), other.0.as_bytes())
            .is_ok()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The client's AppKey: 16, 24 or 32 raw bytes (AES-128/192/256), used only to wrap the SEK.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct AppKey(Vec<u8>);

impl AppKey {
    /// Accepts a key of 16, 24 or 32 bytes.
    pub fn new(bytes: Vec<u8>) -> Option<Self> {
        matches!(bytes.len(), 16 | 24 | 32).then_some(Self(bytes))
    }

    /// The raw key bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for AppKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AppKey({} bytes, ***)", self.0.len())
    }
}

/// The 32-byte session key (SEK) that encrypts every payload after authentication.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SessionKey([u8; 32]);

impl SessionKey {
    /// Draws a fresh random key from the system RNG.
    pub fn random() -> Self {
        let mut bytes = [0u8; 32];
        crate::crypto::fill_random(&mut bytes);
        Self(bytes)
    }

    /// Wraps known key bytes (tests, benchmarks).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The raw key bytes.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let text = format!(
            "{:?} {:?} {:?}",
            Password::new("hunter2"),
            AppKey::new(vec![7; 32]),
            SessionKey::from_bytes([9; 32])
        );
        assert!(!text.contains("hunter2"));
        assert!(!text.contains("7, 7"), "{text}");
        assert!(!text.contains("9, 9"), "{text}");
        assert!(text.contains("***"));
    }

    #[test]
    fn app_key_lengths() {
        for len in 0..64 {
            assert_eq!(
                AppKey::new(vec![0; len]).is_some(),
                matches!(len, 16 | 24 | 32),
                "{len}"
            );
        }
    }
}
