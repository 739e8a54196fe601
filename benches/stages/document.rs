//! The document's stages between the envelope and the store: the v1.1 schema gate at 1, 5
//! and 100 items, typed deserialisation, NIC's business rules (the three together:
//! `registration_check`), the IRN, the canonical JSON of invoice and QR payload, and each
//! of the two JWS signatures (so their assembly beside the raw RSA signature shows).

use std::hint::black_box;

use criterion::{BatchSize, BenchmarkId, Criterion};
use irp_benches::{BENCH_TIME, invoice, invoice_of};
use irp_emulator::{
    clock::{IST, format_ist},
    invoice::{AckNo, Invoice, QrData, to_dotnet_json},
    irn::{FinancialYear, Irn},
    registration,
    rules::{self, Accepted, Context},
};
use serde::Deserialize;
use serde_json::Value;

use crate::Bench;

pub(crate) fn stages(c: &mut Criterion, bench: &Bench) {
    let state = &bench.state;
    let coercion = state.settings.rules.coercion();
    let mut group = c.benchmark_group("stage");
    for (label, lines) in [("1_item", 1), ("5_items", 5), ("100_items", 100)] {
        let document = invoice_of(1, lines);
        let mut checked = document.clone();
        state.schema.check(&mut checked, coercion).expect("schema");
        registration::check(state, &bench.caller, document.clone()).expect("valid");
        group.bench_function(BenchmarkId::new("schema_validate", label), |b| {
            b.iter_batched_ref(
                || document.clone(),
                |document| state.schema.check(document, coercion).expect("schema"),
                BatchSize::SmallInput,
            );
        });
    }
    group.bench_function("registration_check", |b| {
        b.iter_batched(
            || invoice(1),
            |document| registration::check(state, &bench.caller, document).expect("valid"),
            BatchSize::SmallInput,
        );
    });

    let mut document = invoice(1);
    state.schema.check(&mut document, coercion).expect("schema");
    let mut invoice = Invoice::deserialize(&document).expect("invoice");
    group.bench_function("invoice_deserialize", |b| {
        b.iter(|| Invoice::deserialize(black_box(&document)).expect("invoice"));
    });
    let accepted = {
        let taxpayers = state.taxpayers();
        let ctx = Context {
            rules: &state.settings.rules,
            gstin: state.settings.gstin_check(),
            taxpayers: &taxpayers,
            caller: &bench.caller,
            today: BENCH_TIME.to_offset(IST).date(),
        };
        let accepted = rules::validate(&ctx, &invoice).expect("accepted");
        group.bench_function("business_rules", |b| {
            b.iter(|| rules::validate(&ctx, black_box(&invoice)).expect("accepted"));
        });
        accepted
    };

    let derive = |accepted: &Accepted, doc_no: &str| {
        Irn::derive(
            &accepted.seller,
            FinancialYear::of(accepted.doc_date),
            accepted.doc_type,
            doc_no,
            state.settings.rules.doc_no_case.into(),
        )
    };
    let irn = derive(&accepted, &invoice.doc_dtls.no);
    assert_eq!(Irn::parse(irn.as_str()), Some(irn.clone()));
    group.bench_function("irn_derive", |b| {
        b.iter(|| derive(black_box(&accepted), black_box(&invoice.doc_dtls.no)));
    });

    invoice.ack_no = Some(AckNo::issue(BENCH_TIME.year(), 1));
    invoice.ack_dt = Some(format_ist(BENCH_TIME));
    invoice.irn = Some(irn.to_string());
    let canonical = |invoice: &Invoice| {
        (
            to_dotnet_json(invoice).expect("invoice json"),
            to_dotnet_json(&QrData::of(invoice)).expect("qr json"),
        )
    };
    let (data, qr) = canonical(&invoice);
    assert!(serde_json::from_str::<Value>(&data).is_ok() && qr.contains(irn.as_str()));
    group.bench_function("canonical_json", |b| {
        b.iter(|| canonical(black_box(&invoice)));
    });
    let sign = |payload: &str| state.signer.sign(payload);
    assert_eq!(sign(&data).expect("signed").split('.').count(), 3);
    group.bench_function("sign_invoice", |b| {
        b.iter(|| sign(black_box(&data)).expect("signed"));
    });
    group.bench_function("sign_qr", |b| {
        b.iter(|| sign(black_box(&qr)).expect("signed"));
    });
    group.finish();
}
