//! Stage 2, the document: its date against the clock and the reporting window, and the
//! supply-type flags.

use time::Duration;

use super::{Context, Findings, Parsed, SupplyType, flag};
use crate::{error::ErrorCode, invoice::Invoice};

pub(super) fn check(ctx: &Context<'_>, invoice: &Invoice, parsed: &Parsed<'_>, f: &mut Findings) {
    if parsed.doc_date > ctx.today {
        f.add(ErrorCode::FutureDocumentDate, &[]);
    }
    // The 30-day rule: documents older than the window are refused for large suppliers;
    // "30 days old" is still inside, 31 is not.
    let age = ctx.today - parsed.doc_date;
    if parsed.seller.aato_crore >= ctx.rules.aato_threshold_crore
        && age > Duration::days(ctx.rules.reporting_window_days)
    {
        f.add(ErrorCode::ReportingWindowClosed, &[]);
    }
    if flag(invoice.tran_dtls.reg_rev.as_ref()) && parsed.supply != SupplyType::B2b {
        f.add(ErrorCode::ReverseChargeNotB2b, &[]);
    }
}
