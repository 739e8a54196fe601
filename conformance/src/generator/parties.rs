//! Who sells, who buys, and where goods move from and to.
//!
//! The seller and a registered buyer come from the profile as they are. An unregistered
//! foreign buyer is `URP` in state 96 with PIN 999999, as NIC requires of exports. Dispatch
//! and ship-to addresses are other premises of the seller and buyer: real industrial areas
//! of the party's state with real PIN codes (so the IRP's PIN-to-state check and its
//! pin-to-pin distance both work), or the party's own address for a state not listed here.

use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

use super::export::ForeignBuyer;
use crate::profile::Party;

/// The state code of a place outside India.
pub(super) const FOREIGN_STATE: &str = "96";
/// The PIN of a place outside India.
pub(super) const FOREIGN_PIN: u32 = 999_999;

/// Whether two state codes are the same state (`"7"` and `"07"` are).
pub(super) fn same_state(a: &str, b: &str) -> bool {
    match (a.trim().parse::<u8>(), b.trim().parse::<u8>()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// `SellerDtls`.
pub(super) fn seller(party: &Party) -> Value {
    json!({
        "Gstin": party.gstin,
        "LglNm": party.legal_name,
        "Addr1": party.address,
        "Loc": party.location,
        "Pin": party.pin,
        "Stcd": party.state_code,
    })
}

/// The recipient of an invoice.
#[derive(Debug, Clone, Copy)]
pub(super) enum Recipient<'a> {
    /// A GSTIN holder from the profile.
    Registered(&'a Party),
    /// An unregistered buyer abroad (`URP`).
    Foreign(&'static ForeignBuyer),
}

impl Recipient<'_> {
    /// `Pos`: the buyer's state, or 96 for an export or a buyer abroad.
    pub(super) fn place_of_supply(&self, exporting: bool) -> String {
        match self {
            Self::Registered(party) if !exporting => party.state_code.clone(),
            _ => FOREIGN_STATE.to_owned(),
        }
    }

    /// `LglNm`.
    pub(super) fn legal_name(&self) -> &str {
        match self {
            Self::Registered(party) => &party.legal_name,
            Self::Foreign(buyer) => buyer.name,
        }
    }

    /// `BuyerDtls` in NIC's key order (`Stcd` last).
    pub(super) fn json(&self, pos: &str) -> Value {
        match self {
            Self::Registered(party) => json!({
                "Gstin": party.gstin,
                "LglNm": party.legal_name,
                "Pos": pos,
                "Addr1": party.address,
                "Loc": party.location,
                "Pin": party.pin,
                "Stcd": party.state_code,
            }),
            Self::Foreign(buyer) => json!({
                "Gstin": "URP",
                "LglNm": buyer.name,
                "Pos": pos,
                "Addr1": buyer.address,
                "Loc": buyer.city,
                "Pin": FOREIGN_PIN,
                "Stcd": FOREIGN_STATE,
            }),
        }
    }
}

/// Another address of a party: a warehouse, plant or branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Warehouse {
    /// `Addr1`.
    pub(super) address: String,
    /// `Loc`.
    pub(super) location: String,
    /// `Pin`.
    pub(super) pin: u32,
    /// `Stcd`.
    pub(super) state_code: String,
}

impl Warehouse {
    /// Premises of `party` in its state whose PIN is not in `avoid` (goods cannot move
    /// between two places with the same PIN when the IRP is to compute the distance).
    pub(super) fn pick(rng: &mut ChaCha8Rng, party: &Party, avoid: &[u32]) -> Self {
        let candidates: Vec<&Site> = SITES
            .iter()
            .filter(|s| same_state(s.state, &party.state_code) && !avoid.contains(&s.pin))
            .collect();
        match candidates.choose(rng) {
            Some(site) => Self {
                address: site.address.to_owned(),
                location: site.location.to_owned(),
                pin: site.pin,
                state_code: party.state_code.clone(),
            },
            None => Self::own(party),
        }
    }

    /// The party's own address (an SEZ unit receives goods at the zone itself).
    pub(super) fn own(party: &Party) -> Self {
        Self {
            address: party.address.clone(),
            location: party.location.clone(),
            pin: party.pin,
            state_code: party.state_code.clone(),
        }
    }

    /// `DispDtls`: the seller's premises goods leave from.
    pub(super) fn dispatch_json(&self, seller: &Party) -> Value {
        json!({
            "Nm": seller.legal_name,
            "Addr1": self.address,
            "Loc": self.location,
            "Pin": self.pin,
            "Stcd": self.state_code,
        })
    }

    /// `ShipDtls`: the buyer's premises goods go to.
    pub(super) fn ship_json(&self, buyer: &Party) -> Value {
        let mut ship = Map::new();
        ship.insert("Gstin".into(), json!(buyer.gstin));
        ship.insert("LglNm".into(), json!(buyer.legal_name));
        ship.insert("Addr1".into(), json!(self.address));
        ship.insert("Loc".into(), json!(self.location));
        ship.insert("Pin".into(), json!(self.pin));
        ship.insert("Stcd".into(), json!(self.state_code));
        Value::Object(ship)
    }
}

/// An industrial site with its real PIN.
#[derive(Debug)]
struct Site {
    state: &'static str,
    address: &'static str,
    location: &'static str,
    pin: u32,
}

const fn site(
    state: &'static str,
    address: &'static str,
    location: &'static str,
    pin: u32,
) -> Site {
    Site {
        state,
        address,
        location,
        pin,
    }
}

#[rustfmt::skip]
const SITES: &[Site] = &[
    site("01", "PLOT 14 INDUSTRIAL ESTATE DIGIANA", "JAMMU", 180_010),
    site("02", "PLOT 7 INDUSTRIAL AREA BADDI", "BADDI", 173_205),
    site("03", "B-21 FOCAL POINT PHASE 5", "LUDHIANA", 141_010),
    site("04", "PLOT 112 INDUSTRIAL AREA PHASE 1", "CHANDIGARH", 160_002),
    site("05", "PLOT 9 SIDCUL PANTNAGAR", "RUDRAPUR", 263_153),
    site("06", "PLOT 58 SECTOR 8 IMT MANESAR", "GURUGRAM", 122_050),
    site("07", "F-42 OKHLA INDUSTRIAL AREA PHASE 2", "NEW DELHI", 110_020),
    site("07", "A-17 NARELA INDUSTRIAL AREA", "NEW DELHI", 110_040),
    site("08", "G-1 SITAPURA INDUSTRIAL AREA", "JAIPUR", 302_022),
    site("09", "C-56 SECTOR 63", "NOIDA", 201_301),
    site("10", "PATLIPUTRA INDUSTRIAL AREA", "PATNA", 800_013),
    site("18", "AMINGAON INDUSTRIAL ESTATE", "GUWAHATI", 781_031),
    site("19", "21 TARATALA INDUSTRIAL ESTATE", "KOLKATA", 700_088),
    site("20", "ADITYAPUR INDUSTRIAL AREA PHASE 4", "JAMSHEDPUR", 831_013),
    site("21", "MANCHESWAR INDUSTRIAL ESTATE", "BHUBANESWAR", 751_010),
    site("22", "URLA INDUSTRIAL AREA", "RAIPUR", 493_221),
    site("23", "SECTOR 3 INDUSTRIAL AREA PITHAMPUR", "DHAR", 454_775),
    site("24", "PLOT 210 SANAND GIDC", "SANAND", 382_110),
    site("27", "GALA 12 RAHNAL LOGISTICS PARK", "BHIWANDI", 421_302),
    site("27", "PLOT A-45 MIDC CHAKAN PHASE 2", "PUNE", 410_501),
    site("27", "PLOT D-8 MIDC TALOJA", "NAVI MUMBAI", 410_208),
    site("29", "PLOT 21 PEENYA INDUSTRIAL AREA", "BENGALURU", 560_058),
    site("29", "SY NO 45 BOMMASANDRA INDUSTRIAL AREA", "BENGALURU", 560_099),
    site("29", "KIADB INDUSTRIAL AREA HOSKOTE", "HOSKOTE", 562_114),
    site("29", "BAIKAMPADY INDUSTRIAL AREA", "MANGALURU", 575_011),
    site("30", "PLOT L-52 VERNA INDUSTRIAL ESTATE", "VERNA", 403_722),
    site("32", "KINFRA HI-TECH PARK KAKKANAD", "KOCHI", 682_030),
    site("33", "SIPCOT INDUSTRIAL PARK", "SRIPERUMBUDUR", 602_105),
    site("33", "AMBATTUR INDUSTRIAL ESTATE", "CHENNAI", 600_058),
    site("34", "THATTANCHAVADY INDUSTRIAL ESTATE", "PUDUCHERRY", 605_009),
    site("36", "IDA CHERLAPALLY PHASE 2", "HYDERABAD", 500_051),
    site("37", "AUTONAGAR", "VIJAYAWADA", 520_007),
];

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    fn party(state: &str, pin: u32) -> Party {
        Party {
            gstin: format!("{state}AAACB1234C1Z5"),
            legal_name: "BUYER".into(),
            address: "1 MAIN ROAD".into(),
            location: "TOWN".into(),
            pin,
            state_code: state.into(),
            ..Party::default()
        }
    }

    #[test]
    fn warehouses_stay_in_the_state_and_avoid_pins() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..50 {
            let w = Warehouse::pick(&mut rng, &party("29", 560_001), &[560_058, 560_099]);
            assert_eq!(w.state_code, "29");
            assert!(![560_058, 560_099].contains(&w.pin));
            assert!(w.pin / 1000 >= 560 && w.pin / 1000 <= 591, "{w:?}");
        }
        // A state without listed sites falls back to the party's own address.
        let w = Warehouse::pick(&mut rng, &party("11", 737_101), &[]);
        assert_eq!((w.pin, w.state_code.as_str()), (737_101, "11"));
        assert!(same_state("7", "07") && !same_state("29", "27"));
    }
}
