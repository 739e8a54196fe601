//! Cancel IRN: whole-document cancellation by the supplier, inside 24 hours of AckDt, never
//! while an e-way bill is active. The document number stays burnt (2278 on reuse).

use serde::{Deserialize, Serialize};

use crate::{
    caller::Caller,
    clock::format_ist_minute,
    error::{ApiError, ErrorCode},
    invoice::CancelReason,
    irn::Irn,
    registry::{IrnRecord, IrnStatus},
    spelling::{Spelled, Spelling},
    state::AppState,
};

/// Longest `CnlRem`.
const MAX_REMARK: usize = 100;

/// The decrypted body of `POST /eicore/v1.03/Invoice/Cancel`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CancelRequest {
    /// The IRN.
    pub irn: String,
    /// Reason, "1" duplicate, "2" data entry mistake, "3" order cancelled, "4" others.
    pub cnl_rsn: serde_json::Value,
    /// Remark, at most 100 characters.
    #[serde(default)]
    pub cnl_rem: Option<String>,
}

/// Read in any case, as NIC does: India Compliance sends `Cnlrsn` and `Cnlrem`.
impl Spelled for CancelRequest {
    fn spelling() -> Option<&'static Spelling> {
        static SPELLING: std::sync::LazyLock<Spelling> =
            std::sync::LazyLock::new(|| Spelling::names(&["Irn", "CnlRsn", "CnlRem"]));
        Some(&SPELLING)
    }
}

/// The decrypted `Data` of a cancellation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CancelAnswer {
    /// The IRN.
    pub irn: String,
    /// Cancellation time, IST.
    pub cancel_date: String,
}

fn invalid(message: &str) -> ApiError {
    ApiError::with_message(ErrorCode::InvalidInvoice, message)
}

/// Cancels an IRN for `caller`.
pub async fn cancel(
    state: &AppState,
    caller: &Caller,
    request: &CancelRequest,
) -> Result<CancelAnswer, ApiError> {
    let irn = Irn::parse(&request.irn).ok_or_else(|| invalid("#/Irn: must be 64 characters"))?;
    let reason = CancelReason::from_wire(&request.cnl_rsn)
        .ok_or_else(|| invalid("#/CnlRsn: must be 1, 2, 3 or 4"))?;
    let remark = request.cnl_rem.clone().unwrap_or_default();
    if remark.chars().count() > MAX_REMARK {
        return Err(invalid("#/CnlRem: at most 100 characters"));
    }

    let now = state.clock.now();
    let window = state.settings.rules.cancel_window();
    let record = state
        .registry
        .get(&irn)?
        .filter(|r| r.visible_to(caller))
        .ok_or(ErrorCode::IrnNotAvailable)?;
    if !record.reachable_by(caller) {
        return Err(ErrorCode::NotYourInvoice.into());
    }
    if record.status != IrnStatus::Active {
        return Err(ErrorCode::InvoiceNotActive.into());
    }
    if now - record.ack_dt > window {
        return Err(ErrorCode::CancelWindowClosed.into());
    }
    if record.active_ewb().is_some() {
        return Err(ErrorCode::ActiveEwayBill.into());
    }
    // The checks above ran on a snapshot; the update re-checks them atomically, and a
    // request that lost a race is answered from the state it lost to.
    if !state.registry.cancel(&irn, now, reason, remark).await? {
        let now_is = state.registry.get(&irn)?;
        return Err(match now_is.as_ref().map(IrnRecord::active_ewb) {
            Some(Some(_)) => ErrorCode::ActiveEwayBill,
            _ => ErrorCode::InvoiceNotActive,
        }
        .into());
    }
    Ok(CancelAnswer {
        irn: irn.to_string(),
        cancel_date: format_ist_minute(now),
    })
}
