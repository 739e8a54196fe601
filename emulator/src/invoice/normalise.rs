//! The invoice's canonical spelling, read from NIC's v1.1 schema once at start.
//!
//! Every key the schema names (every block, item and nested list) is matched in any case,
//! and every `enum` (supply type, document type, the Y/N flags, `TransMode`, `VehType`,
//! `TaxSch`) in any case; `Unit`, a code of the UQC master whose schema pattern allows lower
//! case, is upper-cased as the master spells it. The walk itself is [`crate::spelling`].

use serde_json::Value;

use crate::spelling::Spelling;

/// The invoice's key tree and codes, from the parsed v1.1 schema.
pub(super) fn invoice_spelling(schema: &Value) -> Spelling {
    let mut spelling = Spelling::of_schema(schema);
    if let Some(item) = spelling
        .member_mut("ItemList")
        .and_then(Spelling::items_mut)
        && let Some(unit) = item.member_mut("Unit")
    {
        *unit = std::mem::take(unit).upper();
    }
    spelling
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::spelling::Coercion;

    const SCHEMA_JSON: &str = include_str!("../../../schemas/einvoice-schema-v1.1.json");

    /// NIC's published sample spells these keys so, and NIC signs them canonically.
    #[test]
    fn nic_sample_spellings_become_canonical() {
        let spelling = invoice_spelling(&serde_json::from_str(SCHEMA_JSON).unwrap());
        let mut doc = json!({
            "itemList": [{"BchDtls": {"Nm": "1", "Expdt": "01/08/2020", "wrDt": "01/09/2020"},
                          "unit": "bag", "isservc": "y"}],
            "PayDtls": {"Accdet": "1", "Fininsbr": "2", "Payterm": "3", "Payinstr": "4",
                        "Crtrn": "5", "Dirdr": "6", "Crday": 1, "Paidamt": 2, "Paymtdue": 3},
            "RefDtls": {"ContrDtls": [{"Tendrefr": "a", "Contrrefr": "b", "Extrefr": "c",
                        "Projrefr": "d", "Porefr": "e", "PoRefDt": "f"}]},
            "docdtls": {"typ": "inv"}, "TranDtls": {"taxsch": "gst", "SupTyp": "sezwop"},
            "EwbDtls": {"vehtype": "r"}
        });
        assert!(spelling.normalise(&mut doc, Coercion::Exact).is_empty());
        assert_eq!(
            doc,
            json!({
                "ItemList": [{"BchDtls": {"Nm": "1", "ExpDt": "01/08/2020", "WrDt": "01/09/2020"},
                              "Unit": "BAG", "IsServc": "Y"}],
                "PayDtls": {"AccDet": "1", "FinInsBr": "2", "PayTerm": "3", "PayInstr": "4",
                            "CrTrn": "5", "DirDr": "6", "CrDay": 1, "PaidAmt": 2, "PaymtDue": 3},
                "RefDtls": {"ContrDtls": [{"TendRefr": "a", "ContrRefr": "b", "ExtRefr": "c",
                            "ProjRefr": "d", "PORefr": "e", "PORefDt": "f"}]},
                "DocDtls": {"Typ": "INV"}, "TranDtls": {"TaxSch": "GST", "SupTyp": "SEZWOP"},
                "EwbDtls": {"VehType": "R"}
            })
        );
    }
}
