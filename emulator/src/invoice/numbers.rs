//! The numbers the IRP issues: the acknowledgement number of a registration and the e-way
//! bill number, each encoded (and its sequence read back) in one place.
//!
//! AckNo: 15 digits, the IRP's digit (1 for NIC-1, 2 for NIC-2: reference §7.2) and `5` (the
//! second digit NIC's sandbox samples show), the two-digit year, then an 11-digit sequence. EwbNo: 12 digits, `11` then a 10-digit sequence. Both are
//! JSON numbers on the wire and in the signed invoice.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The second digit of every AckNo (the first is the IRP's).
const ACK_SECOND_DIGIT: u64 = 5;
/// The AckNo's sequence part.
const ACK_SEQUENCE: u64 = 10_u64.pow(11);
/// The EwbNo's sequence part.
const EWB_SEQUENCE: u64 = 10_u64.pow(10);
/// First digits of every EwbNo.
const EWB_PREFIX: u64 = 11;

/// A 15-digit acknowledgement number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AckNo(u64);

impl AckNo {
    /// How many sequence values the number holds (its sequence part is `n % SEQUENCES`).
    pub const SEQUENCES: u64 = ACK_SEQUENCE;

    /// The AckNo of the `sequence`th registration, issued at NIC-1 in `year`.
    pub fn issue(year: i32, sequence: u64) -> Self {
        Self::issue_at(1, year, sequence)
    }

    /// The AckNo of the `sequence`th registration, issued in `year` at the IRP whose AckNos
    /// start with `irp_digit` (1 to 9).
    pub fn issue_at(irp_digit: u8, year: i32, sequence: u64) -> Self {
        let yy = u64::try_from(year.rem_euclid(100)).unwrap_or_default();
        let prefix = u64::from(irp_digit.clamp(1, 9)) * 10 + ACK_SECOND_DIGIT;
        Self(prefix * 100 * ACK_SEQUENCE + yy * ACK_SEQUENCE + sequence % ACK_SEQUENCE)
    }

    /// The first digit: the IRP that issued it.
    pub fn irp_digit(self) -> u64 {
        self.0 / (1000 * ACK_SEQUENCE)
    }

    /// A stored or received number, as it is.
    pub fn from_u64(value: u64) -> Self {
        Self(value)
    }

    /// The sequence part.
    pub fn sequence(self) -> u64 {
        self.0 % ACK_SEQUENCE
    }

    /// The number.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for AckNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A 12-digit e-way bill number (a looked-up number may be anything a client sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EwbNo(u64);

impl EwbNo {
    /// How many sequence values the number holds (its sequence part is `n % SEQUENCES`).
    pub const SEQUENCES: u64 = EWB_SEQUENCE;

    /// The EwbNo of the `sequence`th e-way bill.
    pub fn issue(sequence: u64) -> Self {
        Self(EWB_PREFIX * EWB_SEQUENCE + sequence % EWB_SEQUENCE)
    }

    /// A stored or received number, as it is.
    pub fn from_u64(value: u64) -> Self {
        Self(value)
    }

    /// The sequence part.
    pub fn sequence(self) -> u64 {
        self.0 % EWB_SEQUENCE
    }

    /// The number.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for EwbNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let ack = AckNo::issue(2026, 7);
        assert_eq!(ack.get(), 152_600_000_000_007);
        assert_eq!(ack.to_string().len(), 15);
        assert_eq!(ack.sequence(), 7);
        assert_eq!(ack.irp_digit(), 1);
        let nic2 = AckNo::issue_at(2, 2026, 7);
        assert_eq!(nic2.get(), 252_600_000_000_007);
        assert_eq!((nic2.irp_digit(), nic2.sequence()), (2, 7));
        let ewb = EwbNo::issue(42);
        assert_eq!(ewb.get(), 110_000_000_042);
        assert_eq!(ewb.to_string().len(), 12);
        assert_eq!(ewb.sequence(), 42);
        assert_eq!(serde_json::to_string(&ewb).unwrap(), "110000000042");
    }
}
