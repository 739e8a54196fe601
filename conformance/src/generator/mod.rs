//! Seeded invoice generator (being written).

use serde_json::Value;
use time::Date;

use crate::{
    profile::Party,
    scenario::{EwbSpec, InvoiceSpec},
};

/// Seeded generator of valid e-invoices.
#[derive(Debug)]
pub struct Generator {
    seed: u64,
}

/// The parties of one invoice.
#[derive(Debug, Clone, Copy)]
pub struct Parties<'a> {
    /// The seller (the caller's taxpayer).
    pub seller: &'a Party,
    /// The buyer; `None` for an export to an unregistered foreign buyer.
    pub buyer: Option<&'a Party>,
}

impl Generator {
    /// A generator whose output depends only on `seed` and `stream`.
    pub fn new(seed: u64, stream: &str) -> Self {
        let _ = stream;
        Self { seed }
    }

    /// An invoice for `spec`.
    pub fn invoice(
        &mut self,
        spec: &InvoiceSpec,
        parties: Parties<'_>,
        doc_no: &str,
        doc_date: Date,
    ) -> Value {
        let _ = (spec, parties, doc_no, doc_date, self.seed);
        Value::Null
    }

    /// The e-way bill details (`EwbDtls` members, also the Generate e-way bill body less `Irn`).
    pub fn ewb_details(&mut self, spec: &EwbSpec, doc_date: Date) -> Value {
        let _ = (spec, doc_date);
        Value::Null
    }
}
