//! The ceiling a Generate IRN rate is judged against: this machine's RSA-2048 signing rate.
//!
//! Every Generate IRN costs the IRP two RSA-2048 PKCS#1 v1.5 SHA-256 signatures (the signed
//! invoice and the signed QR code), far more than the rest of the request, so no IRP on
//! `cores` cores can register more than `cores × signatures per second ÷ 2` invoices a
//! second. The rate is measured here, single-threaded, with the emulator's own backend and
//! key (AWS-LC, the embedded test key), so the ratio of the achieved rate to the ceiling
//! says how much of the machine the rest of the server costs.

use std::time::{Duration, Instant};

use aws_lc_rs::{rand::SystemRandom, signature::RSA_PKCS1_SHA256};
use irp_emulator::keys::KeySet;

/// The signing rate and the cores it is multiplied by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ceiling {
    /// Cores available to this process.
    pub cores: usize,
    /// RSA-2048 signatures per second on one core.
    pub signs_per_second: f64,
}

/// Why the ceiling could not be measured.
#[derive(Debug, thiserror::Error)]
#[error("measuring the RSA-2048 signing rate: {0}")]
pub struct CeilingError(String);

impl Ceiling {
    /// Signs for about `budget` on this thread and counts.
    pub fn measure(budget: Duration) -> Result<Self, CeilingError> {
        let keys = KeySet::embedded().map_err(|e| CeilingError(e.to_string()))?;
        let rng = SystemRandom::new();
        // About the size of a signed invoice's header and payload.
        let message = vec![b'x'; 2048];
        let mut signature = vec![0u8; keys.signing.public_modulus_len()];
        let started = Instant::now();
        let mut signed = 0_u32;
        while signed < 3 || started.elapsed() < budget {
            keys.signing
                .sign(&RSA_PKCS1_SHA256, &rng, &message, &mut signature)
                .map_err(|e| CeilingError(e.to_string()))?;
            signed += 1;
        }
        Ok(Self {
            cores: cores(),
            signs_per_second: f64::from(signed) / started.elapsed().as_secs_f64(),
        })
    }

    /// The most Generate IRN calls per second this machine could answer.
    pub fn generate_rate(&self) -> f64 {
        self.cores as f64 * self.signs_per_second / 2.0
    }

    /// CPU milliseconds one signature costs.
    pub fn signature_ms(&self) -> f64 {
        1000.0 / self.signs_per_second
    }
}

/// The cores this process may run on.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signing_rate_is_measured() {
        let ceiling = Ceiling::measure(Duration::from_millis(20)).unwrap();
        assert!(ceiling.signs_per_second > 0.0);
        assert!(ceiling.cores >= 1);
        assert!(
            (ceiling.generate_rate() * 2.0 / ceiling.cores as f64 - ceiling.signs_per_second).abs()
                < 1e-6
        );
        assert!(ceiling.signature_ms() > 0.0);
    }
}
