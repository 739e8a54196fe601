//! Checking an answer against a step's expectations. Each check that misses adds a reason;
//! no reasons means the step passed.

use std::{collections::BTreeMap, sync::OnceLock};

use serde_json::{Value, json};

use irp_client::{Answer, Verifier, at};

use crate::scenario::{Expect, template::Vars};

/// `schemas/responses.schema.json`, compiled into the binary.
pub const RESPONSE_SCHEMAS: &str = include_str!("../../../schemas/responses.schema.json");

/// Every way `answer` misses `expect` (empty when it meets it).
pub(crate) fn check(
    expect: &Expect,
    answer: &Answer,
    vars: &Vars<'_>,
    verifier: &Verifier,
) -> Vec<String> {
    let mut reasons = Vec::new();
    let doc = &answer.doc;
    if let Some(status) = expect.status
        && answer.status() != Some(u64::from(status))
    {
        reasons.push(format!(
            "expected Status {status}, got {}",
            describe(answer)
        ));
    }
    let codes = answer.error_codes();
    for code in &expect.error_codes {
        if !codes.contains(code) {
            reasons.push(format!("expected error {code}, got {}", describe(answer)));
        }
    }
    let was_retried = !answer.retries.is_empty();
    if let Some(retried) = expect.retried
        && retried != was_retried
    {
        reasons.push(format!(
            "expected the call {} retried, got {}",
            if retried { "to be" } else { "not to be" },
            describe(answer)
        ));
    }
    if let Some(reconciled) = expect.reconciled
        && reconciled != answer.reconciled
    {
        reasons.push(format!(
            "expected the answer {} a reconciled registration, got {}",
            if reconciled { "to be" } else { "not to be" },
            describe(answer)
        ));
    }
    let infos = answer.info_codes();
    for code in &expect.info_codes {
        if !infos.contains(code) {
            reasons.push(format!(
                "expected InfoDtls {code}, got [{}]",
                infos.join(", ")
            ));
        }
    }
    for (pointer, wanted) in &expect.values {
        match vars.expand(wanted) {
            Err(e) => reasons.push(format!("{pointer}: {e}")),
            Ok(wanted) => {
                let got = doc.pointer(pointer).unwrap_or(&Value::Null);
                if !same(got, &wanted) {
                    reasons.push(format!("{pointer}: expected {wanted}, got {got}"));
                }
            }
        }
    }
    for (pointer, unwanted) in &expect.differs {
        match vars.expand(unwanted) {
            Err(e) => reasons.push(format!("{pointer}: {e}")),
            Ok(unwanted) => {
                let got = doc.pointer(pointer).unwrap_or(&Value::Null);
                if same(got, &unwanted) {
                    reasons.push(format!("{pointer}: expected a value other than {unwanted}"));
                }
            }
        }
    }
    for pointer in &expect.present {
        if doc.pointer(pointer).is_none_or(Value::is_null) {
            reasons.push(format!("{pointer}: expected a value, got none"));
        }
    }
    for pointer in &expect.absent {
        if let Some(got) = doc.pointer(pointer).filter(|v| !v.is_null()) {
            reasons.push(format!("{pointer}: expected none, got {got}"));
        }
    }
    if expect.signature_valid || expect.qr_matches_invoice {
        signed(expect, answer, verifier, &mut reasons);
    }
    if let Some(name) = &expect.schema {
        reasons.extend(schema_problems(name, at(doc, "/Data")));
    }
    reasons
}

/// `Status 1` / `Status 0: 2150 Duplicate IRN; 2278 …`.
pub fn describe(answer: &Answer) -> String {
    let mut text = describe_final(answer);
    if !answer.retries.is_empty() {
        text.push_str(&format!(" (after: {})", answer.retries.join("; ")));
    }
    text
}

fn describe_final(answer: &Answer) -> String {
    match answer.status() {
        Some(1) => "Status 1".to_owned(),
        Some(status) => {
            let errors: Vec<String> = at(&answer.doc, "/ErrorDetails")
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| {
                    let code = at(e, "/ErrorCode")
                        .as_str()
                        .map_or_else(|| at(e, "/ErrorCode").to_string(), str::to_owned);
                    let message: String = at(e, "/ErrorMessage")
                        .as_str()
                        .unwrap_or_default()
                        .chars()
                        .take(80)
                        .collect();
                    format!("{code} {message}").trim().to_owned()
                })
                .collect();
            format!("Status {status}: {}", errors.join("; "))
        }
        None => format!("HTTP {} without a Status", answer.http_status),
    }
}

/// JSON equality where a number and its decimal text are the same value (the IRP is not
/// consistent about which it sends).
fn same(got: &Value, wanted: &Value) -> bool {
    match (got, wanted) {
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            n.to_string() == *s
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => got == wanted,
    }
}

fn signed(expect: &Expect, answer: &Answer, verifier: &Verifier, reasons: &mut Vec<String>) {
    let data = &at(&answer.doc, "/Data");
    let verified = |member: &str, reasons: &mut Vec<String>| match data[member].as_str() {
        None => {
            reasons.push(format!("{member}: missing"));
            None
        }
        Some(jws) => match verifier.verify(jws) {
            Ok(payload) => Some(payload),
            Err(e) => {
                reasons.push(format!("{member}: {e}"));
                None
            }
        },
    };
    let invoice = verified("SignedInvoice", reasons);
    let qr = verified("SignedQRCode", reasons);
    if let Some(invoice) = &invoice
        && at(invoice, "/Irn") != at(data, "/Irn")
    {
        reasons.push(format!(
            "SignedInvoice Irn {} is not Data.Irn {}",
            at(invoice, "/Irn"),
            at(data, "/Irn")
        ));
    }
    if !expect.qr_matches_invoice {
        return;
    }
    let (Some(qr), Some(signed_invoice)) = (qr, invoice) else {
        return;
    };
    // The invoice sent when the step generated it, else the one inside SignedInvoice.
    let source = if answer.request.get("DocDtls").is_some() {
        &answer.request
    } else {
        &signed_invoice
    };
    for (field, wanted) in qr_fields(source, at(data, "/Irn"), at(&signed_invoice, "/AckDt")) {
        let got = qr.get(field).unwrap_or(&Value::Null);
        if !same(got, &wanted) {
            reasons.push(format!("QR {field}: {got} but the invoice has {wanted}"));
        }
    }
}

/// The QR code's fields as the invoice determines them.
fn qr_fields(invoice: &Value, irn: &Value, ack_dt: &Value) -> BTreeMap<&'static str, Value> {
    let items = at(invoice, "/ItemList")
        .as_array()
        .cloned()
        .unwrap_or_default();
    // The HSN of the largest `AssAmt`; on a tie the first item in `ItemList` order wins, as
    // the IRP does (`Iterator::max_by` would return the last).
    let main_hsn = items
        .iter()
        .map(|item| (item, at(item, "/AssAmt").as_f64().unwrap_or(0.0)))
        .fold(
            None,
            |best: Option<(&Value, f64)>, (item, amount)| match best {
                Some((_, top)) if amount.total_cmp(&top).is_le() => best,
                _ => Some((item, amount)),
            },
        )
        .map(|(item, _)| at(item, "/HsnCd").clone())
        .unwrap_or(Value::Null);
    BTreeMap::from([
        ("SellerGstin", at(invoice, "/SellerDtls/Gstin").clone()),
        ("BuyerGstin", at(invoice, "/BuyerDtls/Gstin").clone()),
        ("DocNo", at(invoice, "/DocDtls/No").clone()),
        ("DocTyp", at(invoice, "/DocDtls/Typ").clone()),
        ("DocDt", at(invoice, "/DocDtls/Dt").clone()),
        ("TotInvVal", at(invoice, "/ValDtls/TotInvVal").clone()),
        ("ItemCnt", json!(items.len())),
        ("MainHsnCode", main_hsn),
        ("Irn", irn.clone()),
        ("IrnDt", ack_dt.clone()),
    ])
}

/// One compiled validator per response schema, built on first use.
fn validators() -> &'static BTreeMap<String, jsonschema::Validator> {
    static VALIDATORS: OnceLock<BTreeMap<String, jsonschema::Validator>> = OnceLock::new();
    VALIDATORS.get_or_init(|| {
        let schemas: Value = serde_json::from_str(RESPONSE_SCHEMAS)
            .unwrap_or_else(|e| unreachable!("schema JSON: {e}"));
        let defs = schemas.get("$defs").cloned().unwrap_or(Value::Null);
        defs.as_object()
            .into_iter()
            .flat_map(|map| map.keys())
            .filter_map(|name| {
                let wrapper = json!({ "$defs": defs, "$ref": format!("#/$defs/{name}") });
                Some((name.clone(), jsonschema::validator_for(&wrapper).ok()?))
            })
            .collect()
    })
}

fn schema_problems(name: &str, data: &Value) -> Vec<String> {
    match validators().get(name) {
        None => vec![format!("no response schema named {name}")],
        Some(validator) => validator
            .iter_errors(data)
            .map(|e| format!("response schema {name}: Data{}: {e}", e.instance_path()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_main_hsn_code_takes_the_first_of_items_with_equal_assamt() {
        let item = |hsn: &str, amount: f64| json!({ "HsnCd": hsn, "AssAmt": amount });
        let main = |items: Vec<Value>| {
            let invoice = json!({ "ItemList": items });
            qr_fields(&invoice, &Value::Null, &Value::Null)["MainHsnCode"].clone()
        };
        let cases = [
            (
                vec![item("1001", 500.0), item("2002", 500.0)],
                json!("1001"),
            ),
            (
                vec![item("1001", 10.0), item("2002", 500.0), item("3003", 500.0)],
                json!("2002"),
            ),
            (vec![item("1001", 500.0), item("2002", 10.0)], json!("1001")),
            (vec![item("1001", 10.0), item("2002", 10.5)], json!("2002")),
            (vec![], Value::Null),
        ];
        for (items, wanted) in cases {
            assert_eq!(main(items.clone()), wanted, "{items:?}");
        }
    }

    #[test]
    fn numbers_and_their_text_are_the_same_value() {
        assert!(same(&json!(12), &json!("12")));
        assert!(same(&json!(1.5), &json!(1.50)));
        assert!(!same(&json!(12), &json!("13")));
        assert!(!same(&json!(null), &json!("x")));
    }

    /// Each error shows its own message, also when two share a code.
    #[test]
    fn describe_gives_each_error_its_own_message() {
        let answer = Answer {
            call: "POST /eicore/v1.03/Invoice".to_owned(),
            http_status: 200,
            request: Value::Null,
            doc: json!({"Status": 0, "ErrorDetails": [
                {"ErrorCode": "3028", "ErrorMessage": "GSTIN - A is not present"},
                {"ErrorCode": "3028", "ErrorMessage": "GSTIN - B is not present"},
                {"ErrorCode": 2172, "ErrorMessage": "IGST is not applicable"}
            ]}),
            elapsed: std::time::Duration::ZERO,
            retries: Vec::new(),
            reconciled: false,
        };
        assert_eq!(
            describe(&answer),
            "Status 0: 3028 GSTIN - A is not present; 3028 GSTIN - B is not present; \
             2172 IGST is not applicable"
        );
    }

    #[test]
    fn every_response_schema_compiles() {
        assert_eq!(validators().len(), 9);
    }

    #[test]
    fn response_schemas_accept_a_real_shape_and_refuse_a_broken_one() {
        let good = json!({"Irn": "a".repeat(64), "CancelDate": "2026-03-31 10:00:00"});
        assert!(schema_problems("cancel_irn", &good).is_empty());
        let bad = json!({"Irn": "short", "CancelDate": "31/03/2026"});
        assert_eq!(schema_problems("cancel_irn", &bad).len(), 2);
        assert!(!schema_problems("nope", &good).is_empty());
    }

    #[test]
    fn the_main_hsn_is_that_of_the_largest_assessable_amount() {
        let invoice = json!({"ItemList": [
            {"HsnCd": "1001", "AssAmt": 10.0},
            {"HsnCd": "8471", "AssAmt": 900.0},
            {"HsnCd": "9983", "AssAmt": 50.0}
        ]});
        let fields = qr_fields(&invoice, &json!("x"), &json!("y"));
        assert_eq!(fields["MainHsnCode"], "8471");
        assert_eq!(fields["ItemCnt"], 3);
    }
}
