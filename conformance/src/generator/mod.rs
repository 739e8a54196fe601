//! Seeded invoice generator: valid INV-01 v1.1 e-invoices for every supply and document type.
//!
//! The harness needs invoices an IRP accepts, in every shape a scenario can ask for, and it
//! needs the same invoices again when a run is repeated: a failed step must be reproducible
//! from its seed. So the generator is seeded, and it is its own implementation of NIC's
//! rules (never the emulator's), because it is half of the oracle: an invoice the emulator
//! rejects is either a generator bug or an emulator bug, and telling which needs two
//! independent readings of the same rules.
//!
//! The work runs spec → plan → JSON:
//!
//! - `parties` decides the recipient (a registered party, or an unregistered foreign buyer)
//!   and the place of supply; `tax` picks the tax heads from the supply type and the
//!   states; `items` plans the lines from the `catalogue`; `totals` adds them up with
//!   NIC's formulas, in paise, so nothing is lost to floating point.
//! - `export` and `transport` add the export and e-way bill blocks.
//! - [`Generator::invoice`] writes the document in NIC's key order.
//!
//! # Determinism
//!
//! Every call draws from its own ChaCha8 stream: the key is `seed ^ fnv1a(stream)`, the
//! ChaCha stream number a hash of the document number (or, for e-way bill details, of the
//! date). An invoice therefore depends only on `(seed, stream, spec, parties, doc_no,
//! doc_date)`, not on what was generated before it, so one step of a run can be regenerated
//! alone. ChaCha8 and `rand` 0.8's sampling are value-stable across platforms and patch
//! releases, and the hash is written here rather than taken from `std` (whose hasher is not
//! stable across Rust releases).

mod catalogue;
mod export;
mod items;
mod money;
mod parties;
mod seed;
mod tax;
mod totals;
mod transport;

use serde_json::{Map, Value, json};
use time::Date;

use rand_chacha::ChaCha8Rng;

use self::{
    parties::{Recipient, Warehouse},
    seed::{Purpose, Seed},
};
use crate::{
    profile::Party,
    scenario::{DocType, EwbSpec, InvoiceSpec, SupplyType},
};

/// Seeded generator of valid e-invoices.
#[derive(Debug, Clone)]
pub struct Generator {
    seed: Seed,
}

/// The parties of one invoice.
#[derive(Debug, Clone, Copy)]
pub struct Parties<'a> {
    /// The seller (the caller's taxpayer).
    pub seller: &'a Party,
    /// The buyer; `None` for an export to an unregistered foreign buyer.
    pub buyer: Option<&'a Party>,
}

impl Generator {
    /// A generator whose output depends only on `seed` and `stream`.
    pub fn new(seed: u64, stream: &str) -> Self {
        Self {
            seed: Seed::new(seed, stream),
        }
    }

    /// An invoice for `spec`: INV-01 v1.1 JSON in NIC's key order.
    ///
    /// `buyer: None` makes the recipient an unregistered foreign buyer (`URP`, state 96,
    /// PIN 999999), as exports need; a registered buyer on an export, or a foreign one on a
    /// domestic supply, is written as asked so that failure scenarios can use it. Flags the
    /// IRP would refuse for the supply type (`reverse_charge` off B2B, `igst_on_intra`
    /// across states) are written as asked, too.
    pub fn invoice(
        &mut self,
        spec: &InvoiceSpec,
        parties: Parties<'_>,
        doc_no: &str,
        doc_date: Date,
    ) -> Value {
        let mut rng = self.seed.rng(Purpose::Invoice, doc_no);
        let exporting = is_export(spec.supply);
        let shipment = export::Shipment::pick(&mut rng);
        let recipient = match parties.buyer {
            Some(party) => Recipient::Registered(party),
            None => Recipient::Foreign(shipment.buyer),
        };
        let pos = recipient.place_of_supply(exporting);
        let heads = tax::heads(spec, &parties.seller.state_code, &pos);
        let lines = items::plan(&mut rng, spec.items, spec.services, heads);
        let totals = totals::Totals::of(&lines, &mut rng);

        let mut doc = Map::new();
        doc.insert("Version".into(), json!("1.1"));
        doc.insert("TranDtls".into(), tran_dtls(spec));
        doc.insert("DocDtls".into(), doc_dtls(spec.doc_type, doc_no, doc_date));
        doc.insert("SellerDtls".into(), parties::seller(parties.seller));
        doc.insert("BuyerDtls".into(), recipient.json(&pos));
        let dispatch = spec
            .dispatch_ship
            .then(|| Warehouse::pick(&mut rng, parties.seller, &[]));
        if let Some(from) = &dispatch {
            doc.insert("DispDtls".into(), from.dispatch_json(parties.seller));
        }
        if let Some(to) = ship_to(&mut rng, spec, &recipient, &shipment, dispatch.as_ref()) {
            doc.insert("ShipDtls".into(), to);
        }
        doc.insert(
            "ItemList".into(),
            Value::Array(lines.iter().map(items::Line::json).collect()),
        );
        let foreign_value = exporting.then(|| shipment.buyer.in_currency(totals.invoice_value));
        doc.insert("ValDtls".into(), totals.json(foreign_value));
        if exporting {
            doc.insert("ExpDtls".into(), shipment.exp_dtls(spec.supply));
        }
        if let Some(ewb) = &spec.ewb {
            doc.insert(
                "EwbDtls".into(),
                transport::details(&mut rng, ewb, doc_date),
            );
        }
        Value::Object(doc)
    }

    /// The e-way bill details (`EwbDtls` members, also the Generate e-way bill body less
    /// `Irn`), in the schema's key order.
    ///
    /// Road (`mode` 1) carries a vehicle number and type `R`; rail, air and ship (2–4) a
    /// transport document number and date (the document date); no mode is Part-A only,
    /// which needs `transporter`. `Distance` is as given (0 asks the IRP to compute it).
    pub fn ewb_details(&mut self, spec: &EwbSpec, doc_date: Date) -> Value {
        let mut rng = self.seed.rng(Purpose::EwayBill, &format_date(doc_date));
        transport::details(&mut rng, spec, doc_date)
    }
}

/// `ShipDtls`: the port of export for goods going abroad (when dispatch details or an e-way
/// bill are asked for, since the e-way bill must end in India), the SEZ unit itself, or
/// other premises of the buyer with a PIN other than the dispatch PIN.
fn ship_to(
    rng: &mut ChaCha8Rng,
    spec: &InvoiceSpec,
    recipient: &Recipient<'_>,
    shipment: &export::Shipment,
    dispatch: Option<&Warehouse>,
) -> Option<Value> {
    match recipient {
        Recipient::Registered(buyer) if !is_export(spec.supply) => {
            if !spec.dispatch_ship {
                return None;
            }
            let avoid: Vec<u32> = dispatch.iter().map(|w| w.pin).collect();
            let sez = matches!(spec.supply, SupplyType::Sezwp | SupplyType::Sezwop);
            let to = if sez && !avoid.contains(&buyer.pin) {
                Warehouse::own(buyer)
            } else {
                Warehouse::pick(rng, buyer, &avoid)
            };
            Some(to.ship_json(buyer))
        }
        _ => (spec.dispatch_ship || spec.ewb.is_some()).then(|| shipment.port.ship_json(recipient)),
    }
}

fn is_export(supply: SupplyType) -> bool {
    matches!(supply, SupplyType::Expwp | SupplyType::Expwop)
}

fn tran_dtls(spec: &InvoiceSpec) -> Value {
    json!({
        "TaxSch": "GST",
        "SupTyp": supply_code(spec.supply),
        "RegRev": yes_no(spec.reverse_charge),
        "IgstOnIntra": yes_no(spec.igst_on_intra),
    })
}

fn doc_dtls(doc_type: DocType, doc_no: &str, doc_date: Date) -> Value {
    let typ = match doc_type {
        DocType::Inv => "INV",
        DocType::Crn => "CRN",
        DocType::Dbn => "DBN",
    };
    json!({ "Typ": typ, "No": doc_no, "Dt": format_date(doc_date) })
}

fn supply_code(supply: SupplyType) -> &'static str {
    match supply {
        SupplyType::B2b => "B2B",
        SupplyType::Sezwp => "SEZWP",
        SupplyType::Sezwop => "SEZWOP",
        SupplyType::Expwp => "EXPWP",
        SupplyType::Expwop => "EXPWOP",
        SupplyType::Dexp => "DEXP",
    }
}

fn yes_no(flag: bool) -> &'static str {
    if flag { "Y" } else { "N" }
}

/// `dd/mm/yyyy`, the request date format.
fn format_date(date: Date) -> String {
    format!(
        "{:02}/{:02}/{:04}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

#[cfg(test)]
mod tests;
