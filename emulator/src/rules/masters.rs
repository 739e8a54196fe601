//! Stage 1, master data: who the parties are, whether they may trade on the document date,
//! and whether HSN, unit, GST rate and PIN codes exist in NIC's masters.

use time::Date;

use super::{Context, Findings, HsnCheck, Parsed, parse_date, state_code};
use crate::{
    error::ErrorCode,
    invoice::Invoice,
    masters::{is_gst_rate, is_hsn_code, is_unit_code, pin_belongs_to_state},
    taxpayer::{Taxpayer, TaxpayerStatus, TaxpayerType},
};

/// `URP`: an unregistered person (recipient or ship-to without a GSTIN).
pub(super) const URP: &str = "URP";

/// AATO (crore) above which 4-digit HSN codes are refused.
const SIX_DIGIT_HSN_ABOVE_CRORE: f64 = 5.0;

pub(super) fn check<'a>(ctx: &Context<'a>, invoice: &Invoice) -> Result<Parsed<'a>, Findings> {
    let mut findings = Findings::default();
    let doc_type = invoice.doc_dtls.typ;
    let supply = invoice.tran_dtls.sup_typ;
    let doc_date = parse_date(&invoice.doc_dtls.dt);
    if doc_date.is_none() {
        findings.add(ErrorCode::InvalidDocumentDate, &[]);
    }
    let seller = known_taxpayer(ctx, &invoice.seller_dtls.gstin, &mut findings);
    let (Some(doc_date), Some(seller)) = (doc_date, seller) else {
        return Err(findings);
    };

    check_caller(ctx, invoice, seller, &mut findings);
    active_on(seller, doc_date, &mut findings);
    // NIC lists 3026 before 2300 for a composition supplier not enabled (2025 production).
    if !seller.einvoice_enabled {
        findings.add(ErrorCode::EinvoiceNotEnabled, &[]);
    }
    match seller.taxpayer_type {
        TaxpayerType::Regular | TaxpayerType::SezDeveloper => {}
        TaxpayerType::SezUnit => findings.add(ErrorCode::SupplierIsSez, &[seller.gstin.as_str()]),
        _ => findings.add(ErrorCode::SupplierTypeNotAllowed, &[]),
    }
    counterparty(ctx, &invoice.buyer_dtls.gstin, doc_date, &mut findings);
    if let Some(ship) = invoice.ship_dtls.as_ref().and_then(|s| s.gstin.as_deref()) {
        counterparty(ctx, ship, doc_date, &mut findings);
    }
    item_codes(invoice, seller, ctx.rules.hsn_check, &mut findings);
    pins(ctx, invoice, &mut findings);

    if findings.is_empty() {
        Ok(Parsed {
            seller,
            doc_type,
            doc_date,
            supply,
        })
    } else {
        Err(findings)
    }
}

fn invalid_gstin(findings: &mut Findings, gstin: &str) {
    findings.add_message(
        ErrorCode::InvalidGstin,
        format!("GSTIN - {gstin} is invalid"),
    );
}

/// A well-formed GSTIN of the master, or a 3028 finding.
fn known_taxpayer<'a>(
    ctx: &Context<'a>,
    gstin: &str,
    findings: &mut Findings,
) -> Option<&'a Taxpayer> {
    let found = ctx
        .parse_gstin(gstin)
        .and_then(|parsed| ctx.taxpayers.get(&parsed));
    if found.is_none() {
        invalid_gstin(findings, gstin);
    }
    found
}

/// The supplier itself, or its TCS-registered e-commerce operator, may generate.
fn check_caller(ctx: &Context<'_>, invoice: &Invoice, seller: &Taxpayer, findings: &mut Findings) {
    let operator = invoice.tran_dtls.ecm_gstin.as_deref();
    if let Some(ecm) = operator {
        match known_taxpayer(ctx, ecm, findings) {
            Some(op) if op.taxpayer_type != TaxpayerType::TaxCollector => {
                findings.add(ErrorCode::OperatorNotTcs, &[]);
            }
            _ => {}
        }
    }
    let caller = ctx.caller.as_str();
    if caller != seller.gstin.as_str() && operator != Some(caller) {
        findings.add(ErrorCode::NotSupplierOrOperator, &[]);
    }
}

/// Registered and not cancelled on `date` (3029, 3074–3079).
fn active_on(taxpayer: &Taxpayer, date: Date, findings: &mut Findings) {
    let gstin = taxpayer.gstin.as_str();
    let shown = date
        .format(time::macros::format_description!("[day]/[month]/[year]"))
        .unwrap_or_default();
    match taxpayer.status {
        TaxpayerStatus::Active | TaxpayerStatus::Provisional => {
            if date < taxpayer.registered_on {
                findings.add(ErrorCode::BeforeRegistration, &[]);
            }
        }
        TaxpayerStatus::Cancelled => match taxpayer.deregistered_on {
            None => findings.add(ErrorCode::CancelledWithoutDate, &[gstin]),
            Some(end) if date > end => {
                findings.add(ErrorCode::CancelledBeforeDocument, &[gstin, &shown]);
            }
            Some(_) if date < taxpayer.registered_on => {
                findings.add(ErrorCode::CancelledAndBeforeRegistration, &[gstin, &shown]);
            }
            Some(_) => {}
        },
        TaxpayerStatus::Inactive | TaxpayerStatus::Suspended => {
            findings.add(ErrorCode::InactiveGstin, &[gstin]);
        }
    }
}

/// A recipient or ship-to GSTIN: `URP`, or known and active on the document date.
fn counterparty(ctx: &Context<'_>, gstin: &str, date: Date, findings: &mut Findings) {
    if gstin.eq_ignore_ascii_case(URP) {
        return;
    }
    let Some(parsed) = ctx.parse_gstin(gstin) else {
        return invalid_gstin(findings, gstin);
    };
    match ctx.taxpayers.get(&parsed) {
        Some(taxpayer) => active_on(taxpayer, date, findings),
        None if ctx.rules.accept_unknown_recipients => {}
        None => invalid_gstin(findings, gstin),
    }
}

fn hsn_is_valid(hsn: &str, seller: &Taxpayer, check: HsnCheck) -> bool {
    let shape = || {
        matches!(hsn.len(), 4 | 6 | 8)
            && hsn.bytes().all(|b| b.is_ascii_digit())
            && hsn.bytes().any(|b| b != b'0')
            && (hsn.len() > 4 || seller.aato_crore <= SIX_DIGIT_HSN_ABOVE_CRORE)
    };
    match check {
        HsnCheck::Off => true,
        HsnCheck::Format => shape(),
        HsnCheck::Master => shape() && is_hsn_code(hsn),
    }
}

/// HSN (2176), unit (2177) and GST rate (2240), each naming the offending codes.
fn item_codes(invoice: &Invoice, seller: &Taxpayer, check: HsnCheck, findings: &mut Findings) {
    let mut bad_hsn: Vec<&str> = Vec::new();
    let mut bad_unit: Vec<&str> = Vec::new();
    for item in &invoice.item_list {
        if !hsn_is_valid(&item.hsn_cd, seller, check) && !bad_hsn.contains(&item.hsn_cd.as_str()) {
            bad_hsn.push(&item.hsn_cd);
        }
        if let Some(unit) = item.unit.as_deref()
            && !is_unit_code(unit)
            && !bad_unit.contains(&unit)
        {
            bad_unit.push(unit);
        }
        if !is_gst_rate(item.gst_rt.get()) {
            findings.add(ErrorCode::InvalidGstRate, &[&item.hsn_cd]);
        }
    }
    if !bad_hsn.is_empty() {
        findings.add(ErrorCode::InvalidHsn, &[&bad_hsn.join(",")]);
    }
    if !bad_unit.is_empty() {
        findings.add(ErrorCode::InvalidUnit, &[&bad_unit.join(",")]);
    }
}

/// Every address's PIN against its state (2178).
fn pins(ctx: &Context<'_>, invoice: &Invoice, findings: &mut Findings) {
    let seller = &invoice.seller_dtls;
    let buyer = &invoice.buyer_dtls;
    let mut addresses = vec![(Some(&seller.pin), seller.stcd.as_str())];
    addresses.push((buyer.pin.as_ref(), buyer.stcd.as_str()));
    if let Some(d) = &invoice.disp_dtls {
        addresses.push((Some(&d.pin), d.stcd.as_str()));
    }
    if let Some(s) = &invoice.ship_dtls {
        addresses.push((Some(&s.pin), s.stcd.as_str()));
    }
    for (pin, stcd) in addresses {
        let Some(pin) = pin.and_then(|p| p.as_u32()) else {
            continue;
        };
        let belongs = state_code(stcd)
            .is_some_and(|code| pin_belongs_to_state(pin, code, ctx.rules.pin_state_check));
        if !belongs {
            findings.add(ErrorCode::PinNotInState, &[&pin.to_string()]);
        }
    }
}
