//! Get IRN details, by IRN or by document: the signed copies issued at generation, to the
//! supplier (or its operator) only, and only inside the retrieval window.

use crate::{
    caller::Caller,
    error::{ApiError, ErrorCode},
    invoice::DocType,
    irn::{FinancialYear, Irn},
    registration::IrnAnswer,
    rules::parse_date,
    state::AppState,
};

/// The registration of `irn` as `caller` may see it.
pub fn by_irn(state: &AppState, caller: &Caller, irn: &Irn) -> Result<IrnAnswer, ApiError> {
    let now = state.clock.now();
    let record = state
        .registry
        .get(irn)?
        .filter(|r| r.visible_to(caller))
        .ok_or(ErrorCode::IrnNotAvailable)?;
    if !record.reachable_by(caller) {
        return Err(ErrorCode::NotYourInvoice.into());
    }
    if now - record.ack_dt > state.settings.rules.retrieval_window() {
        return Err(ErrorCode::RetrievalWindowClosed.into());
    }
    Ok(IrnAnswer::of(&record))
}

/// The registration of the caller's (or, with `sup_gstin`, its supplier's) document `doc_type`/`doc_no`/`doc_date`
/// (`INV`, `DOC/001`, `dd/MM/yyyy`).
pub fn by_document(
    state: &AppState,
    caller: &Caller,
    doc_type: &str,
    doc_no: &str,
    doc_date: &str,
) -> Result<IrnAnswer, ApiError> {
    let incomplete = |what: &str| {
        ApiError::with_message(
            ErrorCode::IncompleteParameters,
            format!("{}: {what}", ErrorCode::IncompleteParameters.message()),
        )
    };
    let doc_type = DocType::parse(doc_type).ok_or_else(|| incomplete("doctype"))?;
    let date = parse_date(doc_date).ok_or_else(|| incomplete("docdate"))?;
    if doc_no.trim().is_empty() {
        return Err(incomplete("docnum"));
    }
    let irn = Irn::derive(
        caller.supplier(),
        FinancialYear::of(date),
        doc_type,
        doc_no,
        state.settings.rules.doc_no_case.into(),
    );
    by_irn(state, caller, &irn)
}
