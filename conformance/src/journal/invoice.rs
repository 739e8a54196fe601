//! What a Generate IRN request shows: supply and document type, tax head, reverse charge,
//! lines, dispatch and ship-to details, the e-way bill part, and the case ids it fits.

use serde_json::Value;

use super::entry::{flag, text};

/// The features of one invoice and the success cases it fits, most specific first.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Invoice {
    /// Seller GSTIN.
    pub(super) seller: String,
    /// Document type (`INV`, `CRN`, `DBN`).
    pub(super) doc_type: String,
    /// Document number as sent.
    pub(super) number: String,
    /// Success cases, most specific first (never empty).
    pub(super) cases: Vec<&'static str>,
    /// The features in words: `B2B inter-state (IGST), INV, 3 items`.
    pub(super) feature: String,
}

impl Invoice {
    /// Reads `request` (the decrypted invoice) and the answer's info codes.
    pub(super) fn read(request: &Value, info_codes: &[String]) -> Self {
        let tran = request.get("TranDtls");
        let supply = text(tran.and_then(|t| t.get("SupTyp")))
            .map_or_else(|| "B2B".to_owned(), |s| s.to_ascii_uppercase());
        let reverse_charge = flag(tran.and_then(|t| t.get("RegRev")));
        let igst_on_intra = flag(tran.and_then(|t| t.get("IgstOnIntra")));
        let doc = request.get("DocDtls");
        let doc_type = text(doc.and_then(|d| d.get("Typ")))
            .map_or_else(|| "INV".to_owned(), |t| t.to_ascii_uppercase());
        let number = text(doc.and_then(|d| d.get("No"))).unwrap_or_default();
        let seller = text(request.pointer("/SellerDtls/Gstin")).unwrap_or_default();
        let items = request
            .get("ItemList")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let present = |key: &str| request.get(key).is_some_and(Value::is_object);
        let (dispatch, ship, ewb) = (present("DispDtls"), present("ShipDtls"), present("EwbDtls"));
        let info = |code: &str| info_codes.iter().any(|c| c.eq_ignore_ascii_case(code));
        let lower_case = number.chars().any(|c| c.is_lowercase());
        let inter_state = inter_state(request, &seller);

        let mut cases = Vec::new();
        let mut extras: Vec<&str> = Vec::new();
        if info("EWBERR") {
            cases.push("G-15");
            extras.push("EWBERR");
        }
        if info("EWBPPD") {
            cases.push("G-14");
            extras.push("EWBPPD");
        }
        if ewb {
            cases.push("G-13");
            extras.insert(0, "with e-way bill");
        }
        let b2b = supply == "B2B";
        if igst_on_intra {
            cases.push("G-10");
        }
        if reverse_charge {
            cases.push("G-9");
            extras.push("reverse charge");
        }
        let supply_case = match supply.as_str() {
            "SEZWP" => Some("G-3"),
            "SEZWOP" => Some("G-4"),
            "EXPWP" => Some("G-5"),
            "EXPWOP" => Some("G-6"),
            "DEXP" => Some("G-7"),
            _ => None,
        };
        cases.extend(supply_case);
        if doc_type == "CRN" || doc_type == "DBN" {
            cases.push("G-8");
        }
        if dispatch || ship {
            cases.push("G-12");
        }
        if dispatch {
            extras.push("dispatch-from");
        }
        if ship {
            extras.push("ship-to");
        }
        if lower_case {
            cases.push("G-16");
            extras.push("lower-case number");
        }
        if items > 1 {
            cases.push("G-11");
        }
        if b2b && !igst_on_intra {
            cases.push(if inter_state { "G-2" } else { "G-1" });
        }
        if cases.is_empty() {
            cases.push(if inter_state { "G-2" } else { "G-1" });
        }

        let supply_words = match supply.as_str() {
            "B2B" if igst_on_intra => "B2B intra-state, IGST on intra".to_owned(),
            "B2B" if inter_state => "B2B inter-state (IGST)".to_owned(),
            "B2B" => "B2B intra-state (CGST + SGST)".to_owned(),
            "SEZWP" => "SEZWP supply to SEZ with payment".to_owned(),
            "SEZWOP" => "SEZWOP supply to SEZ without payment".to_owned(),
            "EXPWP" => "EXPWP export with payment".to_owned(),
            "EXPWOP" => "EXPWOP export without payment".to_owned(),
            "DEXP" => "DEXP deemed export".to_owned(),
            other => other.to_owned(),
        };
        let lines = if items == 1 {
            "1 item".to_owned()
        } else {
            format!("{items} items")
        };
        let mut feature = format!("{supply_words}, {doc_type}, {lines}");
        for extra in extras {
            feature.push_str(", ");
            feature.push_str(extra);
        }
        Self {
            seller,
            doc_type,
            number,
            cases,
            feature,
        }
    }
}

/// Seller state against place of supply; without both, whether IGST was charged.
fn inter_state(request: &Value, seller: &str) -> bool {
    let seller_state = text(request.pointer("/SellerDtls/Stcd"))
        .or_else(|| seller.get(..2).map(str::to_owned))
        .filter(|s| !s.is_empty());
    let pos = text(request.pointer("/BuyerDtls/Pos")).filter(|s| !s.is_empty());
    match (seller_state, pos) {
        (Some(from), Some(to)) => state_code(&from) != state_code(&to),
        _ => request
            .pointer("/ValDtls/IgstVal")
            .and_then(Value::as_f64)
            .is_some_and(|igst| igst > 0.0),
    }
}

/// `7` and `07` are the same state.
fn state_code(code: &str) -> String {
    code.trim_start_matches('0').to_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn invoice(supply: &str, typ: &str, pos: &str, items: usize) -> Value {
        json!({
            "TranDtls": {"SupTyp": supply, "RegRev": "N", "IgstOnIntra": "N"},
            "DocDtls": {"Typ": typ, "No": "A/1", "Dt": "30/03/2026"},
            "SellerDtls": {"Gstin": "29AAACL1111A1ZD", "Stcd": "29"},
            "BuyerDtls": {"Gstin": "27AAACB4444D1Z3", "Pos": pos},
            "ItemList": vec![json!({}); items],
        })
    }

    #[test]
    fn features_in_words_and_cases_most_specific_first() {
        let plain = Invoice::read(&invoice("B2B", "INV", "29", 1), &[]);
        assert_eq!(plain.cases, ["G-1"]);
        assert_eq!(plain.feature, "B2B intra-state (CGST + SGST), INV, 1 item");
        let inter = Invoice::read(&invoice("b2b", "inv", "27", 3), &[]);
        assert_eq!(inter.cases, ["G-11", "G-2"]);
        assert_eq!(inter.feature, "B2B inter-state (IGST), INV, 3 items");
        assert_eq!(
            (inter.doc_type.as_str(), inter.number.as_str()),
            ("INV", "A/1")
        );
        let note = Invoice::read(&invoice("B2B", "CRN", "29", 1), &[]);
        assert_eq!(note.cases, ["G-8", "G-1"]);

        let mut export = invoice("EXPWP", "INV", "96", 1);
        export["ShipDtls"] = json!({"Pin": 400707});
        export["EwbDtls"] = json!({"Distance": 0});
        export["DocDtls"]["No"] = json!("exp/1");
        let export = Invoice::read(&export, &["EWBPPD".to_owned()]);
        assert_eq!(export.cases, ["G-14", "G-13", "G-5", "G-12", "G-16"]);
        assert_eq!(
            export.feature,
            concat!(
                "EXPWP export with payment, INV, 1 item, ",
                "with e-way bill, EWBPPD, ship-to, lower-case number"
            )
        );

        let mut odd = invoice("B2B", "INV", "29", 1);
        odd["TranDtls"]["IgstOnIntra"] = json!("Y");
        odd["TranDtls"]["RegRev"] = json!("Y");
        let odd = Invoice::read(&odd, &[]);
        assert_eq!(odd.cases, ["G-10", "G-9"]);

        // Nothing readable: still one case, no panic.
        for junk in [
            json!(null),
            json!("text"),
            json!([1]),
            json!({"ItemList": 3}),
        ] {
            let read = Invoice::read(&junk, &[]);
            assert_eq!(read.cases, ["G-1"], "{junk}");
        }
        let by_tax = json!({"ValDtls": {"IgstVal": 18.0}, "ItemList": [{}]});
        assert_eq!(Invoice::read(&by_tax, &[]).cases, ["G-2"]);
    }
}
