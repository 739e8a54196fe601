//! The lines of an invoice: what is sold, how many, at what price, and each line's tax.
//!
//! Per line, NIC's formulas: `TotAmt = Qty × UnitPrice`, `AssAmt = TotAmt − Discount`, each
//! tax `AssAmt × rate / 100` (CGST and SGST half each) rounded to the paisa, and
//! `TotItemVal = AssAmt + taxes + OthChrg`. Lines of one invoice use distinct catalogue
//! entries until the catalogue runs out, so multi-item invoices carry varied HSN codes.

use rand::{Rng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

use super::{
    catalogue::{GOODS, Product, SERVICES},
    money::{Paise, Qty, Rate},
    tax::Heads,
};

/// One planned line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    /// `SlNo`, from 1.
    pub(super) serial: u32,
    /// What is sold.
    pub(super) product: Product,
    /// Whether it is a service.
    pub(super) service: bool,
    /// `Qty`; a lump-sum service line has none.
    pub(super) qty: Option<Qty>,
    /// `UnitPrice`.
    pub(super) price: Paise,
    /// `TotAmt`.
    pub(super) gross: Paise,
    /// `Discount`.
    pub(super) discount: Paise,
    /// `GstRt` (0 when no tax is paid).
    pub(super) rate: Rate,
    /// `IgstAmt`.
    pub(super) igst: Paise,
    /// `CgstAmt`.
    pub(super) cgst: Paise,
    /// `SgstAmt`.
    pub(super) sgst: Paise,
    /// `OthChrg` (packing, freight, insurance).
    pub(super) other: Paise,
}

impl Line {
    /// `AssAmt`.
    pub(super) fn taxable(&self) -> Paise {
        self.gross - self.discount
    }

    /// `TotItemVal`.
    pub(super) fn value(&self) -> Paise {
        self.taxable() + self.igst + self.cgst + self.sgst + self.other
    }

    /// The `ItemList` element, in NIC's key order.
    pub(super) fn json(&self) -> Value {
        let mut item = Map::new();
        item.insert("SlNo".into(), json!(self.serial.to_string()));
        item.insert(
            "IsServc".into(),
            json!(if self.service { "Y" } else { "N" }),
        );
        item.insert("PrdDesc".into(), json!(self.product.description));
        item.insert("HsnCd".into(), json!(self.product.hsn));
        if let Some(qty) = self.qty {
            item.insert("Qty".into(), qty.json());
            item.insert("Unit".into(), json!(self.product.unit));
        }
        item.insert("UnitPrice".into(), self.price.json());
        item.insert("TotAmt".into(), self.gross.json());
        item.insert("Discount".into(), self.discount.json());
        item.insert("AssAmt".into(), self.taxable().json());
        item.insert("GstRt".into(), self.rate.json());
        item.insert("IgstAmt".into(), self.igst.json());
        item.insert("CgstAmt".into(), self.cgst.json());
        item.insert("SgstAmt".into(), self.sgst.json());
        item.insert("OthChrg".into(), self.other.json());
        item.insert("TotItemVal".into(), self.value().json());
        Value::Object(item)
    }
}

/// `count` lines of goods (or of services), taxed under `heads`.
pub(super) fn plan(rng: &mut ChaCha8Rng, count: u32, services: bool, heads: Heads) -> Vec<Line> {
    let mut products: Vec<Product> = if services { SERVICES } else { GOODS }.to_vec();
    products.shuffle(rng);
    products
        .into_iter()
        .cycle()
        .zip(1..=count)
        .map(|(product, serial)| line(rng, serial, product, services, heads))
        .collect()
}

fn line(rng: &mut ChaCha8Rng, serial: u32, product: Product, service: bool, heads: Heads) -> Line {
    let qty = quantity(rng, &product, service);
    let price = unit_price(rng, product.price);
    let gross = qty.map_or(price, |q| q.times(price));
    let discount = if rng.gen_bool(0.3) {
        let percent = [200, 500, 750, 1000].choose(rng).copied().unwrap_or(500);
        gross.scale(percent, 10_000)
    } else {
        Paise::default()
    };
    let other = if !service && rng.gen_bool(0.15) {
        Paise::rupees(rng.gen_range(50..=1_500))
    } else {
        Paise::default()
    };
    let taxable = gross - discount;
    let (rate, igst, cgst, sgst) = match heads {
        Heads::Split => {
            let half = product.rate.half_of(taxable);
            (product.rate, Paise::default(), half, half)
        }
        Heads::Integrated => (
            product.rate,
            product.rate.of(taxable),
            Paise::default(),
            Paise::default(),
        ),
        Heads::None => Default::default(),
    };
    Line {
        serial,
        product,
        service,
        qty,
        price,
        gross,
        discount,
        rate,
        igst,
        cgst,
        sgst,
        other,
    }
}

/// Goods always have a quantity; a service line is a lump sum half the time.
fn quantity(rng: &mut ChaCha8Rng, product: &Product, service: bool) -> Option<Qty> {
    if service && rng.gen_bool(0.5) {
        return None;
    }
    let max = product.max_qty.max(1);
    Some(if product.fractional {
        Qty(rng.gen_range(100..=max.saturating_mul(100)))
    } else {
        Qty(rng.gen_range(1..=max).saturating_mul(100))
    })
}

/// A price in the range: whole rupees half the time, with paise otherwise.
fn unit_price(rng: &mut ChaCha8Rng, (low, high): (i64, i64)) -> Paise {
    let rupees = rng.gen_range(low..=high.max(low));
    let paise = if rng.gen_bool(0.5) {
        0
    } else {
        rng.gen_range(0..100)
    };
    Paise(rupees * 100 + paise)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn lines_follow_nic_formulas() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for heads in [Heads::Split, Heads::Integrated, Heads::None] {
            for services in [false, true] {
                for line in plan(&mut rng, 40, services, heads) {
                    let gross = line.qty.map_or(line.price, |q| q.times(line.price));
                    assert_eq!(line.gross, gross);
                    assert!(line.discount < line.gross || line.gross == Paise(0));
                    match heads {
                        Heads::Split => {
                            assert_eq!(line.cgst, line.sgst);
                            assert_eq!(line.cgst, line.rate.half_of(line.taxable()));
                            assert_eq!(line.igst, Paise(0));
                        }
                        Heads::Integrated => {
                            assert_eq!(line.igst, line.rate.of(line.taxable()));
                            assert_eq!(line.cgst + line.sgst, Paise(0));
                        }
                        Heads::None => {
                            assert_eq!(line.rate, Rate(0));
                            assert_eq!(line.value(), line.taxable() + line.other);
                        }
                    }
                    assert_eq!(line.service, services);
                    assert_eq!(line.service, line.product.hsn.starts_with("99"));
                    if !services {
                        assert!(line.qty.is_some());
                    }
                }
            }
        }
    }

    #[test]
    fn serials_are_distinct_and_codes_vary() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let lines = plan(&mut rng, 5, false, Heads::Integrated);
        let serials: Vec<u32> = lines.iter().map(|l| l.serial).collect();
        assert_eq!(serials, [1, 2, 3, 4, 5]);
        let mut codes: Vec<&str> = lines.iter().map(|l| l.product.hsn).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 5);
        // More lines than products: the catalogue is cycled, serials stay distinct.
        let many = plan(&mut rng, 60, true, Heads::Split);
        assert_eq!(many.len(), 60);
        assert_eq!(many.last().map(|l| l.serial), Some(60));
    }
}
