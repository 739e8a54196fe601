//! NIC's JSON Schema for INV-01 v1.1, compiled once at start.
//!
//! The schema is the first gate of Generate IRN: a failure answers 2140 with one entry per
//! violation, each naming the JSON path (`#/ItemList/0/HsnCd`) and what is wrong, so a
//! client fixes every schema problem in one round trip. Nulls are removed before the check
//! because the IRP treats a null like an absent key (NIC's own sample sends
//! `"EcmGstin": null`); a required key sent as null is then reported as missing.
//!
//! Before the check, the document is put in canonical spelling (names and codes in any
//! case, as NIC's .NET deserialiser reads them: see [`crate::spelling`]); two keys folding
//! to one name are one 2140 entry each. A field that breaks several keywords (`"Typ":
//! "XYZ"` breaks `enum` and `pattern`) gets one entry, the first, so the answer lists each
//! bad field once.

use std::collections::HashSet;

use jsonschema::{ValidationError, Validator, error::ValidationErrorKind};
use serde_json::Value;

use super::normalise::invoice_spelling;
use crate::{
    error::{ApiError, ErrorCode},
    spelling::{Coercion, Spelling},
};

const SCHEMA_JSON: &str = include_str!("../../../schemas/einvoice-schema-v1.1.json");

/// At most this many violations are listed in one answer.
const MAX_REPORTED: usize = 100;

/// The compiled v1.1 schema.
pub struct InvoiceSchema {
    validator: Validator,
    spelling: Spelling,
}

/// The embedded schema did not compile (a build defect, reported at start).
#[derive(Debug, thiserror::Error)]
#[error("invoice schema: {0}")]
pub struct SchemaError(String);

impl InvoiceSchema {
    /// Compiles the embedded v1.1 schema.
    pub fn v1_1() -> Result<Self, SchemaError> {
        let schema: Value =
            serde_json::from_str(SCHEMA_JSON).map_err(|e| SchemaError(e.to_string()))?;
        let validator = jsonschema::draft7::new(&schema).map_err(|e| SchemaError(e.to_string()))?;
        Ok(Self {
            spelling: invoice_spelling(&schema),
            validator,
        })
    }

    /// Drops nulls from `document`, puts it in canonical spelling and checks it; every
    /// colliding key and every bad field becomes one 2140 entry.
    pub fn check(&self, document: &mut Value, coercion: Coercion) -> Result<(), ApiError> {
        strip_nulls(document);
        let mut entries: Vec<String> = self
            .spelling
            .normalise(document, coercion)
            .iter()
            .map(|c| c.message())
            .collect();
        // A valid document (the common case) is confirmed without collecting errors.
        if entries.is_empty() && self.validator.is_valid(document) {
            return Ok(());
        }
        let mut fields = HashSet::new();
        for e in self.validator.iter_errors(document) {
            if entries.len() >= MAX_REPORTED {
                break;
            }
            if fields.insert(field_of(&e)) {
                entries.push(format!("#{}: {}", e.instance_path().as_str(), e.masked()));
            }
        }
        let mut entries = entries.into_iter();
        let Some(first) = entries.next() else {
            return Ok(());
        };
        Err(entries.fold(
            ApiError::with_message(ErrorCode::InvalidInvoice, first),
            |error, entry| error.and(ErrorCode::InvalidInvoice, entry),
        ))
    }
}

impl std::fmt::Debug for InvoiceSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InvoiceSchema(v1.1)")
    }
}

/// The field a violation is about: its path, or for a missing member the member's path.
fn field_of(error: &ValidationError<'_>) -> String {
    let path = error.instance_path().as_str();
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            format!("{path}/{}", property.as_str().unwrap_or_default())
        }
        _ => path.to_owned(),
    }
}

/// Removes every null member of every object, recursively.
pub fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_every_violation_with_its_path() {
        let schema = InvoiceSchema::v1_1().unwrap();
        let mut doc = json!({"Version": "1.1", "TranDtls": {"TaxSch": "GST", "SupTyp": "B2C"},
            "DocDtls": {"Typ": "INV", "No": "0BAD", "Dt": "1/1/2025"}});
        let err = schema.check(&mut doc, Coercion::Exact).unwrap_err();
        let text: Vec<&str> = err
            .details()
            .iter()
            .map(|d| d.error_message.as_str())
            .collect();
        assert!(err.details().iter().all(|d| d.error_code == "2140"));
        assert!(
            text.iter().any(|t| t.starts_with("#/TranDtls/SupTyp")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.starts_with("#/DocDtls/No")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.starts_with("#/DocDtls/Dt")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.contains("SellerDtls")), "{text:?}");
    }

    /// `"Typ": "XYZ"` breaks both `enum` and `pattern`: one entry; `"typ": "inv"` is fine;
    /// `Typ` and `typ` together are one collision entry.
    #[test]
    fn one_entry_per_bad_field() {
        let schema = InvoiceSchema::v1_1().unwrap();
        let messages = |doc: &mut Value| -> Vec<String> {
            match schema.check(doc, Coercion::Exact) {
                Ok(()) => Vec::new(),
                Err(e) => e
                    .details()
                    .iter()
                    .map(|d| d.error_message.clone())
                    .filter(|m| m.starts_with("#/DocDtls"))
                    .collect(),
            }
        };
        let mut bad = json!({"DocDtls": {"Typ": "XYZ", "No": "A1", "Dt": "01/01/2025"}});
        assert_eq!(messages(&mut bad).len(), 1, "{:?}", messages(&mut bad));
        let mut cased = json!({"docdtls": {"typ": "inv", "NO": "A1", "dt": "01/01/2025"}});
        assert_eq!(messages(&mut cased), Vec::<String>::new());
        assert_eq!(cased["DocDtls"]["Typ"], "INV");
        let mut twice = json!({"DocDtls": {"Typ": "INV", "typ": "CRN", "No": "A1",
            "Dt": "01/01/2025"}});
        assert_eq!(
            messages(&mut twice),
            ["#/DocDtls/Typ: duplicate property (Typ, typ)"]
        );
    }

    #[test]
    fn nulls_count_as_absent() {
        let mut doc = json!({"a": null, "b": [{"c": null, "d": 1}]});
        strip_nulls(&mut doc);
        assert_eq!(doc, json!({"b": [{"d": 1}]}));
    }
}
