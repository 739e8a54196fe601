//! Generate IRN's schema and business rules, one rule at a time and by property.
//!
//! Why a binary of its own: the rules are the part of the emulator a client is written
//! against, and each one deserves a test that names its code. Going through
//! `registration::check` (schema and every rule stage, nothing registered) keeps the HTTP
//! layer, login and crypto out of the way, so hundreds of generated invoices are checked in
//! seconds. The table starts every case from a valid `samples` invoice and changes one
//! thing; the property tests generate valid invoices of every supply and document type,
//! check that all are accepted (the samples compute amounts independently of the rules, so
//! this checks the two against each other), then break one field and expect one code.
//!
//! Every case asserts the exact set of codes answered. A stage collects every violation it
//! finds and the pipeline stops after the first stage with findings, so a set of several
//! codes means one stage found several things (noted on the row).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::{collections::BTreeSet, sync::LazyLock};

use irp_emulator::{
    clock::Clock,
    config::Settings,
    gstin::Gstin,
    invoice::{DocType, SupplyType},
    keys::KeySet,
    registration,
    rules::{HsnCheck, RuleSettings, TotalsMode},
    samples::{
        self, BUYER_KA, BUYER_MH, InvoiceSpec, ItemSpec, LARGE_SUPPLIER, SEZ_DEVELOPER, SEZ_UNIT,
        SMALL_SUPPLIER, paise,
    },
    state::AppState,
};
use proptest::prelude::*;
use serde_json::{Value, json};
use time::{
    Date, Duration, OffsetDateTime,
    macros::{date, datetime},
};

/// 31/03/2026 10:00 IST: "today" is 31/03/2026.
const T0: OffsetDateTime = datetime!(2026-03-31 10:00:00 +5:30);
const TODAY: Date = date!(2026 - 03 - 31);
const YESTERDAY: Date = date!(2026 - 03 - 30);

const CANCELLED: &str = "29AAACX7777G1ZP";
const INACTIVE: &str = "29AAACI8888H1ZW";
const NOT_ENABLED: &str = "29AAACN1212K1ZO";
const COMPOSITION: &str = "29AAACM1313L1ZL";
const ECOM_OPERATOR: &str = "29AAACE1414M1ZP";
/// AATO 2 Cr: may use 4-digit HSN codes.
const TINY_SUPPLIER: &str = "29AWGPV7107B1Z1";
/// Well-formed, Karnataka, not in the taxpayer master.
const UNKNOWN: &str = "29AAACQ0000Q1Z5";

fn state_with(rules: RuleSettings) -> (AppState, Clock) {
    let clock = Clock::fixed(T0);
    let settings = Settings {
        rules,
        ..Settings::default()
    };
    let state = AppState::new(settings, KeySet::embedded().unwrap(), clock.clone()).unwrap();
    (state, clock)
}

/// Default settings and a clock nobody moves, shared by the table and the properties.
static DEFAULT: LazyLock<AppState> = LazyLock::new(|| state_with(RuleSettings::default()).0);

/// The distinct codes of the answer; empty when the invoice is accepted.
fn codes_in(state: &AppState, caller: &str, document: Value) -> BTreeSet<String> {
    let caller = Gstin::parse(caller).unwrap();
    match registration::check(state, &caller, document) {
        Ok(_) => BTreeSet::new(),
        Err(e) => e.details().iter().map(|d| d.error_code.clone()).collect(),
    }
}

fn codes(caller: &str, document: Value) -> BTreeSet<String> {
    codes_in(&DEFAULT, caller, document)
}

fn set_of(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|c| (*c).to_owned()).collect()
}

// ---- base documents -------------------------------------------------------------------

fn spec() -> InvoiceSpec {
    InvoiceSpec::simple("DOC/1", YESTERDAY)
}

fn spec_with(change: impl FnOnce(&mut InvoiceSpec)) -> Value {
    let mut spec = spec();
    change(&mut spec);
    samples::invoice(&spec)
}

/// One goods line, B2B within Karnataka, large supplier: 10 × 1250.50 at 18%.
fn b2b() -> Value {
    samples::invoice(&spec())
}

/// B2B to Maharashtra (IGST).
fn inter() -> Value {
    spec_with(|s| s.inter_state = true)
}

fn expwp() -> Value {
    spec_with(|s| s.supply = SupplyType::ExportWithPayment)
}

fn sezwp() -> Value {
    spec_with(|s| s.supply = SupplyType::SezWithPayment)
}

fn sezwop() -> Value {
    spec_with(|s| s.supply = SupplyType::SezWithoutPayment)
}

fn dexp() -> Value {
    spec_with(|s| s.supply = SupplyType::DeemedExport)
}

fn igst_on_intra() -> Value {
    spec_with(|s| s.igst_on_intra = true)
}

fn two_goods() -> Value {
    spec_with(|s| s.items.push(ItemSpec::goods("85171300", 2.0, 499.99, 12.0)))
}

fn service() -> Value {
    spec_with(|s| s.items = vec![ItemSpec::service("998314", 50_000.0, 18.0)])
}

fn small() -> Value {
    spec_with(|s| s.seller = SMALL_SUPPLIER.to_owned())
}

fn tiny() -> Value {
    spec_with(|s| s.seller = TINY_SUPPLIER.to_owned())
}

fn sez_developer() -> Value {
    spec_with(|s| s.seller = SEZ_DEVELOPER.to_owned())
}

// ---- mutation helpers -----------------------------------------------------------------

fn remove(target: &mut Value, key: &str) {
    target.as_object_mut().unwrap().remove(key);
}

/// Adds `by` to a number (absent counts as 0), rounded to paise.
fn add(target: &mut Value, key: &str, by: f64) {
    let now = target[key].as_f64().unwrap_or(0.0);
    target[key] = json!(paise(now + by));
}

fn num(value: &Value, key: &str) -> f64 {
    value[key].as_f64().unwrap_or(0.0)
}

/// Moves item `i`'s CGST + SGST into IGST.
fn cgst_sgst_to_igst(doc: &mut Value, i: usize) {
    let item = &mut doc["ItemList"][i];
    let tax = paise(num(item, "CgstAmt") + num(item, "SgstAmt"));
    item["IgstAmt"] = json!(tax);
    item["CgstAmt"] = json!(0);
    item["SgstAmt"] = json!(0);
}

/// Splits item `i`'s IGST into equal CGST and SGST.
fn igst_to_cgst_sgst(doc: &mut Value, i: usize) {
    let item = &mut doc["ItemList"][i];
    let half = num(item, "IgstAmt") / 2.0;
    item["CgstAmt"] = json!(half);
    item["SgstAmt"] = json!(half);
    item["IgstAmt"] = json!(0);
}

/// Recomputes every `TotItemVal` and the document totals from the item amounts (the
/// published formulas), so a mutation of an item amount trips only the rule it targets.
fn recompute(doc: &mut Value) {
    const HEADS: [&str; 8] = [
        "IgstAmt",
        "CgstAmt",
        "SgstAmt",
        "CesAmt",
        "CesNonAdvlAmt",
        "StateCesAmt",
        "StateCesNonAdvlAmt",
        "OthChrg",
    ];
    let mut sums = [0.0_f64; 7]; // ass, cgst, sgst, igst, cess, state cess, item value
    for item in doc["ItemList"].as_array_mut().unwrap() {
        let value = paise(num(item, "AssAmt") + HEADS.iter().map(|h| num(item, h)).sum::<f64>());
        item["TotItemVal"] = json!(value);
        let row = [
            num(item, "AssAmt"),
            num(item, "CgstAmt"),
            num(item, "SgstAmt"),
            num(item, "IgstAmt"),
            num(item, "CesAmt") + num(item, "CesNonAdvlAmt"),
            num(item, "StateCesAmt") + num(item, "StateCesNonAdvlAmt"),
            value,
        ];
        for (sum, v) in sums.iter_mut().zip(row) {
            *sum += v;
        }
    }
    let [ass, cgst, sgst, igst, cess, state_cess, value] = sums.map(paise);
    let val = &mut doc["ValDtls"];
    let total = value + num(val, "OthChrg") - num(val, "Discount") + num(val, "RndOffAmt");
    for (key, v) in [
        ("AssVal", ass),
        ("CgstVal", cgst),
        ("SgstVal", sgst),
        ("IgstVal", igst),
        ("CesVal", cess),
        ("StCesVal", state_cess),
        ("TotInvVal", paise(total)),
    ] {
        val[key] = json!(v);
    }
}

// ---- the table ------------------------------------------------------------------------

/// One rule case: who calls, the valid document it starts from, the one change, and the
/// exact set of codes expected (empty: accepted).
struct Case {
    name: &'static str,
    caller: &'static str,
    base: fn() -> Value,
    mutate: fn(&mut Value),
    expected: &'static [&'static str],
}

const fn case(
    name: &'static str,
    caller: &'static str,
    base: fn() -> Value,
    mutate: fn(&mut Value),
    expected: &'static [&'static str],
) -> Case {
    Case {
        name,
        caller,
        base,
        mutate,
        expected,
    }
}

const L: &str = LARGE_SUPPLIER;

#[rustfmt::skip]
fn table() -> Vec<Case> {
    vec![
        // Unchanged samples are accepted.
        case("accepted: B2B intra-state", L, b2b, |_| {}, &[]),
        case("accepted: B2B inter-state", L, inter, |_| {}, &[]),
        case("accepted: EXPWP", L, expwp, |_| {}, &[]),
        case("accepted: SEZWP", L, sezwp, |_| {}, &[]),
        case("accepted: SEZWOP", L, sezwop, |_| {}, &[]),
        case("accepted: DEXP", L, dexp, |_| {}, &[]),
        case("accepted: IGST on an intra-state supply", L, igst_on_intra, |_| {}, &[]),
        case("accepted: service line (SAC, no unit)", L, service, |_| {}, &[]),
        case("accepted: two goods lines", L, two_goods, |_| {}, &[]),
        case("accepted: SEZ developer charging IGST within its state", SEZ_DEVELOPER, sez_developer, |_| {}, &[]),

        // Schema (2140): every violation is one 2140 entry.
        case("2140 SupTyp B2C", L, b2b, |d| d["TranDtls"]["SupTyp"] = json!("B2C"), &["2140"]),
        case("2140 DocDtls.No starting with 0", L, b2b, |d| d["DocDtls"]["No"] = json!("0DOC/1"), &["2140"]),
        case("2140 DocDtls.Dt not dd/mm/yyyy", L, b2b, |d| d["DocDtls"]["Dt"] = json!("2026-03-30"), &["2140"]),
        case("2140 SellerDtls missing", L, b2b, |d| remove(d, "SellerDtls"), &["2140"]),
        case("2140 HSN of two digits", L, b2b, |d| d["ItemList"][0]["HsnCd"] = json!("12"), &["2140"]),
        // All zeros has a valid length but the schema's (?!0+$) refuses it before 2176.
        case("2140 HSN all zeros", L, b2b, |d| d["ItemList"][0]["HsnCd"] = json!("00000000"), &["2140"]),
        case("2140 Version missing", L, b2b, |d| remove(d, "Version"), &["2140"]),

        // Masters: parties, their status on the document date, codes.
        case("3028 unknown seller", L, b2b, |d| d["SellerDtls"]["Gstin"] = json!(UNKNOWN), &["3028"]),
        case("3028 unknown buyer", L, b2b, |d| d["BuyerDtls"]["Gstin"] = json!(UNKNOWN), &["3028"]),
        case("3028 buyer GSTIN with state code 99", L, b2b, |d| d["BuyerDtls"]["Gstin"] = json!("99AAACB3333C1Z7"), &["3028"]),
        case("3029 inactive buyer", L, b2b, |d| d["BuyerDtls"]["Gstin"] = json!(INACTIVE), &["3029"]),
        // Dereg 31/12/2024; the document (30/03/2026) is after it and not in the future.
        case("3074 cancelled buyer, document after the cancellation", L, b2b, |d| d["BuyerDtls"]["Gstin"] = json!(CANCELLED), &["3074"]),
        case("accepted: cancelled buyer, document before the cancellation (small supplier)", SMALL_SUPPLIER, small, |d| {
            d["BuyerDtls"]["Gstin"] = json!(CANCELLED);
            d["DocDtls"]["Dt"] = json!("30/12/2024");
        }, &[]),
        // Seller and buyer both registered 01/07/2017: the stage reports both.
        case("3079 document before registration", L, b2b, |d| d["DocDtls"]["Dt"] = json!("30/06/2017"), &["3079"]),
        case("2169 caller is the buyer", BUYER_KA, b2b, |_| {}, &["2169"]),
        case("2169 TCS operator not named in EcmGstin", ECOM_OPERATOR, b2b, |_| {}, &["2169"]),
        case("2195 EcmGstin is not a TCS registrant", L, b2b, |d| d["TranDtls"]["EcmGstin"] = json!(BUYER_MH), &["2195"]),
        case("accepted: e-commerce operator generating with EcmGstin = itself", ECOM_OPERATOR, b2b, |d| d["TranDtls"]["EcmGstin"] = json!(ECOM_OPERATOR), &[]),
        case("accepted: supplier generating with its operator named", L, b2b, |d| d["TranDtls"]["EcmGstin"] = json!(ECOM_OPERATOR), &[]),
        case("3026 seller not enabled for e-invoicing", NOT_ENABLED, b2b, |d| d["SellerDtls"]["Gstin"] = json!(NOT_ENABLED), &["3026"]),
        // The composition dealer is also not enabled: one stage, two findings.
        case("2300 composition dealer as seller", COMPOSITION, b2b, |d| d["SellerDtls"]["Gstin"] = json!(COMPOSITION), &["2300", "3026"]),
        case("2231 SEZ unit as seller", SEZ_UNIT, b2b, |d| d["SellerDtls"]["Gstin"] = json!(SEZ_UNIT), &["2231"]),
        case("2176 4-digit HSN for the 250 Cr supplier", L, b2b, |d| d["ItemList"][0]["HsnCd"] = json!("8471"), &["2176"]),
        // Six digits are required above 5 Cr AATO (CBIC notification 78/2020), so 7.5 Cr too.
        case("2176 4-digit HSN for the 7.5 Cr supplier", SMALL_SUPPLIER, small, |d| d["ItemList"][0]["HsnCd"] = json!("8471"), &["2176"]),
        case("accepted: 4-digit HSN for a 2 Cr supplier", TINY_SUPPLIER, tiny, |d| d["ItemList"][0]["HsnCd"] = json!("8471"), &[]),
        // Rejected by NIC production in 2025: well-formed, not in the HSN master.
        case("2176 HSN 521211 is not in the master", L, b2b, |d| d["ItemList"][0]["HsnCd"] = json!("521211"), &["2176"]),
        case("2176 HSN 391520 is not in the master", L, b2b, |d| d["ItemList"][0]["HsnCd"] = json!("391520"), &["2176"]),
        case("2177 unit XYZ", L, b2b, |d| d["ItemList"][0]["Unit"] = json!("XYZ"), &["2177"]),
        case("2240 GST rate 17", L, b2b, |d| d["ItemList"][0]["GstRt"] = json!(17), &["2240"]),
        case("2178 seller PIN 400001 with Stcd 29", L, b2b, |d| d["SellerDtls"]["Pin"] = json!(400_001), &["2178"]),
        case("2178 buyer PIN 400021 with Stcd 29", L, b2b, |d| d["BuyerDtls"]["Pin"] = json!(400_021), &["2178"]),
        // Masters run before parties: a wrong Stcd with the old PIN is a PIN error.
        case("2178 (not 2258) seller Stcd 27 with a Karnataka PIN", L, b2b, |d| d["SellerDtls"]["Stcd"] = json!("27"), &["2178"]),

        // Document.
        case("2163 document dated tomorrow", L, b2b, |d| d["DocDtls"]["Dt"] = json!("01/04/2026"), &["2163"]),
        case("2305 31 days old, large supplier", L, b2b, |d| d["DocDtls"]["Dt"] = json!("28/02/2026"), &["2305"]),
        case("2162 reverse charge on SEZWP", L, sezwp, |d| d["TranDtls"]["RegRev"] = json!("Y"), &["2162"]),
        case("2162 reverse charge on EXPWP", L, expwp, |d| d["TranDtls"]["RegRev"] = json!("Y"), &["2162"]),
        case("accepted: reverse charge on B2B", L, b2b, |d| d["TranDtls"]["RegRev"] = json!("Y"), &[]),

        // Parties.
        case("2211 buyer is the seller", L, b2b, |d| d["BuyerDtls"]["Gstin"] = json!(LARGE_SUPPLIER), &["2211"]),
        case("2258 seller Stcd 27 (PIN 400001) against a 29 GSTIN", L, b2b, |d| {
            d["SellerDtls"]["Stcd"] = json!("27");
            d["SellerDtls"]["Pin"] = json!(400_001);
        }, &["2258"]),
        case("2265 buyer Stcd 27 (PIN 400021) against a 29 GSTIN", L, b2b, |d| {
            d["BuyerDtls"]["Stcd"] = json!("27");
            d["BuyerDtls"]["Pin"] = json!(400_021);
        }, &["2265"]),
        // A registered export buyer also has a GSTIN state (27) that is not its Stcd (96).
        case("2248 export to a registered buyer", L, expwp, |d| d["BuyerDtls"]["Gstin"] = json!(BUYER_MH), &["2248", "2265"]),
        case("2229 export with POS 29", L, expwp, |d| d["BuyerDtls"]["Pos"] = json!("29"), &["2229"]),
        case("2261 export buyer Stcd 29 (PIN 560068)", L, expwp, |d| {
            d["BuyerDtls"]["Stcd"] = json!("29");
            d["BuyerDtls"]["Pin"] = json!(560_068);
        }, &["2261"]),
        case("2247 SEZ supply to a non-SEZ buyer", L, sezwp, |d| d["BuyerDtls"]["Gstin"] = json!(BUYER_KA), &["2247"]),
        case("accepted: SEZWOP to an SEZ developer", L, sezwop, |d| d["BuyerDtls"]["Gstin"] = json!(SEZ_DEVELOPER), &[]),
        case("2212 B2B to URP", L, b2b, |d| d["BuyerDtls"]["Gstin"] = json!("URP"), &["2212"]),
        case("2212 SEZWP to URP", L, sezwp, |d| d["BuyerDtls"]["Gstin"] = json!("URP"), &["2212"]),
        case("2171 DEXP to URP", L, dexp, |d| d["BuyerDtls"]["Gstin"] = json!("URP"), &["2171"]),
        case("2242 B2B with POS 96", L, b2b, |d| d["BuyerDtls"]["Pos"] = json!("96"), &["2242"]),
        case("2243 POS 99 (no such state)", L, b2b, |d| d["BuyerDtls"]["Pos"] = json!("99"), &["2243"]),
        case("2243 POS 25 (retired)", L, b2b, |d| d["BuyerDtls"]["Pos"] = json!("25"), &["2243"]),

        // Tax heads.
        case("2172 IGST on an intra-state item", L, b2b, |d| cgst_sgst_to_igst(d, 0), &["2172"]),
        case("2174 CGST/SGST on an inter-state item", L, inter, |d| igst_to_cgst_sgst(d, 0), &["2174"]),
        // Supplies by an SEZ developer are inter-state (IGST Act s. 7(5)(b)).
        case("2174 CGST/SGST charged by an SEZ developer", SEZ_DEVELOPER, b2b, |d| d["SellerDtls"]["Gstin"] = json!(SEZ_DEVELOPER), &["2174"]),
        case("2180 CGST/SGST on an export item", L, expwp, |d| igst_to_cgst_sgst(d, 0), &["2180"]),
        case("2237 CGST/SGST to an SEZ", L, sezwp, |d| igst_to_cgst_sgst(d, 0), &["2237"]),
        case("2227 CGST and SGST differ", L, b2b, |d| add(&mut d["ItemList"][0], "CgstAmt", 1.0), &["2227"]),
        case("2262 IgstOnIntra Y on an inter-state supply", L, inter, |d| d["TranDtls"]["IgstOnIntra"] = json!("Y"), &["2262"]),

        // Items and totals.
        case("2228 empty ItemList (the schema has no minItems)", L, b2b, |d| d["ItemList"] = json!([]), &["2228"]),
        case("2233 duplicate SlNo", L, two_goods, |d| d["ItemList"][1]["SlNo"] = json!("1"), &["2233"]),
        case("2238 goods without Qty", L, b2b, |d| remove(&mut d["ItemList"][0], "Qty"), &["2238"]),
        case("2239 goods without Unit", L, b2b, |d| remove(&mut d["ItemList"][0], "Unit"), &["2239"]),
        // 2192 only with `totals = "strict"` (below): the sandbox does not check it.
        case("accepted: TotAmt is not Qty x UnitPrice (2192 is strict only)", L, b2b, |d| d["ItemList"][0]["UnitPrice"] = json!(1300), &[]),
        case("2193 AssAmt is not TotAmt - Discount", L, b2b, |d| d["ItemList"][0]["Discount"] = json!(100), &["2193"]),
        case("2234 CGST/SGST off the rate", L, b2b, |d| {
            add(&mut d["ItemList"][0], "CgstAmt", 5.0);
            add(&mut d["ItemList"][0], "SgstAmt", 5.0);
            recompute(d);
        }, &["2234"]),
        case("2235 IGST off the rate", L, inter, |d| {
            add(&mut d["ItemList"][0], "IgstAmt", 5.0);
            recompute(d);
        }, &["2235"]),
        case("2266 cess off the rate", L, b2b, |d| d["ItemList"][0]["CesRt"] = json!(1), &["2266"]),
        case("2267 state cess off the rate", L, b2b, |d| d["ItemList"][0]["StateCesRt"] = json!(1), &["2267"]),
        case("accepted: cess at its rate", L, b2b, |d| {
            d["ItemList"][0]["CesRt"] = json!(1);
            d["ItemList"][0]["CesAmt"] = json!(125.05);
            recompute(d);
        }, &[]),
        case("2194 TotItemVal does not add up", L, b2b, |d| {
            add(&mut d["ItemList"][0], "TotItemVal", 5.0);
            add(&mut d["ValDtls"], "TotInvVal", 5.0);
        }, &["2194"]),
        // The same bump without the total: the stage reports both.
        case("2194 + 2189 TotItemVal alone", L, b2b, |d| add(&mut d["ItemList"][0], "TotItemVal", 5.0), &["2189", "2194"]),
        case("2182 AssVal", L, b2b, |d| add(&mut d["ValDtls"], "AssVal", 5.0), &["2182"]),
        case("2183 SgstVal", L, b2b, |d| add(&mut d["ValDtls"], "SgstVal", 5.0), &["2183"]),
        case("2184 CgstVal", L, b2b, |d| add(&mut d["ValDtls"], "CgstVal", 5.0), &["2184"]),
        case("2185 IgstVal", L, inter, |d| add(&mut d["ValDtls"], "IgstVal", 5.0), &["2185"]),
        case("2186 CesVal", L, b2b, |d| add(&mut d["ValDtls"], "CesVal", 5.0), &["2186"]),
        case("2187 StCesVal", L, b2b, |d| add(&mut d["ValDtls"], "StCesVal", 5.0), &["2187"]),
        case("2189 TotInvVal off by 1.50", L, b2b, |d| add(&mut d["ValDtls"], "TotInvVal", 1.5), &["2189"]),
        case("2189 TotInvVal off by -1.50", L, b2b, |d| add(&mut d["ValDtls"], "TotInvVal", -1.5), &["2189"]),
        case("accepted: TotInvVal off by 0.90", L, b2b, |d| add(&mut d["ValDtls"], "TotInvVal", 0.9), &[]),
        case("accepted: TotInvVal off by -0.90", L, b2b, |d| add(&mut d["ValDtls"], "TotInvVal", -0.9), &[]),
        case("accepted: OthChrg, Discount and RndOffAmt in the total", L, b2b, |d| {
            d["ValDtls"]["OthChrg"] = json!(10);
            d["ValDtls"]["Discount"] = json!(5.5);
            d["ValDtls"]["RndOffAmt"] = json!(-0.4);
            recompute(d);
        }, &[]),
        case("2220 document discount swallows the invoice", L, b2b, |d| {
            let total = d["ValDtls"]["TotInvVal"].clone();
            d["ValDtls"]["Discount"] = total;
            d["ValDtls"]["TotInvVal"] = json!(0);
        }, &["2220"]),
    ]
}

#[test]
fn every_rule_answers_its_code() {
    let mut failures = Vec::new();
    let cases = table();
    for case in &cases {
        let mut document = (case.base)();
        (case.mutate)(&mut document);
        let got = codes(case.caller, document);
        let expected = set_of(case.expected);
        if got != expected {
            failures.push(format!("{}: expected {expected:?}, got {got:?}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_schema_reports_every_violation() {
    let mut document = b2b();
    document["TranDtls"]["SupTyp"] = json!("B2C");
    document["ItemList"][0]["HsnCd"] = json!("12");
    let caller = Gstin::parse(LARGE_SUPPLIER).unwrap();
    let error = registration::check(&DEFAULT, &caller, document).unwrap_err();
    let details = error.details();
    assert!(details.len() >= 2, "{details:?}");
    assert!(details.iter().all(|d| d.error_code == "2140"));
    for path in ["#/TranDtls/SupTyp", "#/ItemList/0/HsnCd"] {
        assert!(
            details.iter().any(|d| d.error_message.starts_with(path)),
            "{path} not named in {details:?}"
        );
    }
}

/// The default follows the sandbox (2192 unchecked; it accepted NIC's own sample with
/// `TotAmt` 10 below `Qty × UnitPrice`); `totals = "strict"` adds 2192 and nothing else.
#[test]
fn strict_totals_add_2192_only() {
    let (strict, _) = state_with(RuleSettings {
        totals: TotalsMode::Strict,
        ..RuleSettings::default()
    });
    let mut document = b2b();
    document["ItemList"][0]["UnitPrice"] = json!(1300);
    assert_eq!(codes(L, document.clone()), set_of(&[]));
    assert_eq!(codes_in(&strict, L, document), set_of(&["2192"]));

    let mut document = b2b();
    document["ItemList"][0]["Discount"] = json!(100);
    assert_eq!(codes(L, document.clone()), set_of(&["2193"]));
    assert_eq!(codes_in(&strict, L, document), set_of(&["2193"]));
}

/// NIC's 2025 wording, every unknown code named once; the knob relaxes the master check to
/// the format, or turns it off.
#[test]
fn hsn_master_check_and_its_knob() {
    let mut document = two_goods();
    document["ItemList"][0]["HsnCd"] = json!("521211");
    document["ItemList"][1]["HsnCd"] = json!("391520");
    let caller = Gstin::parse(LARGE_SUPPLIER).unwrap();
    let error = registration::check(&DEFAULT, &caller, document.clone()).unwrap_err();
    let messages: Vec<&str> = error
        .details()
        .iter()
        .map(|d| d.error_message.as_str())
        .collect();
    assert_eq!(messages, ["HSN code(s)-521211,391520 is invalid"]);

    let (format, _) = state_with(RuleSettings {
        hsn_check: HsnCheck::Format,
        ..RuleSettings::default()
    });
    assert_eq!(codes_in(&format, L, document.clone()), set_of(&[]));
    let mut short = b2b();
    short["ItemList"][0]["HsnCd"] = json!("8471");
    assert_eq!(codes_in(&format, L, short.clone()), set_of(&["2176"]));

    let (off, _) = state_with(RuleSettings {
        hsn_check: HsnCheck::Off,
        ..RuleSettings::default()
    });
    assert_eq!(codes_in(&off, L, short), set_of(&[]));
}

/// NIC's order and wording for a composition supplier not enabled for e-invoicing: 3026
/// first, then 2300 (2025 production).
#[test]
fn not_enabled_is_listed_before_the_supplier_type() {
    let mut document = b2b();
    document["SellerDtls"]["Gstin"] = json!(COMPOSITION);
    let caller = Gstin::parse(COMPOSITION).unwrap();
    let error = registration::check(&DEFAULT, &caller, document).unwrap_err();
    let codes: Vec<&str> = error
        .details()
        .iter()
        .map(|d| d.error_code.as_str())
        .collect();
    assert_eq!(codes, ["3026", "2300"]);
    assert_eq!(
        error.details()[0].error_message,
        "E-Invoice Options are not enabled for this GSTIN"
    );
}

#[test]
fn item_limit_2173() {
    let (one, _) = state_with(RuleSettings {
        max_items: 1,
        ..RuleSettings::default()
    });
    assert_eq!(codes_in(&one, L, b2b()), set_of(&[]));
    assert_eq!(codes_in(&one, L, two_goods()), set_of(&["2173"]));
}

#[test]
fn unknown_recipients_can_be_accepted() {
    let (open, _) = state_with(RuleSettings {
        accept_unknown_recipients: true,
        ..RuleSettings::default()
    });
    let mut document = b2b();
    document["BuyerDtls"]["Gstin"] = json!(UNKNOWN);
    assert_eq!(codes_in(&open, L, document.clone()), set_of(&[]));
    // The seller must still be known.
    document["SellerDtls"]["Gstin"] = json!(UNKNOWN);
    assert_eq!(codes_in(&open, L, document), set_of(&["3028"]));
}

#[test]
fn tolerance_is_a_setting() {
    let (tight, _) = state_with(RuleSettings {
        tolerance_rupees: 0.0,
        ..RuleSettings::default()
    });
    let mut document = b2b();
    add(&mut document["ValDtls"], "TotInvVal", 0.9);
    assert_eq!(codes_in(&tight, L, document), set_of(&["2189"]));
}

// ---- clock windows of the reporting rule (2305) ---------------------------------------

fn dated(seller: &str, date: Date) -> Value {
    samples::invoice(&InvoiceSpec {
        seller: seller.to_owned(),
        ..InvoiceSpec::simple("WIN/1", date)
    })
}

#[test]
fn reporting_window_is_30_days_for_large_suppliers_only() {
    let thirty = TODAY - Duration::days(30);
    let thirty_one = TODAY - Duration::days(31);
    assert_eq!(thirty, date!(2026 - 03 - 01));
    assert_eq!(codes(L, dated(L, thirty)), set_of(&[]));
    assert_eq!(codes(L, dated(L, thirty_one)), set_of(&["2305"]));
    assert_eq!(
        codes(SMALL_SUPPLIER, dated(SMALL_SUPPLIER, thirty_one)),
        set_of(&[])
    );
    assert_eq!(
        codes(
            SMALL_SUPPLIER,
            dated(SMALL_SUPPLIER, TODAY - Duration::days(400))
        ),
        set_of(&[])
    );
}

#[test]
fn reporting_window_follows_the_setting() {
    let (three, _) = state_with(RuleSettings {
        reporting_window_days: 3,
        ..RuleSettings::default()
    });
    let old = |days| dated(L, TODAY - Duration::days(days));
    assert_eq!(codes_in(&three, L, old(3)), set_of(&[]));
    assert_eq!(codes_in(&three, L, old(4)), set_of(&["2305"]));
    assert_eq!(
        codes_in(
            &three,
            SMALL_SUPPLIER,
            dated(SMALL_SUPPLIER, TODAY - Duration::days(4))
        ),
        set_of(&[])
    );

    // The AATO threshold decides who is "large": at 300 Cr nobody in the master is.
    let (high, _) = state_with(RuleSettings {
        aato_threshold_crore: 300.0,
        ..RuleSettings::default()
    });
    assert_eq!(codes_in(&high, L, old(31)), set_of(&[]));
}

#[test]
fn reporting_window_moves_with_the_clock() {
    let (state, clock) = state_with(RuleSettings::default());
    let document = dated(L, date!(2026 - 03 - 01));
    assert_eq!(codes_in(&state, L, document.clone()), set_of(&[]));
    clock.advance(Duration::days(1));
    assert_eq!(codes_in(&state, L, document), set_of(&["2305"]));
}

#[test]
fn today_is_the_ist_date() {
    let (state, clock) = state_with(RuleSettings::default());
    let april_first = dated(L, date!(2026 - 04 - 01));
    // 23:59:59 IST on 31/03 is 18:29:59 UTC: 01/04 is still tomorrow.
    clock.freeze_at(datetime!(2026-03-31 18:29:59 UTC));
    assert_eq!(codes_in(&state, L, april_first.clone()), set_of(&["2163"]));
    // One second later it is 01/04 in India, though still 31/03 in UTC.
    clock.advance(Duration::seconds(1));
    assert_eq!(codes_in(&state, L, april_first), set_of(&[]));
}

// ---- properties -----------------------------------------------------------------------

const SUPPLIES: [SupplyType; 6] = [
    SupplyType::B2b,
    SupplyType::SezWithPayment,
    SupplyType::SezWithoutPayment,
    SupplyType::ExportWithPayment,
    SupplyType::ExportWithoutPayment,
    SupplyType::DeemedExport,
];
const DOC_TYPES: [DocType; 3] = [DocType::Invoice, DocType::CreditNote, DocType::DebitNote];
const RATES: [f64; 5] = [0.0, 5.0, 12.0, 18.0, 28.0];
/// Sellers that may issue e-invoices; each calls for itself.
const SELLERS: [&str; 3] = [LARGE_SUPPLIER, SMALL_SUPPLIER, SEZ_DEVELOPER];

fn rupees(paise: u32) -> f64 {
    f64::from(paise) / 100.0
}

/// Codes of the HSN master of `digits` digits, goods or services (SAC, chapter 99).
fn master_codes(digits: usize, services: bool) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = irp_emulator::masters::hsn_codes()
        .filter(|c| c.len() == digits && c.starts_with("99") == services)
        .collect();
    codes.sort_unstable();
    codes
}

/// A goods line (8-digit HSN of the master, unit NOS) or a service line (6-digit SAC of the
/// master), 2-decimal quantity and price, a rate from the master, up to 20% discount and
/// optionally 1% cess.
fn item_strategy() -> impl Strategy<Value = ItemSpec> {
    let goods = (
        proptest::sample::select(master_codes(8, false)),
        100_u32..=100_000,
        100_u32..=10_000_000,
        0..RATES.len(),
    )
        .prop_map(|(hsn, qty, price, rate)| {
            ItemSpec::goods(hsn, rupees(qty), rupees(price), RATES[rate])
        });
    let service = (
        proptest::sample::select(master_codes(6, true)),
        100_u32..=10_000_000,
        0..RATES.len(),
    )
        .prop_map(|(sac, price, rate)| ItemSpec::service(sac, rupees(price), RATES[rate]));
    (prop_oneof![goods, service], 0_u32..=20, any::<bool>()).prop_map(|(mut item, pct, cess)| {
        item.discount = paise(paise(item.qty * item.unit_price) * f64::from(pct) / 100.0);
        item.cess_rate = if cess { 1.0 } else { 0.0 };
        item
    })
}

/// A valid invoice: all six supply types, three document types, reverse charge only on
/// B2B, IGST-on-intra only on intra-state B2B/DEXP, 1–5 lines, optional e-way bill
/// details, dated up to 30 days back.
fn spec_strategy() -> impl Strategy<Value = InvoiceSpec> {
    (
        (0..SELLERS.len(), 0..SUPPLIES.len(), 0..DOC_TYPES.len()),
        "[A-Za-z1-9][A-Za-z0-9/-]{0,15}",
        0_i64..=30,
        (any::<bool>(), any::<bool>(), any::<bool>()),
        prop::collection::vec(item_strategy(), 1..=5),
        prop::option::of(0_u32..=4000),
    )
        .prop_map(
            |((seller, supply, doc_type), doc_no, age, (inter, rc, on_intra), items, ewb)| {
                let supply = SUPPLIES[supply];
                let b2b = supply == SupplyType::B2b;
                let domestic = b2b || supply == SupplyType::DeemedExport;
                let inter_state = domestic && inter;
                InvoiceSpec {
                    seller: SELLERS[seller].to_owned(),
                    supply,
                    doc_type: DOC_TYPES[doc_type],
                    doc_no,
                    doc_date: TODAY - Duration::days(age),
                    inter_state,
                    reverse_charge: b2b && rc,
                    igst_on_intra: domestic && !inter_state && on_intra,
                    items,
                    ewb_distance: ewb,
                }
            },
        )
}

/// Intra-state B2B (CGST + SGST) by a regular supplier, the first line taxed.
fn intra_b2b_strategy() -> impl Strategy<Value = InvoiceSpec> {
    (spec_strategy(), 1..RATES.len(), any::<bool>()).prop_map(|(mut spec, rate, small)| {
        spec.seller = if small {
            SMALL_SUPPLIER
        } else {
            LARGE_SUPPLIER
        }
        .to_owned();
        spec.supply = SupplyType::B2b;
        spec.inter_state = false;
        spec.igst_on_intra = false;
        spec.items[0].gst_rate = RATES[rate];
        spec
    })
}

proptest! {
    // Failures print their minimal input; no regression file next to a test binary.
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_invoices_are_accepted(spec in spec_strategy()) {
        let got = codes(&spec.seller, samples::invoice(&spec));
        prop_assert!(got.is_empty(), "{got:?} for {spec:?}");
    }

    #[test]
    fn total_invoice_value_off_by_two_or_more_is_2189(
        spec in spec_strategy(),
        bump in 200_u32..1_000_000,
    ) {
        let mut document = samples::invoice(&spec);
        add(&mut document["ValDtls"], "TotInvVal", rupees(bump));
        prop_assert_eq!(codes(&spec.seller, document), set_of(&["2189"]));
    }

    #[test]
    fn assessable_value_off_by_two_or_more_is_2182(
        spec in spec_strategy(),
        bump in 200_u32..1_000_000,
    ) {
        let mut document = samples::invoice(&spec);
        add(&mut document["ValDtls"], "AssVal", rupees(bump));
        prop_assert_eq!(codes(&spec.seller, document), set_of(&["2182"]));
    }

    #[test]
    fn intra_state_tax_moved_to_igst_is_2172(spec in intra_b2b_strategy()) {
        let mut document = samples::invoice(&spec);
        prop_assert!(codes(&spec.seller, document.clone()).is_empty());
        cgst_sgst_to_igst(&mut document, 0);
        prop_assert_eq!(codes(&spec.seller, document), set_of(&["2172"]));
    }

    #[test]
    fn seller_state_27_is_a_pin_error_then_a_state_error(spec in spec_strategy()) {
        // Masters (2178: PIN 560001 is not in 27) run before parties (2258).
        let mut document = samples::invoice(&spec);
        document["SellerDtls"]["Stcd"] = json!("27");
        prop_assert_eq!(codes(&spec.seller, document.clone()), set_of(&["2178"]));
        document["SellerDtls"]["Pin"] = json!(400_001);
        prop_assert_eq!(codes(&spec.seller, document), set_of(&["2258"]));
    }

    #[test]
    fn document_dated_tomorrow_is_2163(spec in spec_strategy()) {
        let mut document = samples::invoice(&spec);
        document["DocDtls"]["Dt"] = json!("01/04/2026");
        prop_assert_eq!(codes(&spec.seller, document), set_of(&["2163"]));
    }
}
