//! The e-way bill APIs' wire shapes: the IRP's own (PascalCase, `POST /eiewb/v1.03/ewaybill`
//! and `GET …/irn/{irn}`) and the e-way bill system's cancel (camelCase), kept apart from
//! the rules so the rules read typed values, never JSON.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use crate::{
    clock::IST,
    invoice::{EwbDtls, EwbNo, Num},
    spelling::{Spelled, Spelling},
};

/// A ship-to or dispatch-from address of the e-way bill request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EwbAddress {
    /// Name (dispatch only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nm: Option<String>,
    /// Address line 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr1: Option<String>,
    /// Address line 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    /// Location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loc: Option<String>,
    /// PIN code.
    pub pin: Num,
    /// State code.
    pub stcd: String,
}

/// The body of `POST /eiewb/v1.03/ewaybill`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EwbRequest {
    /// The IRN.
    pub irn: String,
    /// Distance in km; 0 or absent asks for the computed distance.
    #[serde(default)]
    pub distance: Option<Num>,
    /// 1 road, 2 rail, 3 air, 4 ship.
    #[serde(default)]
    pub trans_mode: Option<String>,
    /// Transporter id.
    #[serde(default)]
    pub trans_id: Option<String>,
    /// Transporter name.
    #[serde(default)]
    pub trans_name: Option<String>,
    /// Transport document date.
    #[serde(default)]
    pub trans_doc_dt: Option<String>,
    /// Transport document number.
    #[serde(default)]
    pub trans_doc_no: Option<String>,
    /// Vehicle number.
    #[serde(default)]
    pub veh_no: Option<String>,
    /// Vehicle type.
    #[serde(default)]
    pub veh_type: Option<String>,
    /// Ship-to address for exports.
    #[serde(default)]
    pub exp_ship_dtls: Option<EwbAddress>,
    /// Dispatch-from address.
    #[serde(default)]
    pub disp_dtls: Option<EwbAddress>,
}

/// Keys in any case; `TransMode` and `VehType` codes in any case (`"r"` is `"R"`).
impl Spelled for EwbRequest {
    fn spelling() -> Option<&'static Spelling> {
        static SPELLING: LazyLock<Spelling> = LazyLock::new(|| {
            let address = || Spelling::names(&["Nm", "Addr1", "Addr2", "Loc", "Pin", "Stcd"]);
            Spelling::object([
                ("Irn", Spelling::default()),
                ("Distance", Spelling::default()),
                ("TransMode", Spelling::codes(&["1", "2", "3", "4"])),
                ("TransId", Spelling::default()),
                ("TransName", Spelling::default()),
                ("TransDocDt", Spelling::default()),
                ("TransDocNo", Spelling::default()),
                ("VehNo", Spelling::default()),
                ("VehType", Spelling::codes(&["O", "R"])),
                ("ExpShipDtls", address()),
                ("DispDtls", address()),
            ])
        });
        Some(&SPELLING)
    }
}

impl EwbRequest {
    /// The transport part, in the shape of an invoice's `EwbDtls`.
    pub fn transport(&self) -> EwbDtls {
        EwbDtls {
            trans_id: self.trans_id.clone(),
            trans_name: self.trans_name.clone(),
            trans_mode: self.trans_mode.clone(),
            distance: self.distance.clone().unwrap_or_else(|| Num::from(0_u64)),
            trans_doc_no: self.trans_doc_no.clone(),
            trans_doc_dt: self.trans_doc_dt.clone(),
            veh_no: self.veh_no.clone(),
            veh_type: self.veh_type.clone(),
        }
    }
}

/// The decrypted `Data` of a generated e-way bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EwbAnswer {
    /// 12-digit number.
    pub ewb_no: EwbNo,
    /// Generation time.
    pub ewb_dt: String,
    /// Validity end, when Part-B was given.
    pub ewb_valid_till: Option<String>,
    /// Always null.
    pub remarks: Option<String>,
}

/// A generated e-way bill and its `InfoDtls` (EWBPPD).
#[derive(Debug)]
pub struct EwbMade {
    /// `Data`.
    pub answer: EwbAnswer,
    /// `InfoDtls`.
    pub info: Option<Value>,
}

/// `GET /eiewb/v1.03/ewaybill/irn/{irn}` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EwbDetails {
    /// 12-digit number.
    pub ewb_no: EwbNo,
    /// `ACT` or `CNL`.
    pub status: String,
    /// The GSTIN that generated it.
    pub gen_gstin: String,
    /// Generation time.
    pub ewb_dt: String,
    /// Validity end.
    pub ewb_valid_till: Option<String>,
}

/// The decrypted cancel request of the e-way bill system (`action` `CANEWB`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelEwbRequest {
    /// The e-way bill number (any number: an unknown one is answered 325), as a JSON number
    /// or a string of digits (India Compliance sends a string, and NIC accepts it).
    #[serde(deserialize_with = "number_or_digits")]
    pub ewb_no: EwbNo,
    /// Reason code 1–4, as a number or a string.
    pub cancel_rsn_code: Value,
    /// Remark, at most 50 characters.
    #[serde(default)]
    pub cancel_rmrk: Option<String>,
}

/// Keys in any case (`EwbNo`, `CANCELRSNCODE`).
impl Spelled for CancelEwbRequest {
    fn spelling() -> Option<&'static Spelling> {
        static SPELLING: LazyLock<Spelling> =
            LazyLock::new(|| Spelling::names(&["ewbNo", "cancelRsnCode", "cancelRmrk"]));
        Some(&SPELLING)
    }
}

/// The decrypted `data` of a cancelled e-way bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelledEwb {
    /// The e-way bill number, as a string (as NIC answers it).
    #[serde(serialize_with = "as_text", deserialize_with = "number_or_digits")]
    pub eway_bill_no: EwbNo,
    /// `dd/MM/yyyy hh:mm:00 AM`, IST, to the minute as NIC prints it.
    pub cancel_date: String,
}

impl CancelledEwb {
    /// The answer for `ewb_no` cancelled at `at`.
    pub fn at(ewb_no: EwbNo, at: OffsetDateTime) -> Self {
        let cancel_date = crate::clock::to_minute(at)
            .to_offset(IST)
            .format(time::macros::format_description!(
                "[day]/[month]/[year] [hour repr:12]:[minute]:[second] [period]"
            ))
            .unwrap_or_default();
        Self {
            eway_bill_no: ewb_no,
            cancel_date,
        }
    }
}

/// An e-way bill number sent as a JSON number or as a string of digits.
fn number_or_digits<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<EwbNo, D::Error> {
    use serde::de::Error;
    match Value::deserialize(deserializer)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
    .map(EwbNo::from_u64)
    .ok_or_else(|| D::Error::custom("ewbNo: expected a number or a string of digits"))
}

/// An e-way bill number written as a JSON string.
fn as_text<S: serde::Serializer>(ewb_no: &EwbNo, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&ewb_no.get())
}
