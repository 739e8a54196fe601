//! Stage 5, items and totals: the item formulas (2192–2194, 2234/2235, 2266/2267), the
//! document sums (2182–2187), the invoice total (2189) and the list itself (2173, 2228,
//! 2233, 2238/2239).
//!
//! Every comparison allows `tolerance_rupees` (default ±1, NIC's published tolerance for
//! 2189; NIC's item-level tolerance is unpublished, and clients round per item or per rate,
//! so the same tolerance is used throughout). `sandbox-lax` skips 2192, which the sandbox
//! did not enforce in 2025.

use std::collections::HashSet;

use super::{Context, Findings, Parsed, TotalsMode};
use crate::{
    error::ErrorCode,
    invoice::{Invoice, Item, amount},
};

pub(super) fn check(ctx: &Context<'_>, invoice: &Invoice, parsed: &Parsed<'_>, f: &mut Findings) {
    let tolerance = ctx.rules.tolerance_rupees + 1e-6;
    let off = |actual: f64, expected: f64| (actual - expected).abs() > tolerance;
    let items = &invoice.item_list;
    if items.is_empty() {
        f.add(ErrorCode::ItemListEmpty, &[]);
        return;
    }
    if items.len() > ctx.rules.max_items {
        f.add(ErrorCode::TooManyItems, &[]);
    }
    let mut serials = HashSet::new();
    if !items.iter().all(|item| serials.insert(item.sl_no.as_str())) {
        f.add(ErrorCode::DuplicateSlNo, &[]);
    }
    let without_payment = parsed.supply.is_without_payment();
    let mut sums = Sums::default();
    for item in items {
        check_item(ctx, item, without_payment, &off, f);
        sums.add(item);
    }

    let val = &invoice.val_dtls;
    let document = [
        (val.ass_val.get(), sums.ass, ErrorCode::AssValMismatch),
        (amount(&val.cgst_val), sums.cgst, ErrorCode::CgstValMismatch),
        (amount(&val.sgst_val), sums.sgst, ErrorCode::SgstValMismatch),
        (amount(&val.igst_val), sums.igst, ErrorCode::IgstValMismatch),
        (amount(&val.ces_val), sums.cess, ErrorCode::CesValMismatch),
        (
            amount(&val.st_ces_val),
            sums.state_cess,
            ErrorCode::StCesValMismatch,
        ),
    ];
    for (declared, computed, code) in document {
        if off(declared, computed) {
            f.add(code, &[]);
        }
    }
    let discount = amount(&val.discount);
    let total = val.tot_inv_val.get();
    let expected = sums.item_value + amount(&val.oth_chrg) - discount + amount(&val.rnd_off_amt);
    if off(total, expected) {
        f.add(ErrorCode::InvalidTotalInvoiceValue, &[]);
    }
    if discount > 0.0 && discount >= total {
        f.add(ErrorCode::DiscountTooLarge, &[]);
    }
}

fn check_item(
    ctx: &Context<'_>,
    item: &Item,
    without_payment: bool,
    off: &impl Fn(f64, f64) -> bool,
    f: &mut Findings,
) {
    let hsn = item.hsn_cd.as_str();
    if !item.is_service() {
        if item.qty.is_none() {
            f.add(ErrorCode::QuantityRequired, &[hsn]);
        }
        if item.unit.is_none() {
            f.add(ErrorCode::UnitRequired, &[hsn]);
        }
    }
    let tot_amt = item.tot_amt.get();
    if let (TotalsMode::Strict, Some(qty)) = (ctx.rules.totals, &item.qty)
        && off(tot_amt, qty.get() * item.unit_price.get())
    {
        f.add(ErrorCode::TotAmtMismatch, &[hsn]);
    }
    let ass = item.ass_amt.get();
    if off(ass, tot_amt - amount(&item.discount)) {
        f.add(ErrorCode::AssAmtMismatch, &[hsn]);
    }
    let (igst, cgst, sgst) = (
        amount(&item.igst_amt),
        amount(&item.cgst_amt),
        amount(&item.sgst_amt),
    );
    let tax = ass * item.gst_rt.get() / 100.0;
    if !without_payment {
        if cgst != 0.0 || sgst != 0.0 {
            if off(cgst, tax / 2.0) || off(sgst, tax / 2.0) {
                f.add(ErrorCode::InvalidCgstSgstAmount, &[hsn]);
            }
        } else if off(igst, tax) {
            f.add(ErrorCode::InvalidIgstAmount, &[hsn]);
        }
    }
    if let Some(rate) = &item.ces_rt
        && off(amount(&item.ces_amt), ass * rate.get() / 100.0)
    {
        f.add(ErrorCode::InvalidCessAmount, &[hsn]);
    }
    if let Some(rate) = &item.state_ces_rt
        && off(amount(&item.state_ces_amt), ass * rate.get() / 100.0)
    {
        f.add(ErrorCode::InvalidStateCessAmount, &[hsn]);
    }
    if off(item.tot_item_val.get(), item_value(item)) {
        f.add(ErrorCode::InvalidTotalItemValue, &[hsn]);
    }
}

/// `AssAmt` plus every tax, cess and other charge of the item.
fn item_value(item: &Item) -> f64 {
    item.ass_amt.get()
        + [
            &item.igst_amt,
            &item.cgst_amt,
            &item.sgst_amt,
            &item.ces_amt,
            &item.ces_non_advl_amt,
            &item.state_ces_amt,
            &item.state_ces_non_advl_amt,
            &item.oth_chrg,
        ]
        .into_iter()
        .map(amount)
        .sum::<f64>()
}

/// Column sums over the items.
#[derive(Debug, Default)]
struct Sums {
    ass: f64,
    cgst: f64,
    sgst: f64,
    igst: f64,
    cess: f64,
    state_cess: f64,
    item_value: f64,
}

impl Sums {
    fn add(&mut self, item: &Item) {
        self.ass += item.ass_amt.get();
        self.cgst += amount(&item.cgst_amt);
        self.sgst += amount(&item.sgst_amt);
        self.igst += amount(&item.igst_amt);
        self.cess += amount(&item.ces_amt) + amount(&item.ces_non_advl_amt);
        self.state_cess += amount(&item.state_ces_amt) + amount(&item.state_ces_non_advl_amt);
        self.item_value += item.tot_item_val.get();
    }
}
