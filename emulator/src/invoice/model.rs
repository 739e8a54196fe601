//! The e-invoice document (schema INV-01 v1.1) as typed data, in NIC's canonical key order.
//!
//! The IRP does not sign the bytes it received: it re-serialises the accepted invoice with
//! a fixed key order (whatever order the client used), `ItemNo` first in every item, and
//! nulls dropped. Declaring the fields in that order makes serde's output the canonical form,
//! so the signed copy is one `serialize` call away. Unknown keys are ignored, as the schema
//! (no `additionalProperties: false`) allows.
//!
//! Numbers are kept as [`Num`], a JSON number as parsed, so `12` stays `12` and `1.0` stays
//! `1.0` in the signed copy; the rules read them as `f64`.

use serde::{Deserialize, Serialize};

use super::{AckNo, DocType, SupplyType, YesNo};

/// A JSON number as the client sent it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Num(pub serde_json::Number);

impl Num {
    /// The value as a float (every JSON number has one).
    pub fn get(&self) -> f64 {
        self.0.as_f64().unwrap_or_default()
    }

    /// The value as an integer, when it is one (PIN codes, distances).
    pub fn as_u32(&self) -> Option<u32> {
        let value = self.get();
        (value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value))
            .then_some(value as u32)
    }
}

impl From<f64> for Num {
    fn from(value: f64) -> Self {
        Self(serde_json::Number::from_f64(value).unwrap_or_else(|| 0.into()))
    }
}

impl From<u64> for Num {
    fn from(value: u64) -> Self {
        Self(value.into())
    }
}

/// An optional amount read as zero when absent.
pub fn amount(value: &Option<Num>) -> f64 {
    value.as_ref().map_or(0.0, Num::get)
}

/// The invoice, request and signed form alike (the signed form adds the first three keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Invoice {
    /// Acknowledgement number (signed form only).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub ack_no: Option<AckNo>,
    /// Acknowledgement time (signed form only).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub ack_dt: Option<String>,
    /// The IRN (signed form only; a client-sent `Irn` is ignored).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub irn: Option<String>,
    /// Schema version, "1.1".
    pub version: String,
    /// Transaction details.
    pub tran_dtls: TranDtls,
    /// Document details.
    pub doc_dtls: DocDtls,
    /// Supplier.
    pub seller_dtls: Party,
    /// Recipient.
    pub buyer_dtls: Buyer,
    /// Dispatch-from address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disp_dtls: Option<DispDtls>,
    /// Ship-to address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_dtls: Option<ShipDtls>,
    /// Line items.
    pub item_list: Vec<Item>,
    /// Document totals.
    pub val_dtls: ValDtls,
    /// Payment details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_dtls: Option<PayDtls>,
    /// Reference details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_dtls: Option<RefDtls>,
    /// Supporting documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addl_doc_dtls: Option<Vec<AddlDocDtls>>,
    /// Export details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp_dtls: Option<ExpDtls>,
    /// E-way bill details (Part-A/B in the same call).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ewb_dtls: Option<EwbDtls>,
}

/// `TranDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TranDtls {
    /// Tax scheme, "GST".
    pub tax_sch: String,
    /// Supply type: B2B, SEZWP, SEZWOP, EXPWP, EXPWOP, DEXP.
    pub sup_typ: SupplyType,
    /// Reverse charge, Y/N.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reg_rev: Option<YesNo>,
    /// E-commerce operator GSTIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecm_gstin: Option<String>,
    /// IGST on an intra-state supply, Y/N.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub igst_on_intra: Option<YesNo>,
}

/// `DocDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DocDtls {
    /// INV, CRN or DBN.
    pub typ: DocType,
    /// Document number, as sent.
    pub no: String,
    /// Document date, dd/MM/yyyy.
    pub dt: String,
}

/// `SellerDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Party {
    /// GSTIN.
    pub gstin: String,
    /// Legal name.
    pub lgl_nm: String,
    /// Trade name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trd_nm: Option<String>,
    /// Address line 1.
    pub addr1: String,
    /// Address line 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    /// Location.
    pub loc: String,
    /// PIN code.
    pub pin: Num,
    /// State code.
    pub stcd: String,
    /// Phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ph: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub em: Option<String>,
}

/// `BuyerDtls` (note `Stcd` last, as NIC prints it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Buyer {
    /// GSTIN or "URP".
    pub gstin: String,
    /// Legal name.
    pub lgl_nm: String,
    /// Trade name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trd_nm: Option<String>,
    /// Place of supply (state code).
    pub pos: String,
    /// Address line 1.
    pub addr1: String,
    /// Address line 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    /// Location.
    pub loc: String,
    /// PIN code (optional for the schema).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<Num>,
    /// Phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ph: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub em: Option<String>,
    /// State code.
    pub stcd: String,
}

/// `DispDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DispDtls {
    /// Name.
    pub nm: String,
    /// Address line 1.
    pub addr1: String,
    /// Address line 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    /// Location.
    pub loc: String,
    /// PIN code.
    pub pin: Num,
    /// State code.
    pub stcd: String,
}

/// `ShipDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ShipDtls {
    /// GSTIN or "URP".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gstin: Option<String>,
    /// Legal name.
    pub lgl_nm: String,
    /// Trade name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trd_nm: Option<String>,
    /// Address line 1.
    pub addr1: String,
    /// Address line 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    /// Location.
    pub loc: String,
    /// PIN code.
    pub pin: Num,
    /// State code.
    pub stcd: String,
}

/// One `ItemList` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Item {
    /// Position in the list, added by the IRP (0-based in NIC's samples: always 0).
    #[serde(skip_deserializing)]
    pub item_no: u32,
    /// Serial number.
    pub sl_no: String,
    /// Service, Y/N.
    pub is_servc: YesNo,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prd_desc: Option<String>,
    /// HSN or SAC code.
    pub hsn_cd: String,
    /// Barcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barcde: Option<String>,
    /// Quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qty: Option<Num>,
    /// Free quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_qty: Option<Num>,
    /// Unit (UQC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Unit price.
    pub unit_price: Num,
    /// Gross amount.
    pub tot_amt: Num,
    /// Discount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<Num>,
    /// Pre-tax value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_tax_val: Option<Num>,
    /// Taxable value.
    pub ass_amt: Num,
    /// GST rate.
    pub gst_rt: Num,
    /// IGST amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub igst_amt: Option<Num>,
    /// CGST amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgst_amt: Option<Num>,
    /// SGST amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sgst_amt: Option<Num>,
    /// Cess rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ces_rt: Option<Num>,
    /// Cess amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ces_amt: Option<Num>,
    /// Non-ad-valorem cess.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ces_non_advl_amt: Option<Num>,
    /// State cess rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_ces_rt: Option<Num>,
    /// State cess amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_ces_amt: Option<Num>,
    /// Non-ad-valorem state cess.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_ces_non_advl_amt: Option<Num>,
    /// Other charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oth_chrg: Option<Num>,
    /// Total item value.
    pub tot_item_val: Num,
    /// Order line reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ord_line_ref: Option<String>,
    /// Country of origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_cntry: Option<String>,
    /// Product serial number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prd_sl_no: Option<String>,
    /// Batch details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bch_dtls: Option<BchDtls>,
    /// Attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attrib_dtls: Option<Vec<AttribDtls>>,
}

impl Item {
    /// Whether the line is a service (`IsServc` "Y").
    pub fn is_service(&self) -> bool {
        self.is_servc.is_yes()
    }
}

/// `BchDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BchDtls {
    /// Batch name.
    pub nm: String,
    /// Expiry date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp_dt: Option<String>,
    /// Warranty date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wr_dt: Option<String>,
}

/// One `AttribDtls` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttribDtls {
    /// Attribute name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nm: Option<String>,
    /// Attribute value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub val: Option<String>,
}

/// `ValDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ValDtls {
    /// Total taxable value.
    pub ass_val: Num,
    /// Total CGST.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgst_val: Option<Num>,
    /// Total SGST.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sgst_val: Option<Num>,
    /// Total IGST.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub igst_val: Option<Num>,
    /// Total cess.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ces_val: Option<Num>,
    /// Total state cess.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub st_ces_val: Option<Num>,
    /// Document-level discount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<Num>,
    /// Document-level other charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oth_chrg: Option<Num>,
    /// Round-off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rnd_off_amt: Option<Num>,
    /// Invoice total.
    pub tot_inv_val: Num,
    /// Invoice total in foreign currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tot_inv_val_fc: Option<Num>,
}

/// `PayDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct PayDtls {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nm: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acc_det: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fin_ins_br: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_term: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_instr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cr_trn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir_dr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cr_day: Option<Num>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_amt: Option<Num>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paymt_due: Option<Num>,
}

/// `RefDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct RefDtls {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inv_rm: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_perd_dtls: Option<DocPerdDtls>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prec_doc_dtls: Option<Vec<PrecDocDtls>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contr_dtls: Option<Vec<ContrDtls>>,
}

/// `RefDtls.DocPerdDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct DocPerdDtls {
    pub inv_st_dt: String,
    pub inv_end_dt: String,
}

/// `RefDtls.PrecDocDtls[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct PrecDocDtls {
    pub inv_no: String,
    pub inv_dt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oth_ref_no: Option<String>,
}

/// `RefDtls.ContrDtls[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct ContrDtls {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rec_adv_refr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rec_adv_dt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tend_refr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contr_refr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext_refr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proj_refr: Option<String>,
    #[serde(default, rename = "PORefr", skip_serializing_if = "Option::is_none")]
    pub po_refr: Option<String>,
    #[serde(default, rename = "PORefDt", skip_serializing_if = "Option::is_none")]
    pub po_ref_dt: Option<String>,
}

/// One `AddlDocDtls` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct AddlDocDtls {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<String>,
}

/// `ExpDtls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct ExpDtls {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_b_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_b_dt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_clm: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_cur: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cnt_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp_duty: Option<Num>,
}

/// `EwbDtls` (and, with `Irn`, the body of the e-way-bill-by-IRN API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EwbDtls {
    /// Transporter GSTIN or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trans_id: Option<String>,
    /// Transporter name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trans_name: Option<String>,
    /// 1 road, 2 rail, 3 air, 4 ship.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trans_mode: Option<String>,
    /// Distance in km; 0 asks the IRP to compute it.
    pub distance: Num,
    /// Transport document number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trans_doc_no: Option<String>,
    /// Transport document date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trans_doc_dt: Option<String>,
    /// Vehicle number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub veh_no: Option<String>,
    /// R regular, O over-dimensional cargo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub veh_type: Option<String>,
}
