//! The rows of the catalogue: section 4 of the reference note on NIC's Test Summary Report,
//! one constant per case, in the note's order.
//!
//! Order matters twice: [`super::classify_failure`] takes the first case (of those a client
//! reaches without the control namespace) that lists a code, and the report's grid keeps
//! the ids as written here.

use super::{CatalogueCase, Kind};
use crate::api::Api;

/// Why a case cannot come from plain traffic: it needs the emulator's clock.
const CLOCK: &str = "the emulator's clock (POST /__emulator__/clock)";

const fn success(id: &'static str, api: Api, feature: &'static str) -> CatalogueCase {
    CatalogueCase {
        id,
        api,
        kind: Kind::Success,
        feature,
        expected: "Status 1",
        codes: &[],
        any_api: false,
        needs: None,
    }
}

const fn failure(
    id: &'static str,
    api: Api,
    feature: &'static str,
    expected: &'static str,
    codes: &'static [&'static str],
) -> CatalogueCase {
    CatalogueCase {
        id,
        api,
        kind: Kind::Failure,
        feature,
        expected,
        codes,
        any_api: false,
        needs: None,
    }
}

impl CatalogueCase {
    const fn expecting(mut self, expected: &'static str) -> Self {
        self.expected = expected;
        self
    }

    const fn on_any_api(mut self) -> Self {
        self.any_api = true;
        self
    }

    const fn needing(mut self, needs: &'static str) -> Self {
        self.needs = Some(needs);
        self
    }
}

/// Every case (X-1, cross-IRP, is left out: the emulator is one IRP and the case is not
/// counted).
pub(super) const CASES: &[CatalogueCase] = &[
    // 4.1 Authentication.
    success("AU-1", Api::Auth, "Valid client and user credentials")
        .expecting("Status 1; AuthToken, Sek, TokenExpiry"),
    success(
        "AU-2",
        Api::Auth,
        "Re-authenticate inside the token's validity",
    )
    .expecting("Status 1, same AuthToken"),
    success(
        "AU-3",
        Api::Auth,
        "ForceRefreshAccessToken in the last 10 minutes",
    )
    .expecting("Status 1, new AuthToken; the old one then gives 1005")
    .needing(CLOCK),
    failure(
        "AU-4",
        Api::Auth,
        "Token used after its expiry",
        "1005",
        &["1005"],
    )
    .on_any_api()
    .needing(CLOCK),
    failure(
        "AU-5",
        Api::Auth,
        "Invalid client id or secret",
        "1010",
        &["1010"],
    )
    .on_any_api(),
    failure(
        "AU-6",
        Api::Auth,
        "Invalid user id or password",
        "1008 / 1017 / 1019",
        &["1008", "1017", "1019"],
    ),
    failure(
        "AU-7",
        Api::Auth,
        "Missing Gstin, client id or client secret header",
        "1004 / 1011 / 1012",
        &["1004", "1011", "1012"],
    )
    .on_any_api(),
    failure(
        "AU-8",
        Api::Auth,
        "Credentials encrypted with a wrong key or padding",
        "1013 / 1007",
        &["1013", "1007"],
    ),
    failure("AU-9", Api::Auth, "AppKey undecodable", "1016", &["1016"]),
    failure(
        "AU-10",
        Api::Auth,
        "Gstin header not the user's",
        "1015",
        &["1015"],
    ),
    failure(
        "AU-11",
        Api::Auth,
        "Stale, revoked or foreign token",
        "1005",
        &["1005"],
    )
    .on_any_api(),
    // 4.2 Generate IRN: successes.
    success("G-1", Api::GenerateIrn, "B2B intra-state (CGST + SGST)"),
    success("G-2", Api::GenerateIrn, "B2B inter-state (IGST)"),
    success("G-3", Api::GenerateIrn, "SEZWP supply to SEZ with payment"),
    success(
        "G-4",
        Api::GenerateIrn,
        "SEZWOP supply to SEZ without payment",
    ),
    success("G-5", Api::GenerateIrn, "EXPWP export with payment"),
    success("G-6", Api::GenerateIrn, "EXPWOP export without payment"),
    success("G-7", Api::GenerateIrn, "DEXP deemed export"),
    success("G-8", Api::GenerateIrn, "Credit or debit note (CRN, DBN)"),
    success("G-9", Api::GenerateIrn, "Reverse charge (RegRev Y)"),
    success(
        "G-10",
        Api::GenerateIrn,
        "IGST on an intra-state supply (IgstOnIntra Y)",
    ),
    success("G-11", Api::GenerateIrn, "Multi-item invoice"),
    success(
        "G-12",
        Api::GenerateIrn,
        "Dispatch-from and ship-to details",
    ),
    success(
        "G-13",
        Api::GenerateIrn,
        "With EwbDtls (IRN and e-way bill in one call)",
    )
    .expecting("Status 1; EwbNo, EwbDt filled"),
    success("G-14", Api::GenerateIrn, "EwbDtls with Distance 0")
        .expecting("Status 1; InfoDtls EWBPPD"),
    success(
        "G-15",
        Api::GenerateIrn,
        "EwbDtls whose e-way bill part fails",
    )
    .expecting("Status 1; InfoDtls EWBERR"),
    success("G-16", Api::GenerateIrn, "Lower-case document number")
        .expecting("Status 1; IRN of the upper-cased number"),
    // 4.2 Generate IRN: failures.
    failure(
        "GF-1",
        Api::GenerateIrn,
        "Duplicate document (GSTIN, year, type, number)",
        "2150 + InfoDtls DUPIRN",
        &["2150"],
    ),
    failure(
        "GF-2",
        Api::GenerateIrn,
        "Duplicate number differing only in case",
        "2150",
        &["2150"],
    ),
    failure(
        "GF-3",
        Api::GenerateIrn,
        "Number of a cancelled IRN",
        "2278",
        &["2278"],
    ),
    failure(
        "GF-4",
        Api::GenerateIrn,
        "Schema violation",
        "2140",
        &["2140"],
    ),
    failure(
        "GF-5",
        Api::GenerateIrn,
        "Seller GSTIN not the authenticated GSTIN",
        "2169 (or 2143)",
        &["2169", "2143"],
    ),
    failure(
        "GF-6",
        Api::GenerateIrn,
        "Unknown or inactive buyer GSTIN",
        "3028 / 3029",
        &["3028", "3029"],
    ),
    failure(
        "GF-7",
        Api::GenerateIrn,
        "Invalid HSN, unit, GST rate, or PIN not in the state",
        "2176 / 2177 / 2240 / 2178",
        &["2176", "2177", "2240", "2178"],
    ),
    failure(
        "GF-8",
        Api::GenerateIrn,
        "Future document date",
        "2163",
        &["2163"],
    ),
    failure(
        "GF-9",
        Api::GenerateIrn,
        "Document older than 30 days (AATO at or above the threshold)",
        "2305",
        &["2305"],
    ),
    failure(
        "GF-10",
        Api::GenerateIrn,
        "Supplier GSTIN = recipient GSTIN",
        "2211",
        &["2211"],
    ),
    failure(
        "GF-11",
        Api::GenerateIrn,
        "GSTIN state code differs from Stcd",
        "2258 / 2265",
        &["2258", "2265"],
    ),
    failure(
        "GF-12",
        Api::GenerateIrn,
        "Tax head against place of supply (IGST intra / CGST+SGST inter)",
        "2172 / 2174",
        &["2172", "2174"],
    ),
    failure(
        "GF-13",
        Api::GenerateIrn,
        "Export with a registered buyer or POS not 96",
        "2248 / 2229",
        &["2248", "2229"],
    ),
    failure(
        "GF-14",
        Api::GenerateIrn,
        "SEZ supply with CGST/SGST",
        "2237",
        &["2237"],
    ),
    // 2192 (TotAmt ≠ Qty × UnitPrice) is the third item-total rule; the note names two.
    failure(
        "GF-15",
        Api::GenerateIrn,
        "Item totals wrong (TotAmt, AssAmt, TotItemVal)",
        "2192 / 2193 / 2194",
        &["2192", "2193", "2194"],
    ),
    failure(
        "GF-16",
        Api::GenerateIrn,
        "Invoice totals wrong (AssVal, tax heads, TotInvVal)",
        "2182–2189",
        &[
            "2182", "2183", "2184", "2185", "2186", "2187", "2188", "2189",
        ],
    ),
    failure(
        "GF-17",
        Api::GenerateIrn,
        "Empty ItemList or duplicate SlNo",
        "2228 / 2233",
        &["2228", "2233"],
    ),
    failure(
        "GF-18",
        Api::GenerateIrn,
        "Supplier not e-invoice enabled",
        "3026",
        &["3026"],
    ),
    // Beyond the reference catalogue: further rules the onboarding suite shows.
    failure(
        "GF-19",
        Api::GenerateIrn,
        "Reverse charge on a supply other than B2B",
        "2162",
        &["2162"],
    ),
    failure(
        "GF-20",
        Api::GenerateIrn,
        "IgstOnIntra Y on an inter-state supply",
        "2262",
        &["2262"],
    ),
    // 4.3 Cancel IRN.
    success("C-1", Api::CancelIrn, "Own IRN within 24 h").expecting("Status 1; Irn, CancelDate"),
    failure(
        "C-2",
        Api::CancelIrn,
        "Already cancelled",
        "9999",
        &["9999"],
    ),
    failure(
        "C-3",
        Api::CancelIrn,
        "IRN with an active e-way bill",
        "2230",
        &["2230"],
    ),
    failure(
        "C-4",
        Api::CancelIrn,
        "IRN of another GSTIN",
        "2143",
        &["2143"],
    ),
    failure(
        "C-5",
        Api::CancelIrn,
        "More than 24 h after generation",
        "2270",
        &["2270"],
    )
    .needing(CLOCK),
    failure(
        "C-6",
        Api::CancelIrn,
        "Invalid CnlRsn or IRN not 64 characters",
        "2140",
        &["2140"],
    ),
    failure("C-7", Api::CancelIrn, "Unknown IRN", "2148", &["2148"]),
    // 4.4 Get IRN details.
    success("R-1", Api::GetIrn, "Own IRN, recent").expecting("Status 1, Status ACT"),
    success("R-2", Api::GetIrn, "Cancelled IRN").expecting("Status 1, Status CNL"),
    failure(
        "R-3",
        Api::GetIrn,
        "Older than the retrieval window",
        "2283",
        &["2283"],
    )
    .needing(CLOCK),
    failure("R-4", Api::GetIrn, "Unknown IRN", "2148", &["2148"]),
    failure(
        "R-5",
        Api::GetIrn,
        "IRN of another GSTIN",
        "2143 (or 2226)",
        &["2143", "2226"],
    ),
    // RD-1 is one line of the note with two outcomes; it is two rows here.
    success("RD-1", Api::GetIrnByDocument, "By document details, found"),
    failure(
        "RD-1-NF",
        Api::GetIrnByDocument,
        "By document details, not found",
        "2148",
        &["2148"],
    ),
    // Not in NIC's list: "Get rejected IRNs", what cross-IRP de-duplication refused.
    success("RJ-1", Api::RejectedIrns, "Rejected IRNs of a day, listed"),
    // 4.5 Get GSTIN details.
    success("GS-1", Api::GstinDetails, "Own GSTIN"),
    success("GS-2", Api::GstinDetails, "Another party's GSTIN"),
    failure(
        "GS-3",
        Api::GstinDetails,
        "Unknown GSTIN",
        "3001",
        &["3001"],
    ),
    failure(
        "GS-4",
        Api::GstinDetails,
        "Malformed GSTIN",
        "3028 (or 3030)",
        &["3028", "3030"],
    ),
    // The note allows 3029 as well; the emulator (and the sandbox, as far as known) answers
    // Status 1 with the status in the data, so a 3029 here is an unmatched failure.
    success("GS-5", Api::GstinDetails, "Cancelled or inactive GSTIN")
        .expecting("Status 1, Status CNL / INA"),
    success("GS-6", Api::SyncGstin, "Sync from the common portal"),
    // 4.6 Generate e-way bill by IRN.
    success(
        "E-1",
        Api::GenerateEwb,
        "Road, vehicle number and type (Part-A and Part-B)",
    )
    .expecting("Status 1; EwbNo, EwbDt, EwbValidTill"),
    success("E-2", Api::GenerateEwb, "Part-A only, with transporter id")
        .expecting("Status 1; EwbNo, no EwbValidTill"),
    success(
        "E-3",
        Api::GenerateEwb,
        "Rail, air or ship with transport document",
    ),
    success("E-4", Api::GenerateEwb, "Distance 0").expecting("Status 1; InfoDtls EWBPPD"),
    failure("E-5", Api::GenerateEwb, "Cancelled IRN", "4000", &["4000"]),
    failure(
        "E-6",
        Api::GenerateEwb,
        "E-way bill already exists for the IRN",
        "4002",
        &["4002"],
    ),
    failure(
        "E-7",
        Api::GenerateEwb,
        "Services only, or credit / debit note",
        "4009 / 4010",
        &["4009", "4010"],
    ),
    failure(
        "E-8",
        Api::GenerateEwb,
        "Road without vehicle number or type",
        "4011 / 4022",
        &["4011", "4022"],
    ),
    failure(
        "E-9",
        Api::GenerateEwb,
        "Same PIN with distance 0",
        "4029",
        &["4029"],
    ),
    // E-10 is one line of the note with two outcomes; it is two rows here.
    success("E-10", Api::GetEwb, "Get e-way bill by IRN, found"),
    failure(
        "E-10-NF",
        Api::GetEwb,
        "Get e-way bill by IRN, not found",
        "4005",
        &["4005"],
    ),
    success(
        "E-11",
        Api::CancelEwb,
        "Cancel e-way bill (sandbox API, CANEWB)",
    )
    .expecting("status \"1\"; ewayBillNo, cancelDate"),
];
