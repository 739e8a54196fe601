//! An IRP's name and identity.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest IRP name.
const MAX_LEN: usize = 32;

/// An IRP's name: 1 to 32 lower-case ASCII letters, digits, `-` or `_` (`nic1`, `nic2`,
/// `cygnet`). Given in any case, kept in lower case; its wire form ([`IrpName::wire`]) is
/// upper case, as the `irp` header and `RegIrp` spell NIC's (`NIC1`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IrpName(String);

/// Why a text is not an IRP name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("IRP name {0:?}: 1 to 32 letters, digits, '-' or '_'")]
pub struct IrpNameError(String);

impl IrpName {
    /// Reads a name in any case.
    pub fn parse(text: &str) -> Result<Self, IrpNameError> {
        let ok = !text.is_empty()
            && text.len() <= MAX_LEN
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(text.to_ascii_lowercase()))
        } else {
            Err(IrpNameError(text.to_owned()))
        }
    }

    /// `nic1`: the name of the only IRP of a single-IRP emulator, and of everything stored
    /// before IRPs were named.
    pub fn nic1() -> Self {
        Self("nic1".into())
    }

    /// `NIC1`, `NIC2`, `CYGNET`: as the `irp` header and `RegIrp` write it.
    pub fn wire(&self) -> String {
        self.0.to_ascii_uppercase()
    }

    /// 1 for `nic1`, 2 for `nic2`: the two NIC IRPs, which interoperate ("criss-cross").
    pub fn nic_number(&self) -> Option<u8> {
        match self.0.as_str() {
            "nic1" => Some(1),
            "nic2" => Some(2),
            _ => None,
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for IrpName {
    fn default() -> Self {
        Self::nic1()
    }
}

impl fmt::Display for IrpName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for IrpName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for IrpName {
    type Err = IrpNameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for IrpName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for IrpName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// One IRP served by this process: its name and the first digit of its AckNos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Irp {
    /// The name.
    pub name: IrpName,
    /// The first digit of every AckNo it issues: "the NIC IRP that generated it (1 or 2)"
    /// (reference §7.2, from GSP documentation); private IRPs get 3 and up.
    pub ack_digit: u8,
}

impl Default for Irp {
    fn default() -> Self {
        Self {
            name: IrpName::nic1(),
            ack_digit: 1,
        }
    }
}

impl Irp {
    /// The IRPs of `names`, in order: `nic1` and `nic2` take AckNo digits 1 and 2, any other
    /// IRP the next free digit from 3 on (up to 9, then 9 again).
    pub fn numbered(names: &[IrpName]) -> Vec<Irp> {
        let mut next_private = 3_u8;
        names
            .iter()
            .map(|name| {
                let ack_digit = name.nic_number().unwrap_or_else(|| {
                    let digit = next_private.min(9);
                    next_private = next_private.saturating_add(1);
                    digit
                });
                Irp {
                    name: name.clone(),
                    ack_digit,
                }
            })
            .collect()
    }

    /// Whether a call at this IRP, with `header` as its `irp` header, may act on an IRN held
    /// at `held`. Its own IRNs always; an IRN of the other NIC IRP only when this IRP is a
    /// NIC IRP too and the header names the holder (`NIC1`/`NIC2`, any case); a private
    /// IRP's IRNs, or any IRN from a private IRP, never (NIC documents criss-cross between
    /// its two IRPs only). Otherwise the caller meets 2148, as for an unknown IRN.
    pub fn reaches(&self, held: &IrpName, header: Option<&str>) -> bool {
        if *held == self.name {
            return true;
        }
        self.name.nic_number().is_some()
            && held.nic_number().is_some()
            && header.is_some_and(|h| h.trim().eq_ignore_ascii_case(held.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> IrpName {
        IrpName::parse(s).unwrap()
    }

    #[test]
    fn names_are_checked_and_kept_in_lower_case() {
        assert_eq!(name("NIC2").as_str(), "nic2");
        assert_eq!(name("nic2").wire(), "NIC2");
        for bad in ["", "a b", "nic/1", &"x".repeat(33), "é"] {
            assert!(IrpName::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn ack_digits_follow_the_nic_numbers_then_count_from_three() {
        let irps = Irp::numbered(&[name("cygnet"), name("nic2"), name("nic1"), name("iris")]);
        let digits: Vec<u8> = irps.iter().map(|i| i.ack_digit).collect();
        assert_eq!(digits, [3, 2, 1, 4]);
    }

    macro_rules! reach {
        ($name:ident, $at:expr, $held:expr, $header:expr, $expected:expr) => {
            #[test]
            fn $name() {
                let at = Irp {
                    name: name($at),
                    ack_digit: 1,
                };
                assert_eq!(at.reaches(&name($held), $header), $expected);
            }
        };
    }

    reach!(own_irn_without_header, "nic1", "nic1", None, true);
    reach!(own_irn_with_any_header, "nic2", "nic2", Some("NIC1"), true);
    reach!(other_nic_without_header, "nic2", "nic1", None, false);
    reach!(other_nic_named, "nic2", "nic1", Some("NIC1"), true);
    reach!(
        other_nic_named_lower_case,
        "nic1",
        "nic2",
        Some("nic2"),
        true
    );
    reach!(other_nic_misnamed, "nic2", "nic1", Some("NIC2"), false);
    reach!(
        private_holder_never,
        "nic1",
        "cygnet",
        Some("CYGNET"),
        false
    );
    reach!(private_caller_never, "cygnet", "nic1", Some("NIC1"), false);
}
