//! The scenario file model: what a scenario file may say, as Rust types.
//!
//! Every struct refuses unknown fields, so a misspelt key is an error before anything runs
//! rather than an expectation silently not checked. `schemas/scenario.schema.json` describes
//! the same shape for editors; both gates run on every file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{api::Api, report::Kind};

/// A scenario: named steps run in order, `repeat` times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The schema reference editors use (`../../schemas/scenario.schema.json`); not used.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Unique name (the file name without `.json` by convention).
    pub name: String,
    /// What it proves.
    #[serde(default)]
    pub description: String,
    /// Tags for `--filter`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// What the target must offer; a scenario needing `control` runs only on the emulator.
    #[serde(default)]
    pub requires: Vec<Requirement>,
    /// How many times to run the steps (fresh document numbers and invoices each time).
    #[serde(default = "one")]
    pub repeat: u32,
    /// The steps.
    pub steps: Vec<Step>,
}

fn one() -> u32 {
    1
}

/// Something a scenario needs from the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// The emulator's control namespace (`/__emulator__/`): clock, faults, taxpayers.
    Control,
}

/// What a step calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Call {
    /// Authenticate (and keep the session for the role unless the request was altered).
    Auth,
    /// Generate IRN.
    GenerateIrn,
    /// Get IRN details.
    GetIrn,
    /// Get IRN by document details.
    GetIrnByDocument,
    /// Cancel IRN.
    CancelIrn,
    /// Get GSTIN details.
    GstinDetails,
    /// Sync GSTIN from the common portal.
    SyncGstin,
    /// Generate e-way bill by IRN.
    GenerateEwb,
    /// Get e-way bill by IRN.
    GetEwb,
    /// Cancel e-way bill (sandbox e-way bill API).
    CancelEwb,
    /// Get rejected IRNs (`params.date`, `dd/MM/yyyy`).
    RejectedIrns,
    /// An emulator control request (needs [`Requirement::Control`]).
    Control,
}

impl Call {
    /// The IRP API this call is, or `None` for control.
    pub fn api(self) -> Option<Api> {
        Some(match self {
            Call::Auth => Api::Auth,
            Call::GenerateIrn => Api::GenerateIrn,
            Call::GetIrn => Api::GetIrn,
            Call::GetIrnByDocument => Api::GetIrnByDocument,
            Call::CancelIrn => Api::CancelIrn,
            Call::GstinDetails => Api::GstinDetails,
            Call::SyncGstin => Api::SyncGstin,
            Call::GenerateEwb => Api::GenerateEwb,
            Call::GetEwb => Api::GetEwb,
            Call::CancelEwb => Api::CancelEwb,
            Call::RejectedIrns => Api::RejectedIrns,
            Call::Control => return None,
        })
    }
}

/// One step. Strings anywhere in `invoice`, `body`, `params`, `headers`, `auth`, `patch`
/// values and `expect.values` are templates (`${irn}`, `${gstin.buyer_other_state}`,
/// `${doc_no}`, `${today}`, `${today-3}`, `${doc_no|lower}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Step name, unique in the scenario; captures and `resend` refer to it.
    pub name: String,
    /// What to call.
    pub call: Call,
    /// The profile role whose session makes the call.
    #[serde(rename = "as", default = "supplier")]
    pub role: String,
    /// Generate IRN: the invoice to generate from the seeded generator.
    #[serde(default)]
    pub invoice: Option<InvoiceSpec>,
    /// Generate e-way bill: the transport details to generate the body from.
    #[serde(default)]
    pub ewb: Option<EwbSpec>,
    /// Send again the request body of an earlier step (by step name).
    #[serde(default)]
    pub resend: Option<String>,
    /// The request body (cancel, e-way bill, control), or the whole invoice as a template.
    #[serde(default)]
    pub body: Option<Value>,
    /// Changes applied to the request body after it is built.
    #[serde(default)]
    pub patch: Vec<Patch>,
    /// Path and query parameters: `irn`, `gstin`, `doctype`, `docnum`, `docdate`; for
    /// control, `method` and `path`.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// Header overrides; `null` removes a header.
    #[serde(default)]
    pub headers: BTreeMap<String, Option<String>>,
    /// Auth: how to alter the credentials or their encryption.
    #[serde(default)]
    pub auth: Option<AuthVariant>,
    /// What the answer must show.
    #[serde(default)]
    pub expect: Expect,
    /// Values to keep for later steps: name → JSON pointer into the answer (`/Data/Irn`)
    /// or into the request (`request:/DocDtls/No`).
    #[serde(default)]
    pub capture: BTreeMap<String, String>,
    /// The IRP the step calls, by name, when the run has several (default: the first).
    #[serde(default)]
    pub irp: Option<String>,
    /// The IRP to carry the call to when it still fails transiently at its own (see the
    /// scenario schema's `failover`).
    #[serde(default)]
    pub failover: Option<String>,
    /// Whether the harness's client may retry this call under its retry policy (default
    /// true; a step that expects to see a fault's answer itself sets false).
    #[serde(default = "yes")]
    pub retry: bool,
    /// The report row this step counts toward.
    #[serde(default)]
    pub report: Option<ReportRow>,
}

fn yes() -> bool {
    true
}

fn supplier() -> String {
    "supplier".to_owned()
}

/// A JSON-pointer edit of the request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    /// JSON pointer (`/ValDtls/TotInvVal`); `-` appends to an array.
    pub path: String,
    /// The new value; absent removes the member.
    #[serde(default)]
    pub value: Option<Value>,
}

/// How an auth request is altered for a failure case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthVariant {
    /// `UserName` instead of the role's.
    #[serde(default)]
    pub username: Option<String>,
    /// `Password` instead of the role's.
    #[serde(default)]
    pub password: Option<String>,
    /// `AppKey` text sent as is (e.g. not base64, or a 10-byte key).
    #[serde(default)]
    pub app_key: Option<String>,
    /// `ForceRefreshAccessToken`.
    #[serde(default)]
    pub force_refresh: bool,
    /// Credentials JSON members to leave out.
    #[serde(default)]
    pub omit: Vec<String>,
    /// How the credentials are encrypted.
    #[serde(default)]
    pub encryption: Encryption,
}

/// Encryption of the credentials block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encryption {
    /// RSA PKCS#1 v1.5 with the target's public key (correct).
    #[default]
    Pkcs1,
    /// RSA-OAEP (SHA-1) with the target's public key.
    Oaep,
    /// PKCS#1 v1.5 with a freshly made key the target does not hold.
    WrongKey,
    /// `Data` that is not base64.
    NotBase64,
}

impl From<Encryption> for irp_client::Encryption {
    fn from(how: Encryption) -> Self {
        match how {
            Encryption::Pkcs1 => Self::Pkcs1,
            Encryption::Oaep => Self::Oaep,
            Encryption::WrongKey => Self::WrongKey,
            Encryption::NotBase64 => Self::NotBase64,
        }
    }
}

/// The generated invoice of a Generate IRN step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceSpec {
    /// `SupTyp`.
    #[serde(default)]
    pub supply: SupplyType,
    /// `DocTyp`.
    #[serde(default)]
    pub doc_type: DocType,
    /// Buyer role; defaults by supply type (`buyer_same_state`, `sez_unit`, export: URP).
    #[serde(default)]
    pub buyer: Option<String>,
    /// Items on the invoice.
    #[serde(default = "one")]
    pub items: u32,
    /// Services only (HSN 99…, `IsServc` Y).
    #[serde(default)]
    pub services: bool,
    /// `RegRev` Y.
    #[serde(default)]
    pub reverse_charge: bool,
    /// `IgstOnIntra` Y (IGST on an intra-state supply).
    #[serde(default)]
    pub igst_on_intra: bool,
    /// Dispatch-from and ship-to blocks.
    #[serde(default)]
    pub dispatch_ship: bool,
    /// `EwbDtls`: generate the e-way bill in the same call.
    #[serde(default)]
    pub ewb: Option<EwbSpec>,
    /// Document date, days relative to the target's today (0 today, -3 three days ago).
    #[serde(default)]
    pub date_offset_days: i32,
    /// Document number template; default a fresh unique number.
    #[serde(default)]
    pub doc_no: Option<String>,
}

/// Supply type (`SupTyp`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SupplyType {
    /// Business to business.
    #[default]
    B2b,
    /// SEZ with payment.
    Sezwp,
    /// SEZ without payment.
    Sezwop,
    /// Export with payment.
    Expwp,
    /// Export without payment.
    Expwop,
    /// Deemed export.
    Dexp,
}

/// Document type (`DocTyp`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum DocType {
    /// Invoice.
    #[default]
    Inv,
    /// Credit note.
    Crn,
    /// Debit note.
    Dbn,
}

/// E-way bill details inside an invoice, or of a Generate e-way bill step's generated body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EwbSpec {
    /// `TransMode` 1 road, 2 rail, 3 air, 4 ship; absent for Part-A only.
    #[serde(default)]
    pub mode: Option<u8>,
    /// `Distance` in km; 0 asks the IRP to compute it.
    #[serde(default)]
    pub distance: u32,
    /// Include a transporter id (`TransId`).
    #[serde(default)]
    pub transporter: bool,
}

/// What the answer must show. Every present member is checked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// `Status`: 1 accepted, 0 rejected.
    #[serde(default)]
    pub status: Option<u8>,
    /// Error codes that must all be in `ErrorDetails`.
    #[serde(default)]
    pub error_codes: Vec<String>,
    /// Info codes (`InfCd`) that must all be in `InfoDtls`.
    #[serde(default)]
    pub info_codes: Vec<String>,
    /// JSON pointer into the answer (with `Data` decrypted) → the value it must hold
    /// (templates allowed).
    #[serde(default)]
    pub values: BTreeMap<String, Value>,
    /// JSON pointer → a value it must *not* hold (a new token differs from the old one).
    #[serde(default)]
    pub differs: BTreeMap<String, Value>,
    /// JSON pointers that must be present and not null.
    #[serde(default)]
    pub present: Vec<String>,
    /// JSON pointers that must be absent or null.
    #[serde(default)]
    pub absent: Vec<String>,
    /// Whether the harness's client had to retry the call (transient failures, a 1005
    /// renewal): `true` in the retry scenarios, where a fault is meant to be met.
    #[serde(default)]
    pub retried: Option<bool>,
    /// Whether the answer is a registration read back after a 2150 met on a retry (the IRN
    /// was committed and its answer lost).
    #[serde(default)]
    pub reconciled: Option<bool>,
    /// `SignedInvoice` and `SignedQRCode` verify with the target's certificate.
    #[serde(default)]
    pub signature_valid: bool,
    /// The signed QR code's fields equal the invoice sent.
    #[serde(default)]
    pub qr_matches_invoice: bool,
    /// The decrypted `Data` validates against the named response schema
    /// (`schemas/responses.schema.json#/$defs/<name>`).
    #[serde(default)]
    pub schema: Option<String>,
}

impl Expect {
    /// Success or failure case, from the expected `Status`.
    pub fn kind(&self) -> Kind {
        if self.status == Some(0) || !self.error_codes.is_empty() {
            Kind::Failure
        } else {
            Kind::Success
        }
    }
}

/// The report row a step counts toward.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRow {
    /// Case id of the catalogue (`G-1`, `GF-12`).
    pub case: String,
    /// The feature shown, in words (templates allowed).
    pub feature: String,
}
