//! The wire shapes of a taxpayer: the IRP's GSTIN-details object out, and the same object
//! plus `AatoCrore`, `EinvoiceEnabled` and `Users` in (the control API and the data set).

use serde::{Deserialize, Serialize};
use time::{Date, format_description::BorrowedFormatItem, macros::format_description};

use super::{ApiUser, BlockStatus, Taxpayer, TaxpayerStatus, TaxpayerType};
use crate::{
    gstin::{Gstin, GstinError},
    masters,
    secret::Password,
};

const ISO_DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// A number that some clients send as a JSON string (`"29"`) and NIC sends as a number.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum NumberOrText {
    Number(u64),
    Text(String),
}

impl NumberOrText {
    fn value(&self) -> Option<u64> {
        match self {
            Self::Number(n) => Some(*n),
            Self::Text(t) => t.trim().parse().ok(),
        }
    }
}

/// A user in the control API: `{"UserName","Password"}`, optionally `Clients`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserInput {
    /// User name.
    pub user_name: String,
    /// Password.
    pub password: String,
    /// Client ids the user is limited to (default: any).
    #[serde(default)]
    pub clients: Vec<String>,
}

/// The body of `POST /__emulator__/taxpayers` and one entry of the data set. Only `Gstin`,
/// `LegalName`, `StateCode` and `AddrPncd` are required; the rest default to an active,
/// regular, e-invoice-enabled taxpayer registered on 2017-07-01 with no API users.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TaxpayerInput {
    gstin: String,
    legal_name: String,
    #[serde(default)]
    trade_name: Option<String>,
    #[serde(default)]
    addr_bnm: Option<String>,
    #[serde(default)]
    addr_bno: Option<String>,
    #[serde(default)]
    addr_flno: Option<String>,
    #[serde(default)]
    addr_st: Option<String>,
    #[serde(default)]
    addr_loc: Option<String>,
    state_code: NumberOrText,
    addr_pncd: NumberOrText,
    #[serde(default)]
    txp_type: Option<TaxpayerType>,
    #[serde(default)]
    status: Option<TaxpayerStatus>,
    #[serde(default)]
    blk_status: Option<BlockStatus>,
    #[serde(default)]
    dt_reg: Option<String>,
    #[serde(default, rename = "DtDReg")]
    dt_dreg: Option<String>,
    #[serde(default)]
    aato_crore: Option<f64>,
    #[serde(default)]
    einvoice_enabled: Option<bool>,
    #[serde(default)]
    users: Vec<UserInput>,
}

/// Why a taxpayer record was refused.
#[derive(Debug, thiserror::Error)]
pub enum TaxpayerInputError {
    /// The GSTIN is malformed.
    #[error("Gstin: {0}")]
    Gstin(#[from] GstinError),
    /// A field is out of range or unparsable.
    #[error("{field}: {reason}")]
    Field {
        /// The field name.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
}

fn field(field: &'static str, reason: impl Into<String>) -> TaxpayerInputError {
    TaxpayerInputError::Field {
        field,
        reason: reason.into(),
    }
}

fn date(text: &str, name: &'static str) -> Result<Date, TaxpayerInputError> {
    Date::parse(text, ISO_DATE).map_err(|_| field(name, "expected yyyy-MM-dd"))
}

/// The longest text field of a taxpayer record, in characters (NIC's `LglNm` and address
/// fields allow 100; the margin admits GSTN's longer master names).
pub const MAX_TEXT: usize = 200;
/// The most API users one taxpayer may have, and clients one user may be limited to.
pub const MAX_USERS: usize = 20;
/// The longest user name, password or client id, in characters.
pub const MAX_CREDENTIAL: usize = 100;

fn bounded(name: &'static str, text: Option<&str>, max: usize) -> Result<(), TaxpayerInputError> {
    match text {
        Some(t) if t.chars().count() > max => Err(field(name, format!("at most {max} characters"))),
        _ => Ok(()),
    }
}

impl TaxpayerInput {
    /// Refuses records beyond the documented bounds before anything is built from them.
    fn check_bounds(&self) -> Result<(), TaxpayerInputError> {
        for (name, text) in [
            ("LegalName", Some(self.legal_name.as_str())),
            ("TradeName", self.trade_name.as_deref()),
            ("AddrBnm", self.addr_bnm.as_deref()),
            ("AddrBno", self.addr_bno.as_deref()),
            ("AddrFlno", self.addr_flno.as_deref()),
            ("AddrSt", self.addr_st.as_deref()),
            ("AddrLoc", self.addr_loc.as_deref()),
        ] {
            bounded(name, text, MAX_TEXT)?;
        }
        if self.users.len() > MAX_USERS {
            return Err(field("Users", format!("at most {MAX_USERS} users")));
        }
        for user in &self.users {
            bounded("Users.UserName", Some(&user.user_name), MAX_CREDENTIAL)?;
            bounded("Users.Password", Some(&user.password), MAX_CREDENTIAL)?;
            if user.clients.len() > MAX_USERS {
                return Err(field(
                    "Users.Clients",
                    format!("at most {MAX_USERS} clients"),
                ));
            }
            for client in &user.clients {
                bounded("Users.Clients", Some(client), MAX_CREDENTIAL)?;
            }
        }
        Ok(())
    }

    /// Checks the record and turns it into a [`Taxpayer`].
    pub fn into_taxpayer(self) -> Result<Taxpayer, TaxpayerInputError> {
        self.check_bounds()?;
        let gstin = Gstin::parse(self.gstin.trim())?;
        let state_code = self
            .state_code
            .value()
            .and_then(|n| u8::try_from(n).ok())
            .filter(|n| masters::state(*n).is_some())
            .ok_or_else(|| field("StateCode", "not a state code of the master"))?;
        let pincode = self
            .addr_pncd
            .value()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| (100_000..=999_999).contains(n))
            .ok_or_else(|| field("AddrPncd", "a PIN code has six digits"))?;
        if self.legal_name.trim().is_empty() {
            return Err(field("LegalName", "must not be empty"));
        }
        let aato_crore = self.aato_crore.unwrap_or(0.0);
        if !aato_crore.is_finite() || aato_crore < 0.0 {
            return Err(field("AatoCrore", "must be a non-negative number"));
        }
        let users = self
            .users
            .into_iter()
            .map(|u| {
                if u.user_name.trim().is_empty() || u.password.is_empty() {
                    return Err(field("Users", "UserName and Password must not be empty"));
                }
                Ok(ApiUser {
                    user_name: u.user_name,
                    password: Password::new(u.password),
                    clients: u.clients,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Taxpayer {
            gstin,
            legal_name: self.legal_name,
            trade_name: self.trade_name,
            addr_bnm: self.addr_bnm,
            addr_bno: self.addr_bno,
            addr_flno: self.addr_flno,
            addr_st: self.addr_st,
            addr_loc: self.addr_loc,
            state_code,
            pincode,
            taxpayer_type: self.txp_type.unwrap_or(TaxpayerType::Regular),
            status: self.status.unwrap_or(TaxpayerStatus::Active),
            block_status: self.blk_status,
            registered_on: match self.dt_reg.as_deref() {
                Some(text) => date(text, "DtReg")?,
                None => time::macros::date!(2017 - 07 - 01),
            },
            deregistered_on: self
                .dt_dreg
                .as_deref()
                .map(|t| date(t, "DtDReg"))
                .transpose()?,
            aato_crore,
            einvoice_enabled: self.einvoice_enabled.unwrap_or(true),
            users,
        })
    }
}

/// The decrypted `Data` of Get GSTIN details, keys in NIC's order.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct GstinDetails {
    /// GSTIN.
    pub gstin: String,
    /// Trade name.
    pub trade_name: Option<String>,
    /// Legal name.
    pub legal_name: String,
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
    /// State code (a number, as in NIC's sample).
    pub state_code: u8,
    /// PIN code (a number).
    pub addr_pncd: u32,
    /// Taxpayer type.
    pub txp_type: TaxpayerType,
    /// Status.
    pub status: TaxpayerStatus,
    /// Block status.
    pub blk_status: Option<BlockStatus>,
    /// Registration date, `yyyy-MM-dd`.
    pub dt_reg: String,
    /// Deregistration date, `yyyy-MM-dd`.
    #[serde(rename = "DtDReg")]
    pub dt_dreg: Option<String>,
}

impl From<&Taxpayer> for GstinDetails {
    fn from(t: &Taxpayer) -> Self {
        let iso = |d: Date| d.format(ISO_DATE).unwrap_or_default();
        Self {
            gstin: t.gstin.to_string(),
            trade_name: t.trade_name.clone(),
            legal_name: t.legal_name.clone(),
            addr_bnm: t.addr_bnm.clone(),
            addr_bno: t.addr_bno.clone(),
            addr_flno: t.addr_flno.clone(),
            addr_st: t.addr_st.clone(),
            addr_loc: t.addr_loc.clone(),
            state_code: t.state_code,
            addr_pncd: t.pincode,
            txp_type: t.taxpayer_type,
            status: t.status,
            blk_status: t.block_status,
            dt_reg: iso(t.registered_on),
            dt_dreg: t.deregistered_on.map(iso),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Taxpayer, String> {
        serde_json::from_str::<TaxpayerInput>(json)
            .map_err(|e| e.to_string())?
            .into_taxpayer()
            .map_err(|e| e.to_string())
    }

    #[test]
    fn minimal_record_takes_the_defaults() {
        let t = parse(
            r#"{"Gstin":"29AAACL1111A1ZD","LegalName":"X","StateCode":29,"AddrPncd":"560001"}"#,
        )
        .unwrap();
        assert_eq!(t.status, TaxpayerStatus::Active);
        assert_eq!(t.taxpayer_type, TaxpayerType::Regular);
        assert!(t.einvoice_enabled);
        assert!(t.users.is_empty());
        assert_eq!(t.pincode, 560_001);
    }

    #[test]
    fn refusals() {
        for (json, needle) in [
            (
                r#"{"Gstin":"29AAACL1111A1Z","LegalName":"X","StateCode":29,"AddrPncd":560001}"#,
                "15 characters",
            ),
            (
                r#"{"Gstin":"29AAACL1111A1ZD","LegalName":"X","StateCode":77,"AddrPncd":560001}"#,
                "StateCode",
            ),
            (
                r#"{"Gstin":"29AAACL1111A1ZD","LegalName":"X","StateCode":29,"AddrPncd":56000}"#,
                "AddrPncd",
            ),
            (
                r#"{"Gstin":"29AAACL1111A1ZD","LegalName":"X","StateCode":29,"AddrPncd":560001,"Status":"XYZ"}"#,
                "unknown variant",
            ),
            (
                r#"{"Gstin":"29AAACL1111A1ZD","LegalName":"X","StateCode":29,"AddrPncd":560001,"DtReg":"01/07/2017"}"#,
                "DtReg",
            ),
            (
                r#"{"Gstin":"29AAACL1111A1ZD","LegalName":"X","StateCode":29,"AddrPncd":560001,"Bogus":1}"#,
                "unknown field",
            ),
            (
                r#"{"Gstin":"29AAACL1111A1ZD","StateCode":29,"AddrPncd":560001}"#,
                "LegalName",
            ),
        ] {
            let err = parse(json).unwrap_err();
            assert!(err.contains(needle), "{json}: {err}");
        }
    }
}
