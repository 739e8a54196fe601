//! The one table of IRP APIs the emulator serves.
//!
//! Every variant knows its HTTP method, its paths (the v1.03 and v1.04 aliases included, in
//! NIC's canonical spelling), its journal name and the row of NIC's Test Summary Report it
//! counts toward. The router is built from this table, the path canonicaliser takes its
//! fixed segments from it, and the router attaches the matched [`Api`] to each request once,
//! so the journal (and anything keyed by API) reads it instead of parsing the path again.

use std::sync::LazyLock;

use axum::http::Method;
use serde::{Deserialize, Serialize};

/// An IRP API, as NIC's Test Summary Report groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Api {
    /// Authentication.
    Auth,
    /// Get GSTIN details.
    GstinDetails,
    /// Sync GSTIN from the common portal.
    SyncGstin,
    /// Generate IRN.
    GenerateIrn,
    /// Get IRN details.
    GetIrn,
    /// Get IRN by document details.
    GetIrnByDocument,
    /// Cancel IRN.
    CancelIrn,
    /// Generate e-way bill by IRN.
    GenerateEwb,
    /// Get e-way bill details by IRN.
    GetEwb,
    /// Cancel e-way bill (the sandbox-only e-way bill system API).
    CancelEwb,
    /// Get rejected IRNs (what cross-IRP de-duplication refused).
    RejectedIrns,
    /// A path or method no API answers.
    Unknown,
}

/// One row of the table.
struct Row {
    api: Api,
    post: bool,
    paths: &'static [&'static str],
    name: &'static str,
    title: &'static str,
}

/// The table. Paths use NIC's spelling; `{name}` is a path parameter.
const TABLE: [Row; 11] = [
    Row {
        api: Api::Auth,
        post: true,
        paths: &["/eivital/v1.04/auth", "/eivital/v1.03/auth"],
        name: "auth",
        title: "Authentication",
    },
    Row {
        api: Api::GstinDetails,
        post: false,
        paths: &[
            "/eivital/v1.03/Master/gstin/{gstin}",
            "/eivital/v1.04/Master/gstin/{gstin}",
        ],
        name: "gstin_details",
        title: "Get GSTIN details",
    },
    Row {
        api: Api::SyncGstin,
        post: false,
        paths: &[
            "/eivital/v1.03/Master/syncgstin/{gstin}",
            "/eivital/v1.04/Master/syncgstin/{gstin}",
        ],
        name: "sync_gstin",
        title: "Sync GSTIN from CP",
    },
    Row {
        api: Api::GenerateIrn,
        post: true,
        paths: &["/eicore/v1.03/Invoice"],
        name: "generate_irn",
        title: "Generate IRN",
    },
    Row {
        api: Api::GetIrn,
        post: false,
        paths: &["/eicore/v1.03/Invoice/irn/{irn}"],
        name: "get_irn",
        title: "Get IRN details",
    },
    Row {
        api: Api::GetIrnByDocument,
        post: false,
        paths: &["/eicore/v1.03/Invoice/irnbydocdetails"],
        name: "get_irn_by_document",
        title: "Get IRN by document details",
    },
    Row {
        api: Api::CancelIrn,
        post: true,
        paths: &["/eicore/v1.03/Invoice/Cancel"],
        name: "cancel_irn",
        title: "Cancel IRN",
    },
    Row {
        api: Api::GenerateEwb,
        post: true,
        paths: &["/eiewb/v1.03/ewaybill"],
        name: "generate_ewb",
        title: "Generate e-way bill by IRN",
    },
    Row {
        api: Api::GetEwb,
        post: false,
        paths: &["/eiewb/v1.03/ewaybill/irn/{irn}"],
        name: "get_ewb",
        title: "Get e-way bill by IRN",
    },
    Row {
        api: Api::CancelEwb,
        post: true,
        paths: &["/ewaybillapi/v1.03/ewayapi"],
        name: "cancel_ewb",
        title: "Cancel e-way bill",
    },
    // NIC documents `<URL>/api/invoice/rejectedirns`; served under the e-invoice prefix
    // like Get IRN (reference §5, row 11: UNCONFIRMED).
    Row {
        api: Api::RejectedIrns,
        post: false,
        paths: &["/eicore/v1.03/Invoice/rejectedirns"],
        name: "rejected_irns",
        title: "Get rejected IRNs",
    },
];

const UNKNOWN: Row = Row {
    api: Api::Unknown,
    post: false,
    paths: &[],
    name: "unknown",
    title: "Unknown",
};

/// The first segment of the control namespace, matched in any case like the API paths.
pub const CONTROL_SEGMENT: &str = "__emulator__";

impl Api {
    /// The API the router attached to a request (`Unknown` outside the API routes).
    pub fn attached(extensions: &axum::http::Extensions) -> Api {
        extensions.get::<Api>().copied().unwrap_or(Api::Unknown)
    }

    /// Every API the emulator serves, in table order (not [`Api::Unknown`]).
    pub fn served() -> impl Iterator<Item = Api> {
        TABLE.iter().map(|row| row.api)
    }

    fn row(self) -> &'static Row {
        TABLE.iter().find(|row| row.api == self).unwrap_or(&UNKNOWN)
    }

    /// The HTTP method (GET for [`Api::Unknown`], which has no paths).
    pub fn method(self) -> Method {
        if self.row().post {
            Method::POST
        } else {
            Method::GET
        }
    }

    /// Its paths, canonical spelling, v1.03 and v1.04 aliases alike.
    pub fn paths(self) -> &'static [&'static str] {
        self.row().paths
    }

    /// The snake-case name used in the journal, its filters and the harness's scenarios.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The row title of NIC's Test Summary Report.
    pub fn title(self) -> &'static str {
        self.row().title
    }

    /// The API with this [`Api::name`] (`unknown` included).
    pub fn parse(name: &str) -> Option<Self> {
        TABLE
            .iter()
            .chain([&UNKNOWN])
            .find(|row| row.name == name)
            .map(|row| row.api)
    }
}

/// Every fixed path segment of the table, in canonical spelling, plus the control
/// namespace: what the case-insensitive path rewrite maps segments onto.
pub fn fixed_segments() -> &'static [&'static str] {
    static SEGMENTS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        let mut segments: Vec<&'static str> = TABLE
            .iter()
            .flat_map(|row| row.paths.iter())
            .flat_map(|path| path.split('/'))
            .filter(|s| !s.is_empty() && !s.starts_with('{'))
            .chain([CONTROL_SEGMENT])
            .collect();
        segments.sort_unstable();
        segments.dedup();
        segments
    });
    &SEGMENTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_parse_and_json() {
        for api in Api::served().chain([Api::Unknown]) {
            assert_eq!(Api::parse(api.name()), Some(api));
            // The JSON form (journal entries) and the filter name are the same word.
            assert_eq!(serde_json::to_value(api).unwrap(), api.name());
        }
        assert_eq!(Api::parse("nope"), None);
        assert_eq!(Api::served().count(), 11);
    }

    #[test]
    fn every_path_is_unique_and_versions_are_aliases() {
        let mut seen = std::collections::HashSet::new();
        for api in Api::served() {
            assert!(!api.paths().is_empty(), "{api:?}");
            for path in api.paths() {
                assert!(seen.insert((api.method(), *path)), "{path} twice");
                assert!(path.contains("/v1.03/") || path.contains("/v1.04/"));
            }
        }
        assert!(Api::Unknown.paths().is_empty());
        assert_eq!(Api::Auth.paths().len(), 2);
        assert_eq!(Api::SyncGstin.method(), Method::GET);
        assert_eq!(Api::CancelIrn.method(), Method::POST);
    }

    #[test]
    fn fixed_segments_hold_no_parameter_and_the_control_namespace() {
        let segments = fixed_segments();
        for expected in [
            "eivital",
            "Master",
            "syncgstin",
            "irnbydocdetails",
            "ewayapi",
        ] {
            assert!(segments.contains(&expected), "{expected}");
        }
        assert!(segments.contains(&CONTROL_SEGMENT));
        assert!(segments.iter().all(|s| !s.contains('{') && !s.is_empty()));
    }
}
