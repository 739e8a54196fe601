//! NIC's JSON Schema for INV-01 v1.1, compiled once at start.
//!
//! The schema is the first gate of Generate IRN: a failure answers 2140 with one entry per
//! violation, each naming the JSON path (`#/ItemList/0/HsnCd`) and what is wrong, so a
//! client fixes every schema problem in one round trip. Nulls are removed before the check
//! because the IRP treats a null like an absent key (NIC's own sample sends
//! `"EcmGstin": null`); a required key sent as null is then reported as missing.

use jsonschema::Validator;
use serde_json::Value;

use crate::error::{ApiError, ErrorCode};

const SCHEMA_JSON: &str = include_str!("../../../schemas/einvoice-schema-v1.1.json");

/// At most this many violations are listed in one answer.
const MAX_REPORTED: usize = 100;

/// The compiled v1.1 schema.
pub struct InvoiceSchema {
    validator: Validator,
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
        Ok(Self { validator })
    }

    /// Drops nulls from `document` and checks it; every violation becomes a 2140 entry.
    pub fn check(&self, document: &mut Value) -> Result<(), ApiError> {
        strip_nulls(document);
        let mut errors = self.validator.iter_errors(document).take(MAX_REPORTED);
        let Some(first) = errors.next() else {
            return Ok(());
        };
        let entry = |e: &jsonschema::ValidationError<'_>| {
            format!("#{}: {}", e.instance_path().as_str(), e.masked())
        };
        let mut error = ApiError::with_message(ErrorCode::InvalidInvoice, entry(&first));
        for e in errors {
            error = error.and(ErrorCode::InvalidInvoice, entry(&e));
        }
        Err(error)
    }
}

impl std::fmt::Debug for InvoiceSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InvoiceSchema(v1.1)")
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
        let err = schema.check(&mut doc).unwrap_err();
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

    #[test]
    fn nulls_count_as_absent() {
        let mut doc = json!({"a": null, "b": [{"c": null, "d": 1}]});
        strip_nulls(&mut doc);
        assert_eq!(doc, json!({"b": [{"d": 1}]}));
    }
}
