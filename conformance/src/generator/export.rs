//! Exports: the foreign buyer, the port goods leave India from, and `ExpDtls`.
//!
//! NIC wants an export's recipient to be `URP` in state 96, its ship-to to be the Indian
//! port of export (an e-way bill cannot end at PIN 999999), and `ExpDtls` to name the port,
//! the destination country and the invoice currency. `TotInvValFc` is the total converted
//! at a fixed, plausible exchange rate.

use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use super::{money::Paise, parties::Recipient};
use crate::scenario::SupplyType;

/// An importer abroad.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct ForeignBuyer {
    /// `LglNm`.
    pub(super) name: &'static str,
    /// `Addr1`.
    pub(super) address: &'static str,
    /// `Loc`.
    pub(super) city: &'static str,
    /// ISO 3166 country code (`CntCode`).
    country: &'static str,
    /// ISO 4217 currency code (`ForCur`).
    currency: &'static str,
    /// Rupees per unit of `currency`, in paise.
    rate: i64,
}

impl ForeignBuyer {
    /// `amount` in the buyer's currency, to the cent.
    pub(super) fn in_currency(&self, amount: Paise) -> Paise {
        amount.scale(100, self.rate)
    }
}

#[rustfmt::skip]
static BUYERS: [ForeignBuyer; 5] = [
    ForeignBuyer { name: "ATLANTIC IMPORTS INC", address: "350 FIFTH AVENUE SUITE 4100", city: "NEW YORK", country: "US", currency: "USD", rate: 8_350 },
    ForeignBuyer { name: "GULF STAR TRADING LLC", address: "OFFICE 1204 SHEIKH ZAYED ROAD", city: "DUBAI", country: "AE", currency: "AED", rate: 2_270 },
    ForeignBuyer { name: "THAMES COMMODITIES LIMITED", address: "25 CANADA SQUARE", city: "LONDON", country: "GB", currency: "GBP", rate: 10_580 },
    ForeignBuyer { name: "RHEIN HANDELSGESELLSCHAFT MBH", address: "KONIGSALLEE 60", city: "DUSSELDORF", country: "DE", currency: "EUR", rate: 9_020 },
    ForeignBuyer { name: "LION CITY SUPPLIES PTE LTD", address: "10 ANSON ROAD", city: "SINGAPORE", country: "SG", currency: "SGD", rate: 6_210 },
];

/// An Indian port of export.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Port {
    /// Port code (`ExpDtls.Port`).
    code: &'static str,
    address: &'static str,
    location: &'static str,
    pin: u32,
    state: &'static str,
}

impl Port {
    /// `ShipDtls` for an export: the buyer's name at the port of export.
    pub(super) fn ship_json(&self, recipient: &Recipient<'_>) -> Value {
        json!({
            "LglNm": recipient.legal_name(),
            "Addr1": self.address,
            "Loc": self.location,
            "Pin": self.pin,
            "Stcd": self.state,
        })
    }
}

#[rustfmt::skip]
static PORTS: [Port; 6] = [
    Port { code: "INMAA1", address: "CHENNAI PORT RAJAJI SALAI", location: "CHENNAI", pin: 600_001, state: "33" },
    Port { code: "INNSA1", address: "JAWAHARLAL NEHRU PORT SHEVA", location: "NAVI MUMBAI", pin: 400_707, state: "27" },
    Port { code: "INBLR4", address: "AIR CARGO COMPLEX KEMPEGOWDA AIRPORT", location: "BENGALURU", pin: 560_300, state: "29" },
    Port { code: "INMUN1", address: "MUNDRA PORT NAVINAL ISLAND", location: "MUNDRA", pin: 370_421, state: "24" },
    Port { code: "INCOK1", address: "COCHIN PORT WILLINGDON ISLAND", location: "KOCHI", pin: 682_003, state: "32" },
    Port { code: "INDEL4", address: "AIR CARGO TERMINAL IGI AIRPORT", location: "NEW DELHI", pin: 110_037, state: "07" },
];

/// Where an export goes and through which port.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shipment {
    /// The importer.
    pub(super) buyer: &'static ForeignBuyer,
    /// The port of export.
    pub(super) port: &'static Port,
}

impl Shipment {
    /// A buyer and a port.
    pub(super) fn pick(rng: &mut ChaCha8Rng) -> Self {
        Self {
            buyer: BUYERS.choose(rng).unwrap_or(&BUYERS[0]),
            port: PORTS.choose(rng).unwrap_or(&PORTS[0]),
        }
    }

    /// `ExpDtls`: refund claimed on IGST paid (EXPWP), not otherwise.
    pub(super) fn exp_dtls(&self, supply: SupplyType) -> Value {
        let refund = if supply == SupplyType::Expwp {
            "Y"
        } else {
            "N"
        };
        json!({
            "Port": self.port.code,
            "RefClm": refund,
            "ForCur": self.buyer.currency,
            "CntCode": self.buyer.country,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion_to_foreign_currency() {
        let usd = &BUYERS[0];
        // ₹83,500.00 at ₹83.50 = USD 1,000.00.
        assert_eq!(usd.in_currency(Paise(8_350_000)), Paise(100_000));
    }
}
