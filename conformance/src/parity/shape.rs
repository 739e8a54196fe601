//! The shape of an answer: what two IRPs must agree on when they are given the same request.
//!
//! Two IRPs never answer with the same values: each issues its own IRN, AckNo and e-way
//! bill number, stamps its own clock, hands out its own tokens and signs with its own key.
//! Comparing whole answers would report every step as different. So an answer is reduced
//! to its shape: the HTTP status, `Status`, the error and `InfoDtls` codes, the set of keys
//! its decrypted `Data` holds (as JSON pointers), and the values of only two kinds of key:
//!
//! - codes and statuses (`Status`, `TxpType`, `BlkStatus`, `StateCode`, …), which the same
//!   request must produce on any IRP, kept as they are;
//! - values that must differ (identifiers, moments, tokens, signed JWS strings), kept as a
//!   placeholder of their form (`<hex 64>`, `9999-99-99 99:99:99`, `<jws>`), so that an IRP
//!   printing a date in another format, or an AckNo as text instead of a number, still
//!   shows up.
//!
//! Every other value (names, addresses, amounts) is left out: it comes from the request or
//! from the IRP's taxpayer master, which an emulator cannot share with NIC.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::report::Reply;

/// The normalised answer of one step on one IRP.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shape {
    /// HTTP status.
    pub http_status: u16,
    /// `Status` (1 or 0), if any.
    pub status: Option<u64>,
    /// `ErrorDetails[].ErrorCode`, sorted, each once (NIC's order is not part of the contract).
    pub error_codes: Vec<String>,
    /// `InfoDtls[].InfCd`, sorted, each once.
    pub info_codes: Vec<String>,
    /// The JSON pointer of every key in the decrypted `Data`, recursively; array indices
    /// are `*`, so a list's length is not a difference. `""` when `Data` is a bare value.
    pub fields: BTreeSet<String>,
    /// Compared values by JSON pointer (array indices kept): codes and statuses as sent,
    /// values that must differ between IRPs as the placeholder of their form.
    pub values: BTreeMap<String, String>,
}

impl Shape {
    /// The shape of `reply`.
    pub fn of(reply: &Reply) -> Self {
        let sorted = |codes: &[String]| {
            let set: BTreeSet<String> = codes.iter().map(|c| c.trim().to_owned()).collect();
            set.into_iter().collect()
        };
        let mut shape = Self {
            http_status: reply.http_status,
            status: reply.status,
            error_codes: sorted(&reply.error_codes),
            info_codes: sorted(&reply.info_codes),
            ..Self::default()
        };
        match &reply.data {
            Value::Null => {}
            Value::Object(_) | Value::Array(_) => shape.walk(&reply.data, "", ""),
            _ => {
                shape.fields.insert(String::new());
            }
        }
        shape
    }

    /// Records the keys under `value` (found at `pointer`, `pattern` with indices as `*`).
    fn walk(&mut self, value: &Value, pointer: &str, pattern: &str) {
        match value {
            Value::Object(map) => {
                for (key, member) in map {
                    let token = escape(key);
                    let here = format!("{pointer}/{token}");
                    let here_pattern = format!("{pattern}/{token}");
                    self.fields.insert(here_pattern.clone());
                    if let Some(kept) = kept_value(key, member) {
                        self.values.insert(here.clone(), kept);
                    }
                    self.walk(member, &here, &here_pattern);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.walk(item, &format!("{pointer}/{index}"), &format!("{pattern}/*"));
                }
            }
            _ => {}
        }
    }
}

/// A key token of a JSON pointer (RFC 6901: `~` as `~0`, `/` as `~1`).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// What a key's value is to a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A code or status: the same request gives the same value on any IRP.
    Code,
    /// An identifier the IRP issues (IRN, AckNo, EwbNo).
    Identifier,
    /// A moment on the IRP's clock, or a date.
    Moment,
    /// A token or session key.
    Token,
    /// A signed JWS (`SignedInvoice`, `SignedQRCode`).
    Signed,
    /// Anything else: left out of the comparison.
    Other,
}

/// The role of `key`, matched without regard to case (NIC's own spelling varies between
/// APIs and the e-way bill system's lower-case envelope).
fn role(key: &str) -> Role {
    let key = key.to_ascii_lowercase();
    match key.as_str() {
        "irn" | "ackno" | "ewbno" | "ewaybillno" => Role::Identifier,
        "authtoken" | "sek" => Role::Token,
        "signedinvoice" | "signedqrcode" => Role::Signed,
        "ackdt" | "ewbdt" | "ewbvalidtill" | "canceldate" | "tokenexpiry" => Role::Moment,
        // A PIN is an address, from the request or the IRP's own master, not a code.
        _ if key.ends_with("pncd") || key.ends_with("pincode") => Role::Other,
        _ if ["dt", "date", "till", "upto", "expiry"]
            .iter()
            .any(|end| key.ends_with(end))
            || key.starts_with("dt") =>
        {
            Role::Moment
        }
        _ if ["status", "cd", "code", "typ", "type"]
            .iter()
            .any(|end| key.ends_with(end)) =>
        {
            Role::Code
        }
        _ => Role::Other,
    }
}

/// The value kept for `key`, if its value takes part in the comparison. Objects and arrays
/// never do: their keys are compared instead.
fn kept_value(key: &str, value: &Value) -> Option<String> {
    if value.is_object() || value.is_array() {
        return None;
    }
    match role(key) {
        Role::Other => None,
        Role::Code => Some(match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        role => Some(placeholder(role, value)),
    }
}

/// The form of a value that must differ between two IRPs.
fn placeholder(role: Role, value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.as_str(),
        Value::Number(n) if n.is_u64() => {
            return format!("<number, {} digits>", n.to_string().len());
        }
        Value::Number(_) => return "<number>".to_owned(),
        Value::Null => return "null".to_owned(),
        Value::Bool(_) => return "<bool>".to_owned(),
        Value::Object(_) | Value::Array(_) => return "<json>".to_owned(),
    };
    if text.is_empty() {
        return "<empty>".to_owned();
    }
    match role {
        Role::Signed if text.split('.').count() == 3 => "<jws>".to_owned(),
        Role::Signed | Role::Token => "<text>".to_owned(),
        Role::Identifier if text.bytes().all(|b| b.is_ascii_digit()) => {
            format!("<digits {}>", text.len())
        }
        Role::Identifier if text.bytes().all(|b| b.is_ascii_hexdigit()) => {
            format!("<hex {}>", text.len())
        }
        Role::Identifier => "<text>".to_owned(),
        _ => moment_mask(text),
    }
}

/// A moment with every digit as `9` and AM/PM as `XM`: `2025-03-01 10:00:00` becomes
/// `9999-99-99 99:99:99`, whatever the day and time.
fn moment_mask(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect::<String>()
        .replace("AM", "XM")
        .replace("PM", "XM")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn reply(data: Value) -> Reply {
        Reply {
            http_status: 200,
            status: Some(1),
            data,
            ..Reply::default()
        }
    }

    /// `shape_row!(name, data, fields, values)`: the shape of a `Data` of one kind.
    macro_rules! shape_row {
        ($name:ident, $data:expr, [$($field:expr),* $(,)?], {$($pointer:expr => $value:expr),* $(,)?}) => {
            #[test]
            fn $name() {
                let shape = Shape::of(&reply($data));
                let fields: BTreeSet<String> = [$($field),*].into_iter().map(str::to_owned).collect();
                let values: BTreeMap<String, String> =
                    [$(($pointer, $value)),*].into_iter().map(|(p, v): (&str, &str)| (p.to_owned(), v.to_owned())).collect();
                assert_eq!(shape.fields, fields, "fields");
                assert_eq!(shape.values, values, "values");
            }
        };
    }

    shape_row!(
        generate_irn_keeps_forms_of_what_must_differ,
        json!({
            "AckNo": 112_510_000_000_123_u64, "AckDt": "2025-03-01 10:15:00",
            "Irn": "a5c12dca80e743321740b001fd70953e8738d109865d28ba4013750f2046f229",
            "SignedInvoice": "eyJh.eyJk.c2ln", "SignedQRCode": "eyJh.eyJk.c2ln",
            "Status": "ACT", "EwbNo": null, "EwbDt": null, "EwbValidTill": null, "Remarks": null
        }),
        ["/AckNo", "/AckDt", "/Irn", "/SignedInvoice", "/SignedQRCode", "/Status", "/EwbNo",
         "/EwbDt", "/EwbValidTill", "/Remarks"],
        {"/AckNo" => "<number, 15 digits>", "/AckDt" => "9999-99-99 99:99:99",
         "/Irn" => "<hex 64>", "/SignedInvoice" => "<jws>", "/SignedQRCode" => "<jws>",
         "/Status" => "ACT", "/EwbNo" => "null", "/EwbDt" => "null", "/EwbValidTill" => "null"}
    );

    shape_row!(
        auth_keeps_no_token_or_name,
        json!({"ClientId": "mine", "UserName": "u", "AuthToken": "1Bd8v", "Sek": "********",
               "TokenExpiry": "2025-03-01 11:15:00"}),
        ["/ClientId", "/UserName", "/AuthToken", "/Sek", "/TokenExpiry"],
        {"/AuthToken" => "<text>", "/Sek" => "<text>", "/TokenExpiry" => "9999-99-99 99:99:99"}
    );

    shape_row!(
        gstin_details_keep_codes_and_leave_out_names,
        json!({"Gstin": "29AAACL1111A1ZD", "LegalName": "X", "StateCode": 29, "AddrPncd": 560001,
               "TxpType": "REG", "Status": "ACT", "BlkStatus": "U", "DtReg": "2017-07-01"}),
        ["/Gstin", "/LegalName", "/StateCode", "/AddrPncd", "/TxpType", "/Status",
         "/BlkStatus", "/DtReg"],
        {"/StateCode" => "29", "/TxpType" => "REG", "/Status" => "ACT", "/BlkStatus" => "U",
         "/DtReg" => "9999-99-99"}
    );

    shape_row!(
        nested_lists_collapse_in_fields_and_keep_indices_in_values,
        json!({"a/b": [{"status": "1", "x": 1}, {"status": "2"}], "validUpto": "01/03/2025 11:59:00 PM"}),
        ["/a~1b", "/a~1b/*/status", "/a~1b/*/x", "/validUpto"],
        {"/a~1b/0/status" => "1", "/a~1b/1/status" => "2", "/validUpto" => "99/99/9999 99:99:99 XM"}
    );

    shape_row!(bare_data_is_the_root_field, json!("not json"), [""], {});

    shape_row!(no_data_is_no_field, Value::Null, [], {});

    #[test]
    fn codes_are_sorted_and_counted_once() {
        let shape = Shape::of(&Reply {
            http_status: 400,
            status: Some(0),
            error_codes: vec!["2192".into(), "2150".into(), "2192".into()],
            info_codes: vec!["EWBERR".into()],
            data: Value::Null,
        });
        assert_eq!(shape.error_codes, ["2150", "2192"]);
        assert_eq!(shape.info_codes, ["EWBERR"]);
    }

    #[test]
    fn identifiers_as_text_or_number_have_different_forms() {
        let text = Shape::of(&reply(json!({"AckNo": "112510000000123"})));
        let number = Shape::of(&reply(json!({"AckNo": 112_510_000_000_123_u64})));
        assert_eq!(text.fields, number.fields);
        assert_ne!(text.values, number.values);
    }
}
