//! The e-way bill system's envelope, used by the one e-way-bill-system API the IRP sandbox
//! hosts (cancel e-way bill, `POST /ewaybillapi/v1.03/ewayapi`): lower-case keys, `status`
//! as a string, and errors as base64 of `{"errorCodes":"312"}` (numeric codes, comma
//! separated, no messages).

use axum::{
    Json,
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};

use crate::journal::JournalBody;

/// An answer in the e-way bill system's envelope.
#[derive(Debug, Clone, PartialEq)]
pub enum EwbSystemAnswer {
    /// `{"status":"1","data":"<AES(SEK) base64>"}`.
    Success {
        /// The sealed `data`.
        data: String,
        /// The same in clear, for the journal.
        plain: Value,
    },
    /// `{"status":"0","error":"<base64 {errorCodes}>"}`.
    Failure(Vec<&'static str>),
}

impl IntoResponse for EwbSystemAnswer {
    fn into_response(self) -> Response {
        let (mut response, journal) = match self {
            Self::Success { data, plain } => (
                Json(json!({ "status": "1", "data": data })).into_response(),
                json!({ "status": "1", "data": plain }),
            ),
            Self::Failure(codes) => {
                let error = json!({ "errorCodes": codes.join(",") });
                (
                    Json(json!({ "status": "0", "error": STANDARD.encode(error.to_string()) }))
                        .into_response(),
                    json!({ "status": "0", "error": error }),
                )
            }
        };
        response.extensions_mut().insert(JournalBody(journal));
        response
    }
}
