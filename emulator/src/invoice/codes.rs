//! The invoice's coded values, typed once: supply type (`SupTyp`), document type (`Typ`) and
//! the Y/N flags (`RegRev`, `IgstOnIntra`, `IsServc`).
//!
//! NIC's schema pins each spelling (`enum: ["B2B", …]`, upper case). A code sent in another
//! case (`"inv"`) is rewritten to the schema's spelling before the schema check
//! ([`crate::spelling`]), so each enum reads and writes exactly those strings and the signed
//! copy carries the canonical code. `parse` accepts any case for the places that take a code
//! from outside the document (a URL parameter).

use serde::{Deserialize, Serialize};

/// `TranDtls.SupTyp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SupplyType {
    /// Business to business.
    #[serde(rename = "B2B")]
    B2b,
    /// To an SEZ, with payment of tax.
    #[serde(rename = "SEZWP")]
    SezWithPayment,
    /// To an SEZ, without payment of tax.
    #[serde(rename = "SEZWOP")]
    SezWithoutPayment,
    /// Export with payment of tax.
    #[serde(rename = "EXPWP")]
    ExportWithPayment,
    /// Export without payment of tax.
    #[serde(rename = "EXPWOP")]
    ExportWithoutPayment,
    /// Deemed export.
    #[serde(rename = "DEXP")]
    DeemedExport,
}

impl SupplyType {
    /// Parses the code in any case.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.to_ascii_uppercase().as_str() {
            "B2B" => Self::B2b,
            "SEZWP" => Self::SezWithPayment,
            "SEZWOP" => Self::SezWithoutPayment,
            "EXPWP" => Self::ExportWithPayment,
            "EXPWOP" => Self::ExportWithoutPayment,
            "DEXP" => Self::DeemedExport,
            _ => return None,
        })
    }

    /// The code.
    pub fn code(self) -> &'static str {
        match self {
            Self::B2b => "B2B",
            Self::SezWithPayment => "SEZWP",
            Self::SezWithoutPayment => "SEZWOP",
            Self::ExportWithPayment => "EXPWP",
            Self::ExportWithoutPayment => "EXPWOP",
            Self::DeemedExport => "DEXP",
        }
    }

    /// EXPWP or EXPWOP.
    pub fn is_export(self) -> bool {
        matches!(self, Self::ExportWithPayment | Self::ExportWithoutPayment)
    }

    /// SEZWP or SEZWOP.
    pub fn is_sez(self) -> bool {
        matches!(self, Self::SezWithPayment | Self::SezWithoutPayment)
    }

    /// SEZWOP or EXPWOP: no tax is charged.
    pub fn is_without_payment(self) -> bool {
        matches!(self, Self::SezWithoutPayment | Self::ExportWithoutPayment)
    }
}

/// `DocDtls.Typ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocType {
    /// Tax invoice.
    #[serde(rename = "INV")]
    Invoice,
    /// Credit note.
    #[serde(rename = "CRN")]
    CreditNote,
    /// Debit note.
    #[serde(rename = "DBN")]
    DebitNote,
}

impl DocType {
    /// Parses `INV`, `CRN` or `DBN` (any case, as NIC's deserialiser accepts).
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_uppercase().as_str() {
            "INV" => Some(Self::Invoice),
            "CRN" => Some(Self::CreditNote),
            "DBN" => Some(Self::DebitNote),
            _ => None,
        }
    }

    /// The code as hashed and printed.
    pub fn code(self) -> &'static str {
        match self {
            Self::Invoice => "INV",
            Self::CreditNote => "CRN",
            Self::DebitNote => "DBN",
        }
    }
}

/// A `Y`/`N` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum YesNo {
    /// `Y`.
    #[serde(rename = "Y")]
    Yes,
    /// `N`.
    #[serde(rename = "N")]
    No,
}

impl YesNo {
    /// `Y` for `true`.
    pub fn of(value: bool) -> Self {
        if value { Self::Yes } else { Self::No }
    }

    /// Whether it is `Y`.
    pub fn is_yes(self) -> bool {
        self == Self::Yes
    }

    /// Whether an optional flag is present and `Y`.
    pub fn set(flag: Option<Self>) -> bool {
        flag.is_some_and(Self::is_yes)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// Every spelling the schema allows reads and writes back unchanged (the signed bytes
    /// depend on it); anything else is refused.
    #[test]
    fn codes_round_trip_exactly() {
        fn round_trip<T: Serialize + serde::de::DeserializeOwned>(codes: &[&str]) {
            for code in codes {
                let value: T = serde_json::from_value(json!(code)).unwrap();
                assert_eq!(serde_json::to_value(value).unwrap(), Value::from(*code));
            }
        }
        round_trip::<SupplyType>(&["B2B", "SEZWP", "SEZWOP", "EXPWP", "EXPWOP", "DEXP"]);
        round_trip::<DocType>(&["INV", "CRN", "DBN"]);
        round_trip::<YesNo>(&["Y", "N"]);
        assert!(serde_json::from_value::<DocType>(json!("inv")).is_err());
        assert!(serde_json::from_value::<YesNo>(json!("y")).is_err());
        for supply in ["B2B", "SEZWP", "SEZWOP", "EXPWP", "EXPWOP", "DEXP"] {
            assert_eq!(
                SupplyType::parse(supply).map(SupplyType::code),
                Some(supply)
            );
        }
        assert_eq!(DocType::parse("crn"), Some(DocType::CreditNote));
    }
}
