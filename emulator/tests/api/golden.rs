//! Golden signed documents: the `SignedInvoice` and `SignedQRCode` of fixed invoices, on a
//! fixed clock with the checked-in test keys, compared byte for byte with
//! `tests/fixtures/golden/signed-documents.json`.
//!
//! RS256 over PKCS#1 v1.5 is deterministic, so the whole JWS (header, payload and
//! signature) is pinned: any change to the canonical order, the .NET-style escaping, the QR
//! payload, the header or the key handling shows up here. After a deliberate change, rewrite
//! the file with `IRP_UPDATE_GOLDEN=1 cargo test -p irp-emulator --test api golden` and
//! review the diff.

use std::path::PathBuf;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use irp_emulator::samples::{self, InvoiceSpec, ItemSpec};
use serde_json::{Map, Value, json};
use time::macros::date;

use crate::helpers::*;
use crate::invoice::GENERATE;

fn golden_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden/signed-documents.json")
}

/// A one-line B2B invoice as the samples build it.
fn simple() -> Value {
    samples::invoice(&InvoiceSpec::simple("GOLD/0001", date!(2026 - 03 - 30)))
}

/// Two lines of equal `AssAmt` (the QR `MainHsnCode` tie) and every optional block, with
/// characters that .NET escapes (`&`, `+`, `<`, `'`) and keys sent out of NIC's order.
fn rich() -> Value {
    let mut spec = InvoiceSpec::simple("GOLD/0002", date!(2026 - 03 - 29));
    spec.inter_state = true;
    spec.items = vec![
        ItemSpec::goods("84713010", 2.0, 500.0, 18.0),
        ItemSpec::goods("85171300", 4.0, 250.0, 18.0),
    ];
    let mut invoice = samples::invoice(&spec);
    let object = invoice.as_object_mut().unwrap();
    object.insert(
        "PayDtls".into(),
        json!({"Nm": "A & B <Bank>", "AccDet": "5697389713210", "Mode": "Cash",
               "FinInsBr": "SBIN11000", "PayTerm": "100", "PayInstr": "Gift", "CrTrn": "test",
               "DirDr": "test", "CrDay": 100, "PaidAmt": 10000, "PaymtDue": 5000}),
    );
    object.insert(
        "RefDtls".into(),
        json!({"InvRm": "Rounded + 'noted'",
               "DocPerdDtls": {"InvStDt": "01/03/2026", "InvEndDt": "29/03/2026"},
               "PrecDocDtls": [{"InvNo": "DOC/002", "InvDt": "01/03/2026", "OthRefNo": "123456"}],
               "ContrDtls": [{"RecAdvRefr": "Doc/003", "RecAdvDt": "01/03/2026",
                              "TendRefr": "Abc001", "ContrRefr": "Co123", "ExtRefr": "Yo456",
                              "ProjRefr": "Doc-456", "PORefr": "Doc-789", "PORefDt": "01/03/2026"}]}),
    );
    object.insert(
        "AddlDocDtls".into(),
        json!([{"Url": "https://einv-apisandbox.nic.in", "Docs": "Test Doc", "Info": "Document Test"}]),
    );
    object.insert(
        "DispDtls".into(),
        json!({"Nm": "ABC company pvt ltd", "Addr1": "7th block, kuvempu layout",
               "Addr2": "kuvempu layout", "Loc": "Banagalore", "Pin": 562_160, "Stcd": "29"}),
    );
    // The client's key order is not NIC's: the signed copy must reorder it.
    let seller = object.remove("SellerDtls").unwrap();
    let mut reordered = Map::new();
    for (key, value) in seller.as_object().unwrap().iter().rev() {
        reordered.insert(key.clone(), value.clone());
    }
    reordered.insert("TrdNm".into(), json!("Supplier & Sons"));
    reordered.insert("Em".into(), json!("abc+billing@example.com"));
    object.insert("SellerDtls".into(), Value::Object(reordered));
    if let Some(items) = object.get_mut("ItemList").and_then(Value::as_array_mut) {
        for item in items {
            item["BchDtls"] = json!({"Nm": "B-12", "ExpDt": "01/01/2027", "WrDt": "01/01/2028"});
            item["AttribDtls"] = json!([{"Nm": "Colour", "Val": "Blue"}]);
        }
    }
    invoice
}

/// The payload's `data` text of a compact JWS.
fn data_of(jws: &str) -> String {
    let payload = jws.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    claims["data"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn signed_invoice_and_qr_bytes_match_the_golden_file() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let mut produced = Map::new();
    for (name, invoice) in [("simple", simple()), ("rich_equal_assamt", rich())] {
        let answer = oneshot(&state, authed_post(&session, GENERATE, &invoice)).await;
        let data = open(&session, &answer);
        let invoice_jws = data["SignedInvoice"].as_str().unwrap();
        let qr_jws = data["SignedQRCode"].as_str().unwrap();
        produced.insert(
            name.to_owned(),
            json!({
                "invoice_data": data_of(invoice_jws),
                "qr_data": data_of(qr_jws),
                "signed_invoice": invoice_jws,
                "signed_qr_code": qr_jws,
            }),
        );
    }
    let produced = Value::Object(produced);
    let path = golden_path();
    if std::env::var_os("IRP_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = serde_json::to_string_pretty(&produced).unwrap() + "\n";
        std::fs::write(&path, text).unwrap();
    }
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (IRP_UPDATE_GOLDEN=1 writes it)", path.display())),
    )
    .unwrap();
    for (name, expected) in golden.as_object().unwrap() {
        for field in [
            "invoice_data",
            "qr_data",
            "signed_invoice",
            "signed_qr_code",
        ] {
            assert_eq!(
                produced[name][field],
                expected[field],
                "{name}.{field} differs from {}",
                path.display()
            );
        }
    }
    assert_eq!(
        produced.as_object().unwrap().len(),
        golden.as_object().unwrap().len()
    );
}

#[tokio::test]
async fn equal_assamt_takes_the_first_item_hsn_for_the_qr() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let answer = oneshot(&state, authed_post(&session, GENERATE, &rich())).await;
    let data = open(&session, &answer);
    let qr: Value = serde_json::from_str(&data_of(data["SignedQRCode"].as_str().unwrap())).unwrap();
    assert_eq!(qr["ItemCnt"], json!(2));
    assert_eq!(
        qr["MainHsnCode"],
        json!("84713010"),
        "the first of the tied items"
    );
}
