//! The generator's data against the emulator's masters, beyond what the built-in profile's
//! two states reach: every warehouse and port PIN must belong to its state code (both of the
//! emulator's PIN readings), every dispatch → ship-to pair must have a computable distance
//! (so `Distance: 0` works), and every unit and rate must be in the UQC and GST rate masters.

use std::collections::BTreeSet;

use irp_conformance::{
    generator::{Generator, Parties},
    profile::{Party, Profile},
    scenario::InvoiceSpec,
};
use irp_emulator::masters::{
    DistanceModel, PinStateCheck, is_gst_rate, is_unit_code, pin_belongs_to_state,
};
use serde_json::Value;
use time::macros::date;

/// A party in `state` whose own PIN (0) marks "no listed site, own address used".
fn party(state: u8) -> Party {
    Party {
        gstin: format!("{state:02}AAACB1234C1Z5"),
        legal_name: "SYNTHETIC PARTY".into(),
        address: "1 MAIN ROAD".into(),
        location: "TOWN".into(),
        pin: 0,
        state_code: format!("{state:02}"),
        ..Party::default()
    }
}

fn spec(text: &str) -> InvoiceSpec {
    serde_json::from_str(text).unwrap()
}

fn place(block: &Value) -> (u32, u8) {
    let pin = u32::try_from(block["Pin"].as_u64().unwrap()).unwrap();
    (pin, block["Stcd"].as_str().unwrap().parse().unwrap())
}

fn assert_pin_in_state((pin, state): (u32, u8), what: &str) {
    for mode in [PinStateCheck::IrpRanges, PinStateCheck::PrefixTable] {
        assert!(
            pin_belongs_to_state(pin, state, mode),
            "{what}: PIN {pin} not in state {state:02} ({mode:?})"
        );
    }
}

#[test]
fn warehouse_pins_belong_to_their_states_and_have_distances() {
    let spec = spec(r#"{"dispatch_ship": true}"#);
    let distance = DistanceModel::default();
    let mut sites = BTreeSet::new();
    for state in 1..=38 {
        let (seller, buyer) = (party(state), party(state));
        let parties = Parties {
            seller: &seller,
            buyer: Some(&buyer),
        };
        for seed in 0..40 {
            let v =
                Generator::new(seed, "sites").invoice(&spec, parties, "M/1", date!(2026 - 03 - 01));
            let (from, to) = (place(&v["DispDtls"]), place(&v["ShipDtls"]));
            for (end, what) in [(from, "dispatch"), (to, "ship-to")] {
                if end.0 != 0 {
                    assert_pin_in_state(end, what);
                    sites.insert(end.0);
                }
            }
            if from.0 != 0 && to.0 != 0 {
                assert_ne!(from.0, to.0, "dispatch and ship-to share a PIN");
                distance
                    .distance_km(from.0, to.0)
                    .unwrap_or_else(|e| panic!("no distance {} → {}: {e:?}", from.0, to.0));
            }
        }
    }
    assert!(sites.len() >= 30, "only {} sites seen", sites.len());
}

#[test]
fn export_ports_are_indian_addresses_reachable_from_the_seller() {
    let profile = Profile::emulator();
    let parties = Parties {
        seller: profile.party("supplier").unwrap(),
        buyer: None,
    };
    let spec = spec(r#"{"supply": "EXPWOP", "dispatch_ship": true}"#);
    let distance = DistanceModel::default();
    let mut ports = BTreeSet::new();
    for seed in 0..60 {
        let v = Generator::new(seed, "ports").invoice(&spec, parties, "P/1", date!(2026 - 03 - 01));
        let port = place(&v["ShipDtls"]);
        assert_pin_in_state(port, "port");
        let from = place(&v["DispDtls"]);
        distance.distance_km(from.0, port.0).unwrap();
        ports.insert((port.0, v["ExpDtls"]["Port"].as_str().unwrap().to_owned()));
    }
    assert_eq!(ports.len(), 6, "{ports:?}");
}

#[test]
fn units_and_rates_are_in_the_masters() {
    let profile = Profile::emulator();
    let parties = Parties {
        seller: profile.party("supplier").unwrap(),
        buyer: profile.party("buyer_other_state"),
    };
    let mut codes = BTreeSet::new();
    for services in [false, true] {
        let spec = spec(&format!(r#"{{"items": 30, "services": {services}}}"#));
        for seed in 0..20 {
            let v = Generator::new(seed, "masters").invoice(
                &spec,
                parties,
                "U/1",
                date!(2026 - 03 - 01),
            );
            for item in v["ItemList"].as_array().unwrap() {
                let hsn = item["HsnCd"].as_str().unwrap();
                assert_eq!(hsn.len(), if services { 6 } else { 8 }, "{item}");
                assert_eq!(hsn.starts_with("99"), services, "{item}");
                if let Some(unit) = item["Unit"].as_str() {
                    assert!(is_unit_code(unit), "{item}");
                }
                assert!(is_gst_rate(item["GstRt"].as_f64().unwrap()), "{item}");
                codes.insert(hsn.to_owned());
            }
        }
    }
    assert!(codes.len() >= 30, "{codes:?}");
}
