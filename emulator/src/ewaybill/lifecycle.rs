//! The e-way bill's life against the registry: generated for a registered IRN, read back,
//! cancelled within the window. Each step re-checks what it relies on in the store, so two
//! racing requests cannot both pass a check only one may pass.

use time::OffsetDateTime;

use super::{
    CancelEwbRequest, CancelledEwb, EwbAddress, EwbAnswer, EwbContext, EwbDetails, EwbMade, Plan,
    rules,
};
use crate::{
    caller::Caller,
    clock::{format_ist, format_ist_minute},
    error::{ApiError, ErrorCode, EwbSystemCode, EwbSystemError},
    gstin::Gstin,
    invoice::{CancelReason, EwbDtls, Invoice},
    irn::Irn,
    masters::DistanceModel,
    registry::IrnStatus,
    state::AppState,
    taxpayer::BlockStatus,
};

/// Longest `cancelRmrk`.
const MAX_CANCEL_REMARK: usize = 50;

/// The rules' view of `caller` at `now`.
fn context<'a>(state: &AppState, caller: &'a Gstin, now: OffsetDateTime) -> EwbContext<'a> {
    let blocked = state
        .taxpayers()
        .get(caller)
        .is_some_and(|t| t.block_status == Some(BlockStatus::Blocked));
    EwbContext {
        caller,
        blocked,
        model: DistanceModel {
            road_factor: state.settings.rules.road_factor,
            ..DistanceModel::default()
        },
        now,
    }
}

/// The e-way bill of an invoice being registered by `caller` at `now`, checked before the
/// IRN is committed (a new IRN is active, the caller's, and has no e-way bill yet).
pub fn check_with_irn(
    state: &AppState,
    caller: &Gstin,
    invoice: &Invoice,
    transport: &EwbDtls,
    now: OffsetDateTime,
) -> Result<Plan, ApiError> {
    rules::check(&context(state, caller, now), invoice, transport, None, None)
}

/// Generates the e-way bill of a registered IRN for `caller`.
pub async fn generate(
    state: &AppState,
    caller: &Caller,
    irn: &Irn,
    transport: &EwbDtls,
    ship_to: Option<&EwbAddress>,
    dispatch: Option<&EwbAddress>,
) -> Result<EwbMade, ApiError> {
    let now = state.clock.now();
    let record = state
        .registry
        .get(irn)?
        .filter(|r| r.visible_to(caller))
        .ok_or(ErrorCode::EwbIrnNotAvailable)?;
    if !record.reachable_by(caller) {
        return Err(ErrorCode::EwbNotAuthorised.into());
    }
    if record.status != IrnStatus::Active {
        return Err(ErrorCode::EwbIrnNotActive.into());
    }
    if record.active_ewb().is_some() {
        return Err(ErrorCode::EwbAlreadyGenerated.into());
    }
    let invoice = state
        .registry
        .invoice(irn)?
        .ok_or(ErrorCode::EwbIrnNotAvailable)?;
    let ctx = context(state, &caller.gstin, now);
    let plan = rules::check(&ctx, &invoice, transport, ship_to, dispatch)?;
    let bill = plan.bill(state.registry.next_ewb_no()?);
    // Attaching re-checks "active IRN, no active e-way bill" atomically. The loser of a
    // race is told what the state now says: a cancel that won is 4000, not 4002.
    if !state.registry.attach_ewb(irn, &bill).await? {
        let now_cancelled = state
            .registry
            .get(irn)?
            .is_none_or(|r| r.status != IrnStatus::Active);
        return Err(if now_cancelled {
            ErrorCode::EwbIrnNotActive
        } else {
            ErrorCode::EwbAlreadyGenerated
        }
        .into());
    }
    Ok(EwbMade {
        answer: EwbAnswer {
            ewb_no: bill.ewb_no,
            ewb_dt: format_ist_minute(bill.generated),
            ewb_valid_till: bill.valid_till.map(format_ist),
            remarks: None,
        },
        info: plan.info(),
    })
}

/// The e-way bill of an IRN.
pub fn details(state: &AppState, caller: &Caller, irn: &Irn) -> Result<EwbDetails, ApiError> {
    let record = state
        .registry
        .get(irn)?
        .filter(|r| r.visible_to(caller))
        .ok_or(ErrorCode::EwbNotFound)?;
    if !record.reachable_by(caller) {
        return Err(ErrorCode::EwbNotAuthorised.into());
    }
    let ewb = record.ewb.as_ref().ok_or(ErrorCode::EwbNotFound)?;
    Ok(EwbDetails {
        ewb_no: ewb.ewb_no,
        status: ewb.status().to_owned(),
        gen_gstin: record.supplier.to_string(),
        ewb_dt: format_ist_minute(ewb.generated),
        ewb_valid_till: ewb.valid_till.map(format_ist),
    })
}

/// Cancels an e-way bill for `caller`, in the e-way bill system's terms.
pub async fn cancel(
    state: &AppState,
    caller: &Caller,
    request: &CancelEwbRequest,
) -> Result<CancelledEwb, EwbSystemError> {
    let reason_ok = CancelReason::from_wire(&request.cancel_rsn_code).is_some();
    let remark_ok = request
        .cancel_rmrk
        .as_deref()
        .is_none_or(|r| r.chars().count() <= MAX_CANCEL_REMARK);
    if !reason_ok || !remark_ok {
        return Err(EwbSystemCode::InvalidJson.into());
    }
    let ewb_no = request.ewb_no;
    let now = state.clock.now();
    let window = state.settings.rules.cancel_window();
    let irn = state
        .registry
        .irn_of_ewb(ewb_no)?
        .ok_or(EwbSystemCode::NotFound)?;
    let record = state
        .registry
        .get(&irn)?
        .filter(|r| r.visible_to(caller))
        .ok_or(EwbSystemCode::NotFound)?;
    if !record.reachable_by(caller) {
        return Err(EwbSystemCode::NotYoursOrCancelled.into());
    }
    let ewb = record
        .ewb
        .as_ref()
        .filter(|e| e.ewb_no == ewb_no && e.cancelled.is_none())
        .ok_or(EwbSystemCode::NotYoursOrCancelled)?;
    if now - ewb.generated > window {
        return Err(EwbSystemCode::CancelWindowClosed.into());
    }
    if state.registry.cancel_ewb(ewb_no, now).await? {
        Ok(CancelledEwb::at(ewb_no, now))
    } else {
        Err(EwbSystemCode::NotYoursOrCancelled.into())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::datetime;

    use super::*;
    use crate::{clock::Clock, config::Settings, keys::KeySet};

    /// A store failure while cancelling is the e-way bill system's internal error, logged,
    /// not 325 "could not retrieve data" (which would tell the client the bill is unknown).
    #[tokio::test]
    async fn store_failure_in_cancel_is_internal_not_not_found() {
        let clock = Clock::fixed(datetime!(2026-03-31 04:30 UTC));
        let store = crate::store::Store::in_memory().unwrap();
        let state = AppState::open(
            Settings::default(),
            KeySet::embedded().unwrap(),
            clock,
            store.clone(),
        )
        .unwrap();
        let caller = Caller::own(Gstin::parse(crate::samples::LARGE_SUPPLIER).unwrap());
        let request = CancelEwbRequest {
            ewb_no: crate::invoice::EwbNo::from_u64(111_000_000_001),
            cancel_rsn_code: json!(2),
            cancel_rmrk: None,
        };
        let unknown = cancel(&state, &caller, &request).await.unwrap_err();
        assert_eq!(unknown.code(), EwbSystemCode::NotFound);

        store
            .write(|conn| conn.execute_batch("DROP TABLE ewb"))
            .await
            .unwrap();
        let failed = cancel(&state, &caller, &request).await.unwrap_err();
        assert_eq!(failed.code(), EwbSystemCode::Internal);
    }
}
