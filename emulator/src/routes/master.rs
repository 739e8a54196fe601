//! The Master API group: `GET /eivital/{v}/Master/gstin/{gstin}` and `.../syncgstin/{gstin}`.
//!
//! Both answer from the emulator's taxpayer master ("sync from the common portal" has
//! nothing newer to fetch here).

use axum::extract::State;

use super::IrpPath;
use crate::{
    api_error,
    envelope::{Authenticated, Sealed},
    error::{ApiError, ErrorCode},
    state::AppState,
    taxpayer::GstinDetails,
};

pub(super) async fn gstin_details(
    auth: Authenticated,
    State(state): State<AppState>,
    IrpPath(gstin): IrpPath<String>,
) -> Result<Sealed, ApiError> {
    let gstin = state
        .settings
        .gstin_check()
        .parse(&gstin)
        .map_err(|e| api_error!(InvalidGstin, "GSTIN - {gstin} is invalid").caused_by(e))?;
    let details = state
        .taxpayers()
        .get(&gstin)
        .map(GstinDetails::from)
        .ok_or(ErrorCode::DataNotAvailable)?;
    auth.seal(&details)
}
