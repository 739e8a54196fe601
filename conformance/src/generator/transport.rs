//! E-way bill transport details (`EwbDtls`, and the Generate e-way bill body less `Irn`).
//!
//! NIC's Part-A/Part-B rules: road needs a vehicle number and type (`R` regular); rail, air
//! and ship need a transport document number and date (not before the invoice, not in the
//! future, so the invoice date is used); with no mode the bill is Part-A only and needs a
//! transporter id. Transporter ids are GSTINs with a correct check character, so they pass
//! an IRP that checks it.

use rand::{Rng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};
use time::Date;

use super::format_date;
use crate::scenario::EwbSpec;

/// Transport modes (`TransMode`).
const ROAD: u8 = 1;
const RAIL: u8 = 2;
const AIR: u8 = 3;
const SHIP: u8 = 4;

/// `EwbDtls` for `spec`, in the schema's key order.
pub(super) fn details(rng: &mut ChaCha8Rng, spec: &EwbSpec, doc_date: Date) -> Value {
    let mut ewb = Map::new();
    if spec.transporter {
        let (name, state) = TRANSPORTERS
            .choose(rng)
            .copied()
            .unwrap_or(("ROADLINES", "29"));
        ewb.insert("TransId".into(), json!(transporter_gstin(rng, state, name)));
        ewb.insert("TransName".into(), json!(name));
    }
    if let Some(mode) = spec.mode {
        ewb.insert("TransMode".into(), json!(mode.to_string()));
    }
    ewb.insert("Distance".into(), json!(spec.distance));
    match spec.mode {
        Some(ROAD) => {
            ewb.insert("VehNo".into(), json!(vehicle_number(rng)));
            ewb.insert("VehType".into(), json!("R"));
        }
        Some(mode @ (RAIL | AIR | SHIP)) => {
            ewb.insert("TransDocNo".into(), json!(transport_document(rng, mode)));
            ewb.insert("TransDocDt".into(), json!(format_date(doc_date)));
        }
        _ => {}
    }
    Value::Object(ewb)
}

#[rustfmt::skip]
const TRANSPORTERS: &[(&str, &str)] = &[
    ("SWIFT ROADWAYS PRIVATE LIMITED", "29"),
    ("DECCAN CARGO MOVERS PRIVATE LIMITED", "36"),
    ("WESTERN FREIGHT CARRIERS LIMITED", "27"),
    ("COROMANDEL LOGISTICS PRIVATE LIMITED", "33"),
    ("NORTHERN EXPRESS TRANSPORT CO", "07"),
    ("SABARMATI TRANSLINES PRIVATE LIMITED", "24"),
];

/// Vehicle registration prefixes (state marks).
const VEHICLE_STATES: &[&str] = &["KA", "MH", "TN", "DL", "GJ", "HR", "TS", "AP", "UP", "RJ"];

/// Letters of a registration series (I and O are not issued).
const SERIES: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Container lines' codes, for bills of lading.
const CARRIERS: &[&str] = &["MAEU", "MSCU", "CMDU", "ONEY", "HLCU"];

fn letter(rng: &mut ChaCha8Rng) -> char {
    SERIES.choose(rng).map_or('A', |b| char::from(*b))
}

/// `KA01AB1234`.
fn vehicle_number(rng: &mut ChaCha8Rng) -> String {
    let state = VEHICLE_STATES.choose(rng).copied().unwrap_or("KA");
    let district: u8 = rng.gen_range(1..=60);
    let (a, b) = (letter(rng), letter(rng));
    let number: u16 = rng.gen_range(1..=9999);
    format!("{state}{district:02}{a}{b}{number:04}")
}

/// A railway receipt, an air waybill or a bill of lading number.
fn transport_document(rng: &mut ChaCha8Rng, mode: u8) -> String {
    match mode {
        RAIL => format!("RR{:08}", rng.gen_range(1..100_000_000_u32)),
        AIR => format!(
            "{:03}-{:08}",
            rng.gen_range(1..1000_u16),
            rng.gen_range(1..100_000_000_u32)
        ),
        _ => format!(
            "{}{:09}",
            CARRIERS.choose(rng).copied().unwrap_or("MAEU"),
            rng.gen_range(1..1_000_000_000_u32)
        ),
    }
}

/// A company GSTIN in `state`: a PAN whose fifth letter is the name's initial, entity 1,
/// `Z`, and the check character.
fn transporter_gstin(rng: &mut ChaCha8Rng, state: &str, name: &str) -> String {
    let initial = name.chars().next().unwrap_or('T');
    let pan = format!(
        "AA{}C{initial}{:04}{}",
        letter(rng),
        rng.gen_range(1..10_000_u16),
        letter(rng)
    );
    let body = format!("{state}{pan}1Z");
    let check = check_character(&body);
    format!("{body}{check}")
}

/// The GSTIN check character of the first 14 characters (mod-36 Luhn variant).
fn check_character(first14: &str) -> char {
    const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let sum: u32 = first14
        .bytes()
        .filter_map(|c| ALPHABET.iter().position(|a| *a == c))
        .zip([1_u32, 2].into_iter().cycle())
        .map(|(value, factor)| {
            let product = u32::try_from(value).unwrap_or(0) * factor;
            product / 36 + product % 36
        })
        .sum();
    let check = (36 - sum % 36) % 36;
    ALPHABET
        .get(usize::try_from(check).unwrap_or(0))
        .map_or('0', |b| char::from(*b))
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn check_characters_match_known_gstins() {
        // Real GSTINs that pass the check (reference pack, §11).
        for gstin in ["27GSPMH1881G1ZH", "09AAJCM7191E1Z5", "24AACCT6304M1ZB"] {
            assert_eq!(check_character(&gstin[..14]), gstin.chars().last().unwrap());
        }
    }

    fn spec(mode: Option<u8>, distance: u32, transporter: bool) -> EwbSpec {
        EwbSpec {
            mode,
            distance,
            transporter,
        }
    }

    #[test]
    fn each_mode_carries_its_part_b() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let date = time::macros::date!(2026 - 03 - 20);
        let road = details(&mut rng, &spec(Some(1), 120, false), date);
        assert_eq!(road["TransMode"], "1");
        assert_eq!(road["VehType"], "R");
        assert_eq!(road["Distance"], 120);
        assert!(road.get("TransId").is_none());
        let vehicle = road["VehNo"].as_str().unwrap();
        assert_eq!(vehicle.len(), 10, "{vehicle}");
        for mode in [2, 3, 4] {
            let v = details(&mut rng, &spec(Some(mode), 0, true), date);
            assert_eq!(v["TransMode"], mode.to_string());
            assert_eq!(v["TransDocDt"], "20/03/2026");
            let doc = v["TransDocNo"].as_str().unwrap();
            assert!(!doc.is_empty() && doc.len() <= 15, "{doc}");
            assert!(v.get("VehNo").is_none());
            let id = v["TransId"].as_str().unwrap();
            assert_eq!(check_character(&id[..14]), id.chars().last().unwrap());
        }
        let part_a = details(&mut rng, &spec(None, 0, true), date);
        let keys: Vec<&str> = part_a
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["TransId", "TransName", "Distance"]);
    }
}
