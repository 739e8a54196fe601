//! The GSTIN: a 15-character taxpayer identity, parsed once at the edge.
//!
//! Shape: two-digit state code, ten-character PAN, entity number, `Z` by convention and a
//! mod-36 check character. Most sandbox GSTINs fail the check character (NIC validates
//! against its taxpayer master, not the checksum), so [`Gstin::parse`] checks only the shape
//! and the state code; [`Gstin::has_valid_check_digit`] is there for the strict mode.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::masters;

/// A GSTIN whose shape and state code have been checked.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gstin(String);

/// Why a string is not a GSTIN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GstinError {
    /// Not exactly 15 characters.
    #[error("a GSTIN has 15 characters, got {0}")]
    Length(usize),
    /// A character outside `0-9A-Z`, or a state code that is not two digits.
    #[error("a GSTIN is two digits followed by 13 characters of 0-9 or A-Z")]
    Charset,
    /// The first two digits are not a state or union territory.
    #[error("{0:02} is not a state code a GSTIN can carry")]
    StateCode(u8),
    /// The 15th character is not the mod-36 check character (strict mode only).
    #[error("check character should be {expected}")]
    CheckDigit {
        /// The character the first 14 call for.
        expected: char,
    },
}

const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        _ => None,
    }
}

impl Gstin {
    /// Checks length, alphabet and state code (not the check character).
    pub fn parse(text: &str) -> Result<Self, GstinError> {
        let bytes = text.as_bytes();
        if bytes.len() != 15 {
            return Err(GstinError::Length(text.chars().count()));
        }
        if !bytes.iter().all(|b| value(*b).is_some()) {
            return Err(GstinError::Charset);
        }
        let state = match bytes {
            [a @ b'0'..=b'9', b @ b'0'..=b'9', ..] => (a - b'0') * 10 + (b - b'0'),
            _ => return Err(GstinError::Charset),
        };
        match masters::state(state) {
            Some(s) if s.can_register() => Ok(Self(text.to_owned())),
            _ => Err(GstinError::StateCode(state)),
        }
    }

    /// Parses and also requires a correct check character.
    pub fn parse_strict(text: &str) -> Result<Self, GstinError> {
        let gstin = Self::parse(text)?;
        let expected = check_character(&gstin.0);
        if gstin.0.as_bytes().last().copied() == Some(expected as u8) {
            Ok(gstin)
        } else {
            Err(GstinError::CheckDigit { expected })
        }
    }

    /// Whether the 15th character is the mod-36 check character of the first 14.
    pub fn has_valid_check_digit(&self) -> bool {
        self.0.as_bytes().last().copied() == Some(check_character(&self.0) as u8)
    }

    /// The state code in the first two digits.
    pub fn state_code(&self) -> u8 {
        self.0
            .as_bytes()
            .iter()
            .take(2)
            .fold(0, |acc, b| acc * 10 + (b - b'0'))
    }

    /// The GSTIN text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How GSTINs sent by clients are read: the `strict_gstin_check_digit` setting, applied
/// here and nowhere else (`Settings::gstin_check` builds it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GstinCheck {
    /// Shape and state code only, as the sandbox does.
    #[default]
    Shape,
    /// Shape, state code and the mod-36 check character.
    CheckCharacter,
}

impl GstinCheck {
    /// The check for the `strict_gstin_check_digit` setting.
    pub fn strict(strict: bool) -> Self {
        if strict {
            Self::CheckCharacter
        } else {
            Self::Shape
        }
    }

    /// Parses `text` as this check requires.
    pub fn parse(self, text: &str) -> Result<Gstin, GstinError> {
        match self {
            Self::Shape => Gstin::parse(text),
            Self::CheckCharacter => Gstin::parse_strict(text),
        }
    }
}

/// The mod-36 check character of a GSTIN's first 14 characters (GSTN's published rule).
pub fn check_character(gstin: &str) -> char {
    let sum: u32 = gstin
        .bytes()
        .take(14)
        .enumerate()
        .map(|(i, c)| {
            let product = value(c).unwrap_or(0) * if i % 2 == 0 { 1 } else { 2 };
            product / 36 + product % 36
        })
        .sum();
    let check = (36 - sum % 36) % 36;
    ALPHABET.get(check as usize).map_or('0', |b| char::from(*b))
}

impl fmt::Display for Gstin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Gstin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gstin({})", self.0)
    }
}

impl AsRef<str> for Gstin {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for Gstin {
    type Err = GstinError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Gstin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Gstin {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    macro_rules! gstin_case {
        ($name:ident, $text:expr, $expected:expr) => {
            #[test]
            fn $name() {
                assert_eq!(Gstin::parse($text).map(|g| g.to_string()), $expected);
            }
        };
    }

    gstin_case!(
        sandbox_seller_without_check_digit,
        "34AACCC1596Q002",
        Ok("34AACCC1596Q002".into())
    );
    gstin_case!(real_gstin, "27GSPMH1881G1ZH", Ok("27GSPMH1881G1ZH".into()));
    gstin_case!(too_short, "29AWGPV7107B1Z", Err(GstinError::Length(14)));
    gstin_case!(too_long, "29AWGPV7107B1Z11", Err(GstinError::Length(16)));
    gstin_case!(lower_case, "29awgpv7107b1z1", Err(GstinError::Charset));
    gstin_case!(letter_state, "A9AWGPV7107B1Z1", Err(GstinError::Charset));
    gstin_case!(state_zero, "00AWGPV7107B1Z1", Err(GstinError::StateCode(0)));
    gstin_case!(state_39, "39AWGPV7107B1Z1", Err(GstinError::StateCode(39)));
    gstin_case!(
        state_foreign,
        "96AWGPV7107B1Z1",
        Err(GstinError::StateCode(96))
    );
    gstin_case!(urp_is_not_a_gstin, "URP", Err(GstinError::Length(3)));
    gstin_case!(multibyte, "29AWGPV7107B1Zé", Err(GstinError::Length(15)));

    #[test]
    fn check_digit_of_real_gstins() {
        for real in ["27GSPMH1881G1ZH", "09AAJCM7191E1Z5", "24AACCT6304M1ZB"] {
            assert!(Gstin::parse_strict(real).is_ok(), "{real}");
        }
        for sandbox in ["34AACCC1596Q002", "01AMBPG7773M002", "29AWGPV7107B1Z1"] {
            assert!(matches!(
                Gstin::parse_strict(sandbox),
                Err(GstinError::CheckDigit { .. })
            ));
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in ".{0,20}") {
            let _ = Gstin::parse(&text);
            let _ = Gstin::parse_strict(&text);
        }

        #[test]
        fn well_shaped_gstins_round_trip(state in 1u8..=38, rest in "[0-9A-Z]{13}") {
            let text = format!("{state:02}{rest}");
            let gstin = Gstin::parse(&text).unwrap();
            prop_assert_eq!(gstin.state_code(), state);
            prop_assert_eq!(Gstin::parse(&format!("{gstin}")).unwrap(), gstin.clone());
            let json = serde_json::to_string(&gstin).unwrap();
            prop_assert_eq!(serde_json::from_str::<Gstin>(&json).unwrap(), gstin);
        }

        #[test]
        fn fixing_the_check_character_always_passes(state in 1u8..=38, rest in "[0-9A-Z]{12}") {
            let head = format!("{state:02}{rest}");
            let text = format!("{head}{}", check_character(&head));
            prop_assert!(Gstin::parse_strict(&text).is_ok());
        }
    }

    /// The strictness setting has one reading: shape only, or shape and check character.
    #[test]
    fn gstin_check_applies_the_setting() {
        let sandbox = "29AAACL1111A1ZD";
        let real_check = check_character(sandbox);
        let wrong = if real_check == 'A' { 'B' } else { 'A' };
        let mut other = sandbox[..14].to_owned();
        other.push(wrong);
        assert!(GstinCheck::strict(false).parse(&other).is_ok());
        assert_eq!(
            GstinCheck::strict(true).parse(&other),
            Err(GstinError::CheckDigit {
                expected: real_check
            })
        );
        assert_eq!(GstinCheck::default(), GstinCheck::Shape);
        let mut right = sandbox[..14].to_owned();
        right.push(real_check);
        assert!(GstinCheck::CheckCharacter.parse(&right).is_ok());
    }
}
