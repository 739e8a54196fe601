//! Get rejected IRNs: what cross-IRP de-duplication refused of the caller's documents on one
//! day (IST), at the IRP called.
//!
//! NIC documents the API only as `GET <URL>/api/invoice/rejectedirns?date=dd/mm/yyyy`, "list
//! of IRNs rejected by cross-IRP de-duplication", without an answer sample (reference §5,
//! row 11, UNCONFIRMED). The emulator serves it under the e-invoice prefix like Get IRN
//! (`/eicore/v1.03/Invoice/rejectedirns`), sealed under the session key, and answers a list
//! (empty when nothing was refused) naming for each refusal the document, the IRP that holds
//! its registration and that registration's AckNo, so a client that failed over can
//! reconcile.

use serde::{Deserialize, Serialize};
use time::{Duration, Time};

use crate::{
    caller::Caller,
    clock::{IST, format_ist},
    error::{ApiError, ErrorCode},
    invoice::AckNo,
    registry::Rejection,
    rules::parse_date,
    state::AppState,
};

/// One entry of the answer's `Data` (a JSON array of these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedIrn {
    /// The IRN the document has (and keeps) at the IRP that holds it.
    #[serde(rename = "Irn")]
    pub irn: String,
    /// `DocDtls.Typ`.
    #[serde(rename = "DocTyp")]
    pub doc_type: String,
    /// `DocDtls.No`, as sent.
    #[serde(rename = "DocNo")]
    pub doc_no: String,
    /// `DocDtls.Dt`.
    #[serde(rename = "DocDt")]
    pub doc_date: String,
    /// The IRP that holds the registration, as the `irp` header names it (`NIC1`).
    #[serde(rename = "RegIrp")]
    pub reg_irp: String,
    /// The holding registration's AckNo.
    #[serde(rename = "AckNo")]
    pub ack_no: AckNo,
    /// When the submission was refused, IST `yyyy-MM-dd HH:mm:ss`.
    #[serde(rename = "RejDt")]
    pub rejected_at: String,
}

impl RejectedIrn {
    fn of(rejection: Rejection) -> Self {
        Self {
            irn: rejection.irn.to_string(),
            doc_type: rejection.doc_type,
            doc_no: rejection.doc_no,
            doc_date: rejection.doc_date,
            reg_irp: rejection.held_irp.wire(),
            ack_no: rejection.ack_no,
            rejected_at: format_ist(rejection.at),
        }
    }
}

/// The refusals of `caller`'s (or, with `sup_gstin`, its supplier's) documents at the IRP
/// called, on the IST day `date` (`dd/MM/yyyy`).
pub fn on(state: &AppState, caller: &Caller, date: &str) -> Result<Vec<RejectedIrn>, ApiError> {
    let day = parse_date(date.trim()).ok_or_else(|| {
        ApiError::with_message(
            ErrorCode::IncompleteParameters,
            format!("{}: date", ErrorCode::IncompleteParameters.message()),
        )
    })?;
    let from = day.with_time(Time::MIDNIGHT).assume_offset(IST);
    let list = state.registry.rejected(
        &state.settings.irp.name,
        caller.supplier().as_str(),
        from,
        from + Duration::days(1),
    )?;
    Ok(list.into_iter().map(RejectedIrn::of).collect())
}
