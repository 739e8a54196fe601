//! The reason code of both cancel APIs: Cancel IRN's `CnlRsn` (`"1"`..`"4"`) and the e-way
//! bill system's `cancelRsnCode` (1–4).
//!
//! The type holds the code, not a meaning, because the two APIs read 2 and 3 the other way
//! round (IRN: 2 data entry mistake, 3 order cancelled; e-way bill: 2 order cancelled,
//! 3 data entry mistake); 1 is a duplicate and 4 "others" in both. Either API accepts the
//! code as a JSON string (trimmed) or as an integer.

use std::fmt;

use serde_json::Value;

/// A cancel reason code, 1 to 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CancelReason(u8);

impl CancelReason {
    /// Reads the code from the request JSON; `None` unless it is 1–4.
    pub fn from_wire(value: &Value) -> Option<Self> {
        let code = match value {
            Value::Number(n) => n.as_u64()?,
            Value::String(s) => match s.trim() {
                text @ ("1" | "2" | "3" | "4") => text.parse().ok()?,
                _ => return None,
            },
            _ => return None,
        };
        Self::new(code)
    }

    /// The reason with this code, if it is 1–4.
    pub fn new(code: u64) -> Option<Self> {
        let code = u8::try_from(code).ok()?;
        (1..=4).contains(&code).then_some(Self(code))
    }

    /// The code as stored and shown, `"1"`..`"4"`.
    pub fn code(self) -> &'static str {
        match self.0 {
            1 => "1",
            2 => "2",
            3 => "3",
            _ => "4",
        }
    }
}

impl fmt::Display for CancelReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reasons_as_strings_or_integers() {
        for (value, code) in [
            (json!("1"), Some("1")),
            (json!(" 4 "), Some("4")),
            (json!(2), Some("2")),
            (json!("0"), None),
            (json!("5"), None),
            (json!(5), None),
            (json!(2.0), None),
            (json!("+2"), None),
            (json!(null), None),
            (json!(true), None),
        ] {
            assert_eq!(
                CancelReason::from_wire(&value).map(CancelReason::code),
                code,
                "{value}"
            );
        }
    }
}
