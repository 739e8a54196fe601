//! The invoice validation path: decrypted invoice JSON → schema → typed invoice → business
//! rules (`irp_emulator::registration::check`), and the error answer rendered as the IRP
//! envelope.
//!
//! Input: JSON is checked as the document. Anything else edits the sample invoice: each
//! edit is a selector byte (which leaf of the sample), a length byte and that many bytes of
//! new value (JSON if it parses, else a string; an empty value removes the leaf), so the
//! fuzzer starts from an invoice that passes and explores the rules one field at a time.

#![no_main]

use std::sync::LazyLock;

use axum::response::IntoResponse;
use http_body_util::BodyExt;
use irp_emulator::gstin::Gstin;
use irp_fuzz::{GSTIN, SAMPLE_INVOICE, assert_irp_answer, harness};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// JSON pointers of every leaf (and container) of the sample invoice.
static POINTERS: LazyLock<Vec<String>> = LazyLock::new(|| {
    fn walk(value: &Value, at: String, into: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    walk(child, format!("{at}/{key}"), into);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, format!("{at}/{i}"), into);
                }
            }
            _ => {}
        }
        into.push(at);
    }
    let mut pointers = Vec::new();
    walk(&SAMPLE_INVOICE, String::new(), &mut pointers);
    pointers.retain(|p| !p.is_empty());
    pointers
});

/// The sample invoice with the edits of `input` applied.
fn edited(mut input: &[u8]) -> Value {
    let mut document = SAMPLE_INVOICE.clone();
    while let [selector, len, tail @ ..] = input {
        let take = usize::from(*len).min(tail.len());
        let (value, next) = tail.split_at(take);
        input = next;
        let Some(pointer) = POINTERS.get(usize::from(*selector) % POINTERS.len().max(1)) else {
            continue;
        };
        let Some((parent, key)) = pointer.rsplit_once('/') else {
            continue;
        };
        let new = serde_json::from_slice(value)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(value).into_owned()));
        match document.pointer_mut(parent) {
            Some(Value::Object(map)) if value.is_empty() => {
                map.remove(key);
            }
            Some(Value::Object(map)) => {
                map.insert(key.to_owned(), new);
            }
            Some(Value::Array(items)) => {
                if let Some(slot) = key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    *slot = new;
                }
            }
            _ => {}
        }
    }
    document
}

fuzz_target!(|data: &[u8]| {
    let harness = harness();
    let document = serde_json::from_slice(data).unwrap_or_else(|_| edited(data));
    let caller = Gstin::parse(GSTIN).expect("the large supplier's GSTIN");
    if let Err(error) = irp_emulator::registration::check(&harness.state, &caller, document) {
        let response = error.into_response();
        let status = response.status().as_u16();
        let body = harness
            .block_on(response.into_body().collect())
            .expect("the body is readable")
            .to_bytes();
        assert_irp_answer(status, &body);
    }
});
