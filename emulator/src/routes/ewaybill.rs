//! E-way bill by IRN (`/eiewb/v1.03/ewaybill`) and the sandbox-only e-way bill cancel
//! (`/ewaybillapi/v1.03/ewayapi`, in the e-way bill system's own envelope).

use axum::{
    extract::{FromRequestParts, Request, State},
    http::request::Parts,
};
use serde::{Deserialize, Serialize};

use super::IrpPath;
use crate::{
    clock::IST,
    envelope::{
        Authenticated, BodyRole, Encrypted, EwbSystemAnswer, Sealed, field, open_data,
        parse_payload, read_json_object,
    },
    error::{ApiError, ErrorCode},
    ewaybill::{self, EwbRequest},
    irn::Irn,
    journal::Capture,
    state::AppState,
};

pub(super) async fn generate(
    State(state): State<AppState>,
    Encrypted { auth, payload }: Encrypted<EwbRequest>,
) -> Result<Sealed, ApiError> {
    let irn = Irn::parse(&payload.irn).ok_or(ErrorCode::EwbIrnNotAvailable)?;
    let made = ewaybill::generate(
        &state,
        &auth.identity.gstin,
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
    auth.seal(&ewaybill::details(&state, &auth.identity.gstin, &irn)?)
}

/// The decrypted cancel request of the e-way bill system.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CancelEwb {
    ewb_no: u64,
    cancel_rsn_code: serde_json::Value,
    #[serde(default)]
    cancel_rmrk: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CancelledEwb {
    eway_bill_no: u64,
    cancel_date: String,
}

/// E-way bill system codes for envelope-level failures.
const INVALID_JSON: &str = "100";
const INVALID_TOKEN: &str = "105";
const DECRYPTION_FAILED: &str = "109";

pub(super) async fn cancel(State(state): State<AppState>, request: Request) -> EwbSystemAnswer {
    match cancel_inner(&state, request).await {
        Ok((data, plain)) => EwbSystemAnswer::Success { data, plain },
        Err(code) => EwbSystemAnswer::Failure(vec![code]),
    }
}

/// The sealed and the clear answer, or the e-way bill system's error code.
async fn cancel_inner(
    state: &AppState,
    request: Request,
) -> Result<(String, serde_json::Value), &'static str> {
    let (mut parts, body): (Parts, _) = request.into_parts();
    let auth = Authenticated::from_request_parts(&mut parts, state)
        .await
        .map_err(|_| INVALID_TOKEN)?;
    let object = read_json_object(
        &parts.headers,
        body,
        state.settings.body_limit,
        BodyRole::Payload,
    )
    .await
    .map_err(|_| INVALID_JSON)?;
    let action = field(&object, "action")
        .and_then(|v| v.as_str())
        .map(str::trim);
    if action.is_none_or(|a| !a.eq_ignore_ascii_case("CANEWB")) {
        return Err(INVALID_JSON);
    }
    let plain = open_data(&auth, field(&object, "data")).map_err(|_| DECRYPTION_FAILED)?;
    Capture::payload(&parts.extensions, &plain);
    let request: CancelEwb = parse_payload(&plain).map_err(|_| INVALID_JSON)?;
    let reason_ok = match &request.cancel_rsn_code {
        serde_json::Value::Number(n) => matches!(n.as_u64(), Some(1..=4)),
        serde_json::Value::String(s) => matches!(s.trim(), "1" | "2" | "3" | "4"),
        _ => false,
    };
    if !reason_ok
        || request
            .cancel_rmrk
            .as_deref()
            .is_some_and(|r| r.chars().count() > 50)
    {
        return Err(INVALID_JSON);
    }
    let at = ewaybill::cancel(state, &auth.identity.gstin, request.ewb_no)
        .await
        .map_err(|e| e.code())?;
    let cancel_date = at
        .to_offset(IST)
        .format(time::macros::format_description!(
            "[day]/[month]/[year] [hour repr:12]:[minute]:[second] [period]"
        ))
        .unwrap_or_default();
    let answer = serde_json::to_value(CancelledEwb {
        eway_bill_no: request.ewb_no,
        cancel_date,
    })
    .map_err(|_| INVALID_JSON)?;
    let sealed = auth
        .encrypt_json(&answer)
        .map_err(|_: ApiError| INVALID_JSON)?;
    Ok((sealed, answer))
}
