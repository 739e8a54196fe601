//! Valid sample invoices for the magic GSTINs: for tests, benchmarks and anyone who needs a
//! request that the emulator accepts as a starting point.
//!
//! Amounts are computed here from first principles (quantity × price, rate × taxable value,
//! rounded to paise), not by the rule code, so a test that feeds a sample to the rules
//! checks the two against each other.

use serde_json::{Value, json};
use time::Date;

use crate::invoice::{DocType, SupplyType, YesNo};

/// The large supplier (₹250 Cr, Karnataka): the default seller.
pub const LARGE_SUPPLIER: &str = "29AAACL1111A1ZD";
/// The small supplier (₹7.5 Cr, Karnataka): outside the 30-day rule.
pub const SMALL_SUPPLIER: &str = "29AAACS2222B1ZY";
/// A regular buyer in Karnataka.
pub const BUYER_KA: &str = "29AAACB3333C1Z7";
/// A regular buyer in Maharashtra.
pub const BUYER_MH: &str = "27AAACB4444D1Z3";
/// An SEZ unit in Karnataka.
pub const SEZ_UNIT: &str = "29AAACZ5555E1Z3";
/// An SEZ developer in Karnataka: its supplies are inter-state (IGST Act s. 7(5)(b)), so
/// it charges IGST even to a buyer in its own state.
pub const SEZ_DEVELOPER: &str = "29AAACD6666F1ZH";

/// One line of a sample.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSpec {
    /// A service line (SAC code, no unit).
    pub service: bool,
    /// HSN/SAC code.
    pub hsn: String,
    /// Quantity.
    pub qty: f64,
    /// Unit price.
    pub unit_price: f64,
    /// Discount.
    pub discount: f64,
    /// GST rate.
    pub gst_rate: f64,
    /// Cess rate.
    pub cess_rate: f64,
}

impl ItemSpec {
    /// A goods line.
    pub fn goods(hsn: &str, qty: f64, unit_price: f64, gst_rate: f64) -> Self {
        Self {
            service: false,
            hsn: hsn.to_owned(),
            qty,
            unit_price,
            discount: 0.0,
            gst_rate,
            cess_rate: 0.0,
        }
    }

    /// A service line.
    pub fn service(sac: &str, amount: f64, gst_rate: f64) -> Self {
        Self {
            service: true,
            hsn: sac.to_owned(),
            qty: 1.0,
            unit_price: amount,
            discount: 0.0,
            gst_rate,
            cess_rate: 0.0,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceSpec {
    /// Supplier GSTIN (Karnataka, from the magic set).
    pub seller: String,
    /// Supply type.
    pub supply: SupplyType,
    /// Document type.
    pub doc_type: DocType,
    /// Document number.
    pub doc_no: String,
    /// Document date.
    pub doc_date: Date,
    /// B2B to a buyer in another state (ignored for exports and SEZ).
    pub inter_state: bool,
    /// Reverse charge (B2B only).
    pub reverse_charge: bool,
    /// IGST on an intra-state supply.
    pub igst_on_intra: bool,
    /// Lines.
    pub items: Vec<ItemSpec>,
    /// Add `EwbDtls` with this distance (0 = computed).
    pub ewb_distance: Option<u32>,
}

impl InvoiceSpec {
    /// A one-line B2B intra-state invoice of the large supplier.
    pub fn simple(doc_no: &str, doc_date: Date) -> Self {
        Self {
            seller: LARGE_SUPPLIER.to_owned(),
            supply: SupplyType::B2b,
            doc_type: DocType::Invoice,
            doc_no: doc_no.to_owned(),
            doc_date,
            inter_state: false,
            reverse_charge: false,
            igst_on_intra: false,
            items: vec![ItemSpec::goods("84713010", 10.0, 1250.5, 18.0)],
            ewb_distance: None,
        }
    }
}

/// Sets `key` on a JSON object (no-op on anything else).
pub fn set(target: &mut Value, key: &str, value: Value) {
    if let Some(object) = target.as_object_mut() {
        object.insert(key.to_owned(), value);
    }
}

/// Rounds to paise.
pub fn paise(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn buyer(spec: &InvoiceSpec) -> Value {
    let (gstin, name, pos, stcd, pin, loc) = match spec.supply {
        s if s.is_export() => ("URP", "OVERSEAS BUYER LLC", "96", "96", 999_999, "DUBAI"),
        s if s.is_sez() => (
            SEZ_UNIT,
            "SEZ UNIT LIMITED",
            "29",
            "29",
            560_100,
            "BENGALURU",
        ),
        _ if spec.inter_state => (
            BUYER_MH,
            "BUYER MAHARASHTRA LTD",
            "27",
            "27",
            400_021,
            "MUMBAI",
        ),
        _ => (
            BUYER_KA,
            "BUYER KARNATAKA LTD",
            "29",
            "29",
            560_068,
            "BENGALURU",
        ),
    };
    json!({"Gstin": gstin, "LglNm": name, "Pos": pos, "Addr1": "1 Trade Street", "Loc": loc,
           "Pin": pin, "Stcd": stcd})
}

/// The request JSON for `spec`.
pub fn invoice(spec: &InvoiceSpec) -> Value {
    let export = spec.supply.is_export();
    let igst = export
        || spec.supply.is_sez()
        || spec.igst_on_intra
        || spec.inter_state
        || spec.seller == SEZ_DEVELOPER;
    let without_payment = spec.supply.is_without_payment();
    let mut totals = [0.0_f64; 6]; // ass, cgst, sgst, igst, cess, item value
    let items: Vec<Value> = spec
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let tot_amt = paise(item.qty * item.unit_price);
            let ass = paise(tot_amt - item.discount);
            let rate = if without_payment { 0.0 } else { item.gst_rate };
            let (c, s, g) = if igst {
                (0.0, 0.0, paise(ass * rate / 100.0))
            } else {
                let half = paise(ass * rate / 200.0);
                (half, half, 0.0)
            };
            let cess = paise(ass * item.cess_rate / 100.0);
            let value = paise(ass + c + s + g + cess);
            for (slot, v) in totals.iter_mut().zip([ass, c, s, g, cess, value]) {
                *slot += v;
            }
            let mut line = json!({
                "SlNo": (i + 1).to_string(), "PrdDesc": format!("Line {}", i + 1),
                "IsServc": YesNo::of(item.service), "HsnCd": item.hsn,
                "Qty": item.qty, "UnitPrice": item.unit_price, "TotAmt": tot_amt,
                "Discount": item.discount, "AssAmt": ass, "GstRt": item.gst_rate,
                "IgstAmt": g, "CgstAmt": c, "SgstAmt": s, "CesRt": item.cess_rate,
                "CesAmt": cess, "TotItemVal": value
            });
            if !item.service {
                set(&mut line, "Unit", json!("NOS"));
            }
            line
        })
        .collect();
    let [ass, cgst, sgst, igst_total, cess, value] = totals.map(paise);
    let mut document = json!({
        "Version": "1.1",
        "TranDtls": {"TaxSch": "GST", "SupTyp": spec.supply,
                     "RegRev": YesNo::of(spec.reverse_charge),
                     "IgstOnIntra": YesNo::of(spec.igst_on_intra)},
        "DocDtls": {"Typ": spec.doc_type, "No": spec.doc_no,
                    "Dt": spec.doc_date.format(time::macros::format_description!("[day]/[month]/[year]")).unwrap_or_default()},
        "SellerDtls": {"Gstin": spec.seller, "LglNm": "SUPPLIER PRIVATE LIMITED", "Addr1": "12 MG Road",
                       "Loc": "BENGALURU", "Pin": 560_001, "Stcd": "29"},
        "BuyerDtls": buyer(spec),
        "ItemList": items,
        "ValDtls": {"AssVal": ass, "CgstVal": cgst, "SgstVal": sgst, "IgstVal": igst_total,
                    "CesVal": cess, "StCesVal": 0, "TotInvVal": value}
    });
    if export {
        set(
            &mut document,
            "ShipDtls",
            json!({"LglNm": "JNPT PORT", "Addr1": "Nhava Sheva", "Loc": "NAVI MUMBAI",
                                      "Pin": 400_707, "Stcd": "27"}),
        );
        set(
            &mut document,
            "ExpDtls",
            json!({"Port": "INNSA1", "ForCur": "USD", "CntCode": "AE"}),
        );
    }
    if let Some(distance) = spec.ewb_distance {
        set(
            &mut document,
            "EwbDtls",
            json!({"TransMode": "1", "Distance": distance,
                                      "VehNo": "KA01AB1234", "VehType": "R"}),
        );
    }
    document
}
