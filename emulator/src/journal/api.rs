//! Which IRP API a path is: the journal's `api` column and the harness's report rows.

use serde::{Deserialize, Serialize};

/// An IRP API, as NIC's Test Summary Report groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Api {
    /// `POST /eivital/v1.0x/auth`.
    Auth,
    /// `GET …/Master/gstin/{gstin}`.
    GstinDetails,
    /// `GET …/Master/syncgstin/{gstin}`.
    SyncGstin,
    /// `POST /eicore/v1.03/Invoice`.
    GenerateIrn,
    /// `GET /eicore/v1.03/Invoice/irn/{irn}`.
    GetIrn,
    /// `GET /eicore/v1.03/Invoice/irnbydocdetails`.
    GetIrnByDocument,
    /// `POST /eicore/v1.03/Invoice/Cancel`.
    CancelIrn,
    /// `POST /eiewb/v1.03/ewaybill`.
    GenerateEwb,
    /// `GET /eiewb/v1.03/ewaybill/irn/{irn}`.
    GetEwb,
    /// `POST /ewaybillapi/v1.03/ewayapi` (sandbox-only cancel).
    CancelEwb,
    /// Anything else.
    Unknown,
}

impl Api {
    /// Classifies a (canonical-case) request path.
    pub fn of(method: &str, path: &str) -> Self {
        let lower = path.to_ascii_lowercase();
        let segments: Vec<&str> = lower.trim_matches('/').split('/').collect();
        let post = method.eq_ignore_ascii_case("POST");
        match segments.as_slice() {
            ["eivital", "v1.03" | "v1.04", "auth"] => Self::Auth,
            ["eivital", "v1.03" | "v1.04", "master", "gstin", _] => Self::GstinDetails,
            ["eivital", "v1.03" | "v1.04", "master", "syncgstin", _] => Self::SyncGstin,
            ["eicore", "v1.03", "invoice"] if post => Self::GenerateIrn,
            ["eicore", "v1.03", "invoice", "irn", _] => Self::GetIrn,
            ["eicore", "v1.03", "invoice", "irnbydocdetails"] => Self::GetIrnByDocument,
            ["eicore", "v1.03", "invoice", "cancel"] => Self::CancelIrn,
            ["eiewb", "v1.03", "ewaybill"] if post => Self::GenerateEwb,
            ["eiewb", "v1.03", "ewaybill", "irn", _] => Self::GetEwb,
            ["ewaybillapi", "v1.03", "ewayapi"] => Self::CancelEwb,
            _ => Self::Unknown,
        }
    }

    /// The snake-case name used in the journal and its filters.
    pub fn name(self) -> &'static str {
        match self {
            Self::Auth => "auth",
            Self::GstinDetails => "gstin_details",
            Self::SyncGstin => "sync_gstin",
            Self::GenerateIrn => "generate_irn",
            Self::GetIrn => "get_irn",
            Self::GetIrnByDocument => "get_irn_by_document",
            Self::CancelIrn => "cancel_irn",
            Self::GenerateEwb => "generate_ewb",
            Self::GetEwb => "get_ewb",
            Self::CancelEwb => "cancel_ewb",
            Self::Unknown => "unknown",
        }
    }

    /// The API with this [`Api::name`].
    pub fn parse(name: &str) -> Option<Self> {
        ALL.iter().copied().find(|api| api.name() == name)
    }
}

const ALL: [Api; 11] = [
    Api::Auth,
    Api::GstinDetails,
    Api::SyncGstin,
    Api::GenerateIrn,
    Api::GetIrn,
    Api::GetIrnByDocument,
    Api::CancelIrn,
    Api::GenerateEwb,
    Api::GetEwb,
    Api::CancelEwb,
    Api::Unknown,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_classify_and_names_round_trip() {
        let irn = "a".repeat(64);
        for (method, path, api) in [
            ("POST", "/eivital/v1.04/auth", Api::Auth),
            ("POST", "/eivital/v1.03/auth", Api::Auth),
            (
                "GET",
                "/eivital/v1.03/Master/gstin/29AAACL1111A1ZD",
                Api::GstinDetails,
            ),
            (
                "GET",
                "/eivital/v1.04/Master/syncgstin/29AAACL1111A1ZD",
                Api::SyncGstin,
            ),
            ("POST", "/eicore/v1.03/Invoice", Api::GenerateIrn),
            ("GET", "/eicore/v1.03/Invoice", Api::Unknown),
            (
                "GET",
                &format!("/eicore/v1.03/Invoice/irn/{irn}"),
                Api::GetIrn,
            ),
            (
                "GET",
                "/eicore/v1.03/Invoice/irnbydocdetails",
                Api::GetIrnByDocument,
            ),
            ("POST", "/eicore/v1.03/Invoice/Cancel", Api::CancelIrn),
            ("POST", "/eiewb/v1.03/ewaybill", Api::GenerateEwb),
            (
                "GET",
                &format!("/eiewb/v1.03/ewaybill/irn/{irn}"),
                Api::GetEwb,
            ),
            ("POST", "/ewaybillapi/v1.03/ewayapi", Api::CancelEwb),
            ("GET", "/nothing/here", Api::Unknown),
        ] {
            assert_eq!(Api::of(method, path), api, "{method} {path}");
        }
        for api in ALL {
            assert_eq!(Api::parse(api.name()), Some(api));
            // The JSON form (journal entries) and the filter name are the same word.
            assert_eq!(serde_json::to_value(api).unwrap(), api.name());
        }
        assert_eq!(Api::parse("nope"), None);
    }
}
