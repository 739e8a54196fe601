//! What makes two requests "the same document" and "the same invoice".
//!
//! The IRP itself identifies a document by seller GSTIN, type and number (and the IRN is a
//! hash of those): that is [`DocKey`], with the date added so a number reused in another
//! year reads as another document. Whether two requests carry the same invoice is asked of
//! their content with the number taken out ([`content`]): a client that re-registers the
//! same goods under a new number sends identical content apart from `DocDtls.No`.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use super::call::Call;
use crate::journal::text;

/// Seller GSTIN, document type, number and date, as the IRP compares them (upper case).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub(super) struct DocKey {
    /// Seller GSTIN.
    pub(super) seller: String,
    /// `INV`, `CRN`, `DBN`.
    pub(super) doc_type: String,
    /// Document number.
    pub(super) number: String,
    /// Document date, `dd/MM/yyyy` as sent.
    pub(super) date: String,
}

impl DocKey {
    /// The key of a Generate IRN request (`None` without a readable `DocDtls`).
    pub(super) fn of_invoice(request: &Value) -> Option<Self> {
        let doc = request.get("DocDtls")?;
        let seller = text(request.pointer("/SellerDtls/Gstin")).unwrap_or_default();
        Some(Self::new(
            &seller,
            &text(doc.get("Typ")).unwrap_or_default(),
            &text(doc.get("No"))?,
            &text(doc.get("Dt")).unwrap_or_default(),
        ))
    }

    /// The key a Get-by-document call asks for: its query, and the `Gstin` header as seller.
    pub(super) fn of_lookup(call: &Call<'_>) -> Option<Self> {
        let query = call.entry.path.split_once('?')?.1;
        let param = |name: &str| {
            query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| percent_decoded(value))
        };
        Some(Self::new(
            &call.gstin(),
            &param("doctype")?,
            &param("docnum")?,
            &param("docdate")?,
        ))
    }

    fn new(seller: &str, doc_type: &str, number: &str, date: &str) -> Self {
        Self {
            seller: seller.trim().to_ascii_uppercase(),
            doc_type: doc_type.trim().to_ascii_uppercase(),
            number: number.trim().to_uppercase(),
            date: date.trim().to_owned(),
        }
    }
}

impl fmt::Display for DocKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} of {} (seller {})",
            self.doc_type, self.number, self.date, self.seller
        )
    }
}

/// The invoice with its number removed, in a canonical text: keys sorted, strings trimmed
/// with inner whitespace collapsed, numbers compared by value (`10`, `10.0`). Two requests
/// with equal content carry the same invoice, whatever number each was given.
pub(super) fn content(request: &Value) -> String {
    let mut request = request.clone();
    if let Some(doc) = request.get_mut("DocDtls").and_then(Value::as_object_mut) {
        doc.remove("No");
    }
    canonical(&request).to_string()
}

/// The whole request in the canonical text of [`content`], number included.
pub(super) fn payload(request: &Value) -> String {
    canonical(request).to_string()
}

fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let sorted: Map<String, Value> = keys
                .into_iter()
                .filter_map(|k| Some((k.clone(), canonical(map.get(k)?))))
                .collect();
            Value::Object(sorted)
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        Value::String(s) => Value::String(s.split_whitespace().collect::<Vec<_>>().join(" ")),
        Value::Number(n) => match n.as_f64() {
            Some(f) => Value::String(format!("{f}")),
            None => Value::Number(n.clone()),
        },
        other => other.clone(),
    }
}

/// `%2F` → `/`, `+` → space; a bad escape is kept as it is.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::journal::JournalEntry;

    #[test]
    fn content_ignores_the_number_key_order_whitespace_and_number_spelling() {
        let a = json!({"DocDtls": {"Typ": "INV", "No": "A/1", "Dt": "30/03/2026"},
                       "ValDtls": {"TotInvVal": 118, "AssVal": 100.0}, "Nm": "Acme  Ltd "});
        let b = json!({"ValDtls": {"AssVal": 100, "TotInvVal": 118.0}, "Nm": "Acme Ltd",
                       "DocDtls": {"Dt": "30/03/2026", "No": "B/7", "Typ": "INV"}});
        assert_eq!(content(&a), content(&b));
        assert_ne!(payload(&a), payload(&b));
        let c = json!({"DocDtls": {"Typ": "INV", "No": "A/1", "Dt": "30/03/2026"},
                       "ValDtls": {"TotInvVal": 119, "AssVal": 100}, "Nm": "Acme Ltd"});
        assert_ne!(content(&a), content(&c));
    }

    #[test]
    fn keys_of_an_invoice_and_of_a_lookup_agree() {
        let invoice = json!({"DocDtls": {"Typ": "inv", "No": "a/1 ", "Dt": "30/03/2026"},
                             "SellerDtls": {"Gstin": "29aaacl1111a1zd"}});
        let from_invoice = DocKey::of_invoice(&invoice).unwrap();
        let entry = JournalEntry {
            api: "get_irn_by_document".to_owned(),
            gstin: Some("29AAACL1111A1ZD".to_owned()),
            path: "/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV&docnum=A%2F1&docdate=30%2F03%2F2026"
                .to_owned(),
            http_status: 200,
            ..JournalEntry::default()
        };
        let call = Call::read(&entry).unwrap();
        assert_eq!(DocKey::of_lookup(&call), Some(from_invoice));
        assert_eq!(DocKey::of_invoice(&json!({"x": 1})), None);
        assert_eq!(percent_decoded("a%2fb+c%zz%"), "a/b c%zz%");
    }
}
