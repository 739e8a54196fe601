//! E-way bill by IRN (`/eiewb/v1.03/ewaybill`) and the sandbox-only e-way bill cancel
//! (`/ewaybillapi/v1.03/ewayapi`, in the e-way bill system's own envelope).

use axum::extract::State;

use super::IrpPath;
use crate::{
    envelope::{
        Authenticated, Encrypted, EwbSystemAction, EwbSystemRequest, EwbSystemSealed, Sealed,
    },
    error::{ApiError, ErrorCode, EwbSystemError},
    ewaybill::{self, CancelEwbRequest, EwbRequest},
    irn::Irn,
    state::AppState,
};

pub(super) async fn generate(
    State(state): State<AppState>,
    Encrypted { auth, payload }: Encrypted<EwbRequest>,
) -> Result<Sealed, ApiError> {
    let irn = Irn::parse(&payload.irn).ok_or(ErrorCode::EwbIrnNotAvailable)?;
    let made = ewaybill::generate(
        &state,
        &auth.caller,
        &irn,
        &payload.transport(),
        payload.exp_ship_dtls.as_ref(),
        payload.disp_dtls.as_ref(),
    )
    .await?;
    Ok(auth.seal(&made.answer)?.with_info(made.info))
}

pub(super) async fn details(
    auth: Authenticated,
    State(state): State<AppState>,
    IrpPath(irn): IrpPath<String>,
) -> Result<Sealed, ApiError> {
    let irn = Irn::parse(&irn).ok_or(ErrorCode::EwbNotFound)?;
    auth.seal(&ewaybill::details(&state, &auth.caller, &irn)?)
}

impl EwbSystemAction for CancelEwbRequest {
    const ACTION: &'static str = "CANEWB";
}

pub(super) async fn cancel(
    State(state): State<AppState>,
    EwbSystemRequest { auth, payload }: EwbSystemRequest<CancelEwbRequest>,
) -> Result<EwbSystemSealed, EwbSystemError> {
    let cancelled = ewaybill::cancel(&state, &auth.caller, &payload).await?;
    EwbSystemSealed::seal(&auth, &cancelled)
}
