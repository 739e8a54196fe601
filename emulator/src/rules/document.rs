//! Stage 2, the document: its date against the clock and the reporting window, and the
//! supply-type flags.

use time::Duration;

use super::{Context, Findings, Parsed};
use crate::{
    error::ErrorCode,
    invoice::{Invoice, SupplyType, YesNo},
};

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
    if YesNo::set(invoice.tran_dtls.reg_rev) && parsed.supply != SupplyType::B2b {
        f.add(ErrorCode::ReverseChargeNotB2b, &[]);
    }
}
