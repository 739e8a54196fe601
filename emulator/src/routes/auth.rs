//! `POST /eivital/v1.04/auth` (and v1.03, served with the v1.04 scheme).

use axum::extract::State;
use serde::Serialize;

use crate::{
    clock::format_ist,
    envelope::{Credentials, Plain},
    error::ApiError,
    state::AppState,
};

/// The plain `Data` of a successful auth, keys in NIC's order.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AuthData {
    client_id: String,
    user_name: String,
    auth_token: String,
    sek: String,
    token_expiry: String,
}

pub(super) async fn authenticate(
    State(state): State<AppState>,
    credentials: Credentials,
) -> Result<Plain<AuthData>, ApiError> {
    let request = &credentials.request;
    let session = state
        .sessions
        .login(&state.master, &state.settings, request, state.clock.now())
        .await?;
    Ok(Plain(AuthData {
        client_id: request.client_id.clone(),
        user_name: request.user_name.clone(),
        auth_token: session.token.clone(),
        sek: credentials.wrap_session_key(&session.sek)?,
        token_expiry: format_ist(session.expires_at),
    }))
}
