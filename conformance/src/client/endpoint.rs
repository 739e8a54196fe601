//! Which method and path each API is called on.

use std::fmt;

use reqwest::Method;

use crate::api::Api;

/// Path and query parameters of a call.
#[derive(Debug, Clone, Default)]
pub struct Params {
    /// IRN (Get IRN, Get e-way bill).
    pub irn: Option<String>,
    /// GSTIN (GSTIN details, sync).
    pub gstin: Option<String>,
    /// `doctype`, `docnum`, `docdate` (Get by document).
    pub document: Option<(String, String, String)>,
}

/// A resolved call: method, path with query, and which envelope the answer uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// HTTP method.
    pub method: Method,
    /// Path and query.
    pub path: String,
    /// The e-way bill system's lower-case envelope (cancel e-way bill).
    pub ewb_system: bool,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

impl Endpoint {
    /// `POST /eivital/v1.04/auth`.
    pub fn auth() -> Self {
        Self::post("/eivital/v1.04/auth")
    }

    fn post(path: &str) -> Self {
        Self {
            method: Method::POST,
            path: path.to_owned(),
            ewb_system: false,
        }
    }

    fn get(path: String) -> Self {
        Self {
            method: Method::GET,
            path,
            ewb_system: false,
        }
    }

    /// The endpoint of `api` with `params` (percent-encoded); `None` when a parameter the
    /// path needs is missing.
    pub fn of(api: Api, params: &Params) -> Option<Self> {
        let irn = || params.irn.as_deref().map(encode);
        let gstin = || params.gstin.as_deref().map(encode);
        Some(match api {
            Api::Auth => Self::auth(),
            Api::GenerateIrn => Self::post("/eicore/v1.03/Invoice"),
            Api::CancelIrn => Self::post("/eicore/v1.03/Invoice/Cancel"),
            Api::GenerateEwb => Self::post("/eiewb/v1.03/ewaybill"),
            Api::CancelEwb => Self {
                ewb_system: true,
                ..Self::post("/ewaybillapi/v1.03/ewayapi")
            },
            Api::GetIrn => Self::get(format!("/eicore/v1.03/Invoice/irn/{}", irn()?)),
            Api::GetEwb => Self::get(format!("/eiewb/v1.03/ewaybill/irn/{}", irn()?)),
            Api::GstinDetails => Self::get(format!("/eivital/v1.03/Master/gstin/{}", gstin()?)),
            Api::SyncGstin => Self::get(format!("/eivital/v1.03/Master/syncgstin/{}", gstin()?)),
            Api::GetIrnByDocument => {
                let (doctype, docnum, docdate) = params.document.as_ref()?;
                Self::get(format!(
                    "/eicore/v1.03/Invoice/irnbydocdetails?doctype={}&docnum={}&docdate={}",
                    encode(doctype),
                    encode(docnum),
                    encode(docdate)
                ))
            }
        })
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_parameters_are_encoded() {
        let params = Params {
            document: Some(("INV".into(), "DOC/1".into(), "30/03/2026".into())),
            ..Params::default()
        };
        let endpoint = Endpoint::of(Api::GetIrnByDocument, &params).unwrap();
        assert_eq!(
            endpoint.path,
            "/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV&docnum=DOC%2F1&docdate=30%2F03%2F2026"
        );
        assert!(Endpoint::of(Api::GetIrn, &Params::default()).is_none());
        assert!(Endpoint::of(Api::CancelEwb, &params).unwrap().ewb_system);
    }
}
