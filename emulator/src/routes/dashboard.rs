//! The control paths the dashboard reads that the IRP has no API for: the registrations
//! (listed, searched, and one with its signed copies decoded), their QR images, the taxpayer
//! master with its users, and NIC's error messages by code.
//!
//! They answer JSON (or an image) for any tool, not only the page; unknown IRNs and bad
//! queries get the IRP envelope like the rest of the control namespace.

use axum::{
    Json, Router,
    extract::{Path, Query, State, rejection::QueryRejection},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    api_error,
    error::{ApiError, ErrorCode, catalogue},
    irn::Irn,
    qr::QrImage,
    registry::IrnRecord,
    state::AppState,
    taxpayer::GstinDetails,
};

/// Registrations listed at most at once.
const MAX_LISTED: u32 = 1000;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/registrations", get(registrations))
        .route("/registrations/{irn}", get(registration))
        .route("/qr/{file}", get(qr_image))
        .route("/error-codes", get(error_codes))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Search {
    q: Option<String>,
    limit: Option<u32>,
}

/// `GET /__emulator__/registrations?q=&limit=`: newest first (default 100, at most 1,000).
async fn registrations(
    State(state): State<AppState>,
    query: Result<Query<Search>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(search) = query.map_err(|e| api_error!(BadControlRequest, "{e}"))?;
    let limit = search.limit.unwrap_or(100).clamp(1, MAX_LISTED);
    let listed = state.registry.summaries(search.q.as_deref(), limit)?;
    Ok(Json(
        json!({ "count": listed.len(), "registrations": listed }),
    ))
}

/// The registration of `text`, or the control namespace's 404.
fn registered(state: &AppState, text: &str) -> Result<IrnRecord, ApiError> {
    Irn::parse(text)
        .map(|irn| state.registry.get(&irn))
        .transpose()?
        .flatten()
        .ok_or_else(|| api_error!(UnknownPath, "No registration with IRN {text}"))
}

/// A compact JWS as `{"header", "payload"}`, with the payload's `data` (the signed
/// document, a JSON string) parsed; null for a part that is not base64url JSON.
fn decoded(jws: &str) -> Value {
    let part = |text: Option<&str>| -> Value {
        text.and_then(|t| URL_SAFE_NO_PAD.decode(t.trim_end_matches('=')).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or(Value::Null)
    };
    let mut parts = jws.split('.');
    let header = part(parts.next());
    let mut payload = part(parts.next());
    if let Some(data) = payload.get_mut("data")
        && let Some(parsed) = data.as_str().and_then(|t| serde_json::from_str(t).ok())
    {
        *data = parsed;
    }
    json!({ "header": header, "payload": payload })
}

/// `GET /__emulator__/registrations/{irn}`: the summary, the signed copies and their
/// decoded headers and payloads, and the QR image paths.
async fn registration(
    State(state): State<AppState>,
    Path(text): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let record = registered(&state, &text)?;
    let summary = state
        .registry
        .summary(&record.irn)?
        .ok_or_else(|| api_error!(UnknownPath, "No registration with IRN {text}"))?;
    let mut view = serde_json::to_value(summary).unwrap_or_default();
    let irn = record.irn.as_str();
    if let Some(fields) = view.as_object_mut() {
        fields.extend([
            ("signed_invoice".into(), json!(record.signed.invoice)),
            ("signed_qr_code".into(), json!(record.signed.qr)),
            (
                "signed_invoice_decoded".into(),
                decoded(&record.signed.invoice),
            ),
            ("signed_qr_code_decoded".into(), decoded(&record.signed.qr)),
            (
                "qr_svg".into(),
                json!(format!("/__emulator__/qr/{irn}.svg")),
            ),
            (
                "qr_png".into(),
                json!(format!("/__emulator__/qr/{irn}.png")),
            ),
        ]);
    }
    Ok(Json(view))
}

/// `GET /__emulator__/qr/{irn}.svg` or `.png`: the registration's `SignedQRCode` as a QR
/// code image.
async fn qr_image(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let unknown = || {
        api_error!(
            UnknownPath,
            "No QR image {file}: expected {{irn}}.svg or {{irn}}.png"
        )
    };
    let (irn, extension) = file.rsplit_once('.').ok_or_else(unknown)?;
    if !matches!(extension, "svg" | "png") {
        return Err(unknown());
    }
    let record = registered(&state, irn)?;
    let image = QrImage::of(&record.signed.qr)
        .map_err(|e| api_error!(ApplicationError, "QR image of {irn}: {e}"))?;
    let no_store = (header::CACHE_CONTROL, "no-cache");
    Ok(if extension == "svg" {
        let svg = [(header::CONTENT_TYPE, "image/svg+xml"), no_store];
        (svg, image.svg()).into_response()
    } else {
        let png = [(header::CONTENT_TYPE, "image/png"), no_store];
        (png, image.png()).into_response()
    })
}

/// `GET /__emulator__/taxpayers`: the master as the Get GSTIN API shows each taxpayer, plus
/// `AatoCrore`, `EinvoiceEnabled` and the API users' names (never their passwords: those
/// are in `/__emulator__/sandbox`).
pub(super) async fn taxpayers(State(state): State<AppState>) -> Json<Value> {
    let master = state.taxpayers();
    let taxpayers: Vec<Value> = master
        .all()
        .into_iter()
        .map(|t| {
            let mut view = serde_json::to_value(GstinDetails::from(t)).unwrap_or_default();
            if let Some(fields) = view.as_object_mut() {
                let users: Vec<&str> = t.users.iter().map(|u| u.user_name.as_str()).collect();
                fields.extend([
                    ("AatoCrore".into(), json!(t.aato_crore)),
                    ("EinvoiceEnabled".into(), json!(t.einvoice_enabled)),
                    ("Users".into(), json!(users)),
                ]);
            }
            view
        })
        .collect();
    Json(json!({ "count": taxpayers.len(), "taxpayers": taxpayers }))
}

/// `GET /__emulator__/error-codes`: the message of every code the emulator knows, as its
/// answers carry it: the catalogue's, except where the emulator answers another text (a
/// code whose NIC text is unpublished, its own transport-level codes).
async fn error_codes() -> Json<Value> {
    let mut codes: std::collections::BTreeMap<&str, &str> = catalogue()
        .iter()
        .map(|(code, message)| (code.as_str(), message.as_str()))
        .collect();
    codes.extend(
        ErrorCode::ALL
            .iter()
            .map(|code| (code.code(), code.message())),
    );
    Json(json!({ "codes": codes }))
}

#[cfg(test)]
mod tests {
    use super::decoded;

    #[test]
    fn a_jws_decodes_to_header_and_payload_with_its_data_parsed() {
        let jws =
            "eyJhbGciOiJSUzI1NiJ9.eyJkYXRhIjoie1wiSXJuXCI6XCJhYmNcIn0iLCJpc3MiOiJOSUMifQ.c2ln";
        let view = decoded(jws);
        assert_eq!(view["header"]["alg"], "RS256");
        assert_eq!(view["payload"]["iss"], "NIC");
        assert_eq!(view["payload"]["data"]["Irn"], "abc");
    }

    #[test]
    fn parts_that_are_not_base64url_json_are_null() {
        let view = decoded("not-a-jws");
        assert!(view["header"].is_null() && view["payload"].is_null());
        assert!(decoded("")["header"].is_null());
    }
}
