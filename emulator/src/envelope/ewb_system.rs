//! The e-way bill system's envelope, used by the one e-way-bill-system API the IRP sandbox
//! hosts (cancel e-way bill, `POST /ewaybillapi/v1.03/ewayapi`): lower-case keys, `status`
//! as a string, and errors as base64 of `{"errorCodes":"312"}` (numeric codes, comma
//! separated, no messages).

use axum::{
    Json,
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::json;

/// An answer in the e-way bill system's envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EwbSystemAnswer {
    /// `{"status":"1","data":"<AES(SEK) base64>"}`.
    Success(String),
    /// `{"status":"0","error":"<base64 {errorCodes}>"}`.
    Failure(Vec<&'static str>),
}

impl IntoResponse for EwbSystemAnswer {
    fn into_response(self) -> Response {
        match self {
            Self::Success(data) => Json(json!({ "status": "1", "data": data })).into_response(),
            Self::Failure(codes) => {
                let error = json!({ "errorCodes": codes.join(",") }).to_string();
                Json(json!({ "status": "0", "error": STANDARD.encode(error) })).into_response()
            }
        }
    }
}
