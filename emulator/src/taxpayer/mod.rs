//! The taxpayer (GSTIN) master: who exists, their status, turnover, and which API users and
//! clients may act for them.
//!
//! The real IRP validates GSTINs against GSTN's taxpayer master, not the checksum; the
//! emulator does the same against this master, loaded at start from the documented "magic
//! GSTIN" data set (`emulator/data/taxpayers.json`) and editable at run time through
//! `POST /__emulator__/taxpayers`.

mod book;
mod input;
mod master;
mod rows;

use serde::{Deserialize, Serialize};
use time::Date;

pub use self::book::{TaxpayerBook, TaxpayerChangeError, TaxpayerOpenError};
pub use self::input::{
    GstinDetails, MAX_CREDENTIAL, MAX_TEXT, MAX_USERS, TaxpayerInput, TaxpayerInputError, UserInput,
};
pub use self::master::{MasterError, TaxpayerMaster};
use crate::{gstin::Gstin, secret::Password};

/// Taxpayer type, as in `TxpType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxpayerType {
    /// Regular.
    #[serde(rename = "REG")]
    Regular,
    /// Composition.
    #[serde(rename = "COM")]
    Composition,
    /// SEZ unit.
    #[serde(rename = "SEZ")]
    SezUnit,
    /// SEZ developer.
    #[serde(rename = "SED")]
    SezDeveloper,
    /// Input service distributor.
    #[serde(rename = "ISD")]
    InputServiceDistributor,
    /// Tax deductor at source.
    #[serde(rename = "TDS")]
    TaxDeductor,
    /// Tax collector at source (e-commerce operator).
    #[serde(rename = "TCS")]
    TaxCollector,
    /// Non-resident taxable person.
    #[serde(rename = "NRT")]
    NonResident,
    /// Casual taxable person.
    #[serde(rename = "CAS")]
    Casual,
    /// Online information and database access provider.
    #[serde(rename = "OID")]
    Oidar,
    /// UN body / embassy.
    #[serde(rename = "UNB")]
    UnBody,
}

/// Registration status, as in `Status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxpayerStatus {
    /// Active.
    #[serde(rename = "ACT")]
    Active,
    /// Cancelled.
    #[serde(rename = "CNL")]
    Cancelled,
    /// Inactive.
    #[serde(rename = "INA")]
    Inactive,
    /// Provisional.
    #[serde(rename = "PRO")]
    Provisional,
    /// Suspended.
    #[serde(rename = "SUS")]
    Suspended,
}

/// Block status, as in `BlkStatus` (blocked for e-way bills under rule 138E).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlockStatus {
    /// Blocked.
    #[serde(rename = "B")]
    Blocked,
    /// Unblocked.
    #[serde(rename = "U")]
    Unblocked,
}

/// An API user of a taxpayer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiUser {
    /// The user name sent in the credentials and the `user_name` header.
    pub user_name: String,
    /// The password.
    pub password: Password,
    /// Client ids this user may authenticate through; empty means any registered client.
    pub clients: Vec<String>,
}

impl ApiUser {
    /// Whether the user may act through `client_id`.
    pub fn may_use_client(&self, client_id: &str) -> bool {
        self.clients.is_empty() || self.clients.iter().any(|c| c == client_id)
    }
}

/// One taxpayer of the master.
#[derive(Debug, Clone, PartialEq)]
pub struct Taxpayer {
    /// The GSTIN.
    pub gstin: Gstin,
    /// Legal name.
    pub legal_name: String,
    /// Trade name.
    pub trade_name: Option<String>,
    /// Building name.
    pub addr_bnm: Option<String>,
    /// Building number.
    pub addr_bno: Option<String>,
    /// Floor number.
    pub addr_flno: Option<String>,
    /// Street.
    pub addr_st: Option<String>,
    /// Locality.
    pub addr_loc: Option<String>,
    /// State code of the principal place of business.
    pub state_code: u8,
    /// PIN code.
    pub pincode: u32,
    /// Taxpayer type.
    pub taxpayer_type: TaxpayerType,
    /// Registration status.
    pub status: TaxpayerStatus,
    /// Block status, when known.
    pub block_status: Option<BlockStatus>,
    /// Date of registration.
    pub registered_on: Date,
    /// Date of cancellation or deregistration.
    pub deregistered_on: Option<Date>,
    /// Annual aggregate turnover in crore rupees (drives the 30-day reporting rule).
    pub aato_crore: f64,
    /// Whether e-invoicing is enabled for this GSTIN.
    pub einvoice_enabled: bool,
    /// API users that may act for this GSTIN.
    pub users: Vec<ApiUser>,
}

impl Taxpayer {
    /// Active, in the sense the auth API (1014) and the invoice rules (3029) use.
    pub fn is_active(&self) -> bool {
        matches!(
            self.status,
            TaxpayerStatus::Active | TaxpayerStatus::Provisional
        )
    }

    /// The user with this name, if it belongs to this taxpayer.
    pub fn user(&self, user_name: &str) -> Option<&ApiUser> {
        self.users.iter().find(|u| u.user_name == user_name)
    }
}
