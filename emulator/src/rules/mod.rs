//! NIC's business rules for Generate IRN, in NIC's evaluation order.
//!
//! Schema first (in [`crate::invoice::InvoiceSchema`]), then the stages here: masters →
//! document → parties → tax → items and totals. Each stage collects every violation it
//! finds and the pipeline stops after the first stage that found any, so one answer can
//! carry several errors of one stage, as NIC's does, without cascading noise from later
//! stages that assume the earlier ones passed. How strict each rule is, and why, is in the
//! README's rule table; the knobs are [`RuleSettings`].

mod document;
mod masters;
mod parties;
mod settings;
mod tax;
mod totals;

use time::{Date, macros::format_description};

pub use self::settings::{DocNoCaseSetting, HsnCheck, RuleSettings, TotalsMode};
use crate::{
    error::{ApiError, ErrorCode},
    gstin::{Gstin, GstinCheck},
    invoice::{DocType, Invoice, SupplyType},
    taxpayer::{Taxpayer, TaxpayerMaster},
};

/// Parses a request date, `dd/MM/yyyy`.
pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text, format_description!("[day]/[month]/[year]")).ok()
}

/// Parses a state code (`"29"`, `"7"`, `"07"`).
pub fn state_code(text: &str) -> Option<u8> {
    text.trim().parse().ok()
}

/// The violations found by one stage.
#[derive(Debug, Default)]
pub struct Findings(Vec<(ErrorCode, String)>);

impl Findings {
    /// Records a violation with the catalogue message, placeholders filled from `args`.
    pub fn add(&mut self, code: ErrorCode, args: &[&str]) {
        self.0.push((code, code.message_with(args)));
    }

    /// Records a violation with a specific message.
    pub fn add_message(&mut self, code: ErrorCode, message: String) {
        self.0.push((code, message));
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn into_error(self) -> Option<ApiError> {
        let mut entries = self.0.into_iter();
        let (code, message) = entries.next()?;
        let error = ApiError::with_message(code, message);
        Some(entries.fold(error, |e, (code, message)| e.and(code, message)))
    }
}

/// What the rules read besides the invoice.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Rule knobs.
    pub rules: &'a RuleSettings,
    /// How client-sent GSTINs are parsed (`Settings::gstin_check`).
    pub gstin: GstinCheck,
    /// The taxpayer master.
    pub taxpayers: &'a TaxpayerMaster,
    /// The authenticated GSTIN.
    pub caller: &'a Gstin,
    /// Today in IST, from the clock.
    pub today: Date,
}

impl Context<'_> {
    fn parse_gstin(&self, text: &str) -> Option<Gstin> {
        self.gstin.parse(text).ok()
    }
}

/// An invoice that passed every rule, with the facts later steps need.
#[derive(Debug, Clone)]
pub struct Accepted {
    /// The supplier.
    pub seller: Gstin,
    /// Document type.
    pub doc_type: DocType,
    /// Document date.
    pub doc_date: Date,
    /// Supply type.
    pub supply: SupplyType,
}

/// Facts established by the master stage and shared with the later ones.
struct Parsed<'a> {
    seller: &'a Taxpayer,
    doc_type: DocType,
    doc_date: Date,
    supply: SupplyType,
}

/// Runs every stage after the schema; the first stage with findings decides the answer.
pub fn validate(ctx: &Context<'_>, invoice: &Invoice) -> Result<Accepted, ApiError> {
    let parsed = masters::check(ctx, invoice).map_err(fail)?;
    let stages: [fn(&Context<'_>, &Invoice, &Parsed<'_>, &mut Findings); 4] =
        [document::check, parties::check, tax::check, totals::check];
    for stage in stages {
        let mut findings = Findings::default();
        stage(ctx, invoice, &parsed, &mut findings);
        if let Some(error) = findings.into_error() {
            return Err(error);
        }
    }
    Ok(Accepted {
        seller: parsed.seller.gstin.clone(),
        doc_type: parsed.doc_type,
        doc_date: parsed.doc_date,
        supply: parsed.supply,
    })
}

fn fail(findings: Findings) -> ApiError {
    findings
        .into_error()
        .unwrap_or_else(|| ApiError::new(ErrorCode::InvalidInvoice))
}
