//! The signed QR code's payload: exactly ten keys, in NIC's order.

use serde::Serialize;

use super::model::{Invoice, Num};

/// `SignedQRCode` `data`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QrData<'a> {
    /// Supplier GSTIN.
    pub seller_gstin: &'a str,
    /// Recipient GSTIN or "URP".
    pub buyer_gstin: &'a str,
    /// Document number as sent.
    pub doc_no: &'a str,
    /// Document type.
    pub doc_typ: &'a str,
    /// Document date, dd/MM/yyyy.
    pub doc_dt: &'a str,
    /// `ValDtls.TotInvVal`.
    pub tot_inv_val: &'a Num,
    /// Number of items.
    pub item_cnt: usize,
    /// HSN of the item with the highest taxable value.
    pub main_hsn_code: &'a str,
    /// The IRN.
    pub irn: &'a str,
    /// The acknowledgement time.
    pub irn_dt: &'a str,
}

impl<'a> QrData<'a> {
    /// The QR payload of a registered invoice (one whose `Irn` and `AckDt` are set).
    pub fn of(invoice: &'a Invoice) -> Self {
        Self {
            seller_gstin: &invoice.seller_dtls.gstin,
            buyer_gstin: &invoice.buyer_dtls.gstin,
            doc_no: &invoice.doc_dtls.no,
            doc_typ: invoice.doc_dtls.typ.code(),
            doc_dt: &invoice.doc_dtls.dt,
            tot_inv_val: &invoice.val_dtls.tot_inv_val,
            item_cnt: invoice.item_list.len(),
            main_hsn_code: main_hsn_code(invoice),
            irn: invoice.irn.as_deref().unwrap_or_default(),
            irn_dt: invoice.ack_dt.as_deref().unwrap_or_default(),
        }
    }
}

/// The HSN of the item with the highest `AssAmt`; the first such item on a tie.
pub fn main_hsn_code(invoice: &Invoice) -> &str {
    let mut best: Option<(&str, f64)> = None;
    for item in &invoice.item_list {
        let value = item.ass_amt.get();
        if best.is_none_or(|(_, top)| value > top) {
            best = Some((&item.hsn_cd, value));
        }
    }
    best.map_or("", |(hsn, _)| hsn)
}
