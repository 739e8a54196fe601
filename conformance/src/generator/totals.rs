//! The document totals (`ValDtls`), summed from the lines with NIC's formulas.
//!
//! `AssVal` and the tax values are column sums; `TotInvVal = Σ TotItemVal + OthChrg −
//! Discount + RndOffAmt`, where the document-level charge and discount (freight, a cash
//! discount) come on top of the lines and `RndOffAmt` rounds the total to whole rupees, as
//! most ERPs print it. Cess is never charged, so `CesVal` and `StCesVal` are 0.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use super::{items::Line, money::Paise};

/// `ValDtls`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Totals {
    /// `AssVal`.
    pub(super) assessable: Paise,
    /// `CgstVal`.
    pub(super) cgst: Paise,
    /// `SgstVal`.
    pub(super) sgst: Paise,
    /// `IgstVal`.
    pub(super) igst: Paise,
    /// Σ `TotItemVal`.
    pub(super) items_value: Paise,
    /// Document-level `Discount`.
    pub(super) discount: Paise,
    /// Document-level `OthChrg`.
    pub(super) other: Paise,
    /// `RndOffAmt`.
    pub(super) round_off: Paise,
    /// `TotInvVal`.
    pub(super) invoice_value: Paise,
}

impl Totals {
    /// The totals of `lines`, sometimes with a document-level charge or discount.
    pub(super) fn of(lines: &[Line], rng: &mut ChaCha8Rng) -> Self {
        let items_value: Paise = lines.iter().map(Line::value).sum();
        let other = if rng.gen_bool(0.1) {
            Paise::rupees(rng.gen_range(100..=2_500))
        } else {
            Paise::default()
        };
        // A cash discount of 0.25–1 %, always well below the invoice value.
        let discount = if rng.gen_bool(0.1) {
            items_value.scale(rng.gen_range(25..=100), 10_000)
        } else {
            Paise::default()
        };
        let exact = items_value + other - discount;
        let invoice_value = exact.to_rupee();
        Self {
            assessable: lines.iter().map(Line::taxable).sum(),
            cgst: lines.iter().map(|l| l.cgst).sum(),
            sgst: lines.iter().map(|l| l.sgst).sum(),
            igst: lines.iter().map(|l| l.igst).sum(),
            items_value,
            discount,
            other,
            round_off: invoice_value - exact,
            invoice_value,
        }
    }

    /// The `ValDtls` object in NIC's key order; `foreign` is `TotInvValFc` (exports).
    pub(super) fn json(&self, foreign: Option<Paise>) -> Value {
        let mut val = json!({
            "AssVal": self.assessable.json(),
            "CgstVal": self.cgst.json(),
            "SgstVal": self.sgst.json(),
            "IgstVal": self.igst.json(),
            "CesVal": Paise::default().json(),
            "StCesVal": Paise::default().json(),
            "Discount": self.discount.json(),
            "OthChrg": self.other.json(),
            "RndOffAmt": self.round_off.json(),
            "TotInvVal": self.invoice_value.json(),
        });
        if let (Some(fc), Value::Object(map)) = (foreign, &mut val) {
            map.insert("TotInvValFc".into(), fc.json());
        }
        val
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::generator::{items, tax::Heads};

    #[test]
    fn totals_add_up_over_many_seeds() {
        for seed in 0..300 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let heads = [Heads::Split, Heads::Integrated, Heads::None][(seed % 3) as usize];
            let lines = items::plan(&mut rng, 1 + (seed % 7) as u32, seed % 5 == 0, heads);
            let t = Totals::of(&lines, &mut rng);
            let sum = |f: fn(&Line) -> Paise| lines.iter().map(f).sum::<Paise>();
            assert_eq!(t.assessable, sum(Line::taxable));
            assert_eq!(t.items_value, sum(Line::value));
            assert_eq!(
                t.items_value,
                t.assessable + t.cgst + t.sgst + t.igst + sum(|l| l.other)
            );
            assert_eq!(
                t.invoice_value,
                t.items_value + t.other - t.discount + t.round_off
            );
            assert_eq!(t.invoice_value.0 % 100, 0, "whole rupees");
            assert!(t.round_off.0.abs() <= 50);
            assert!(t.discount < t.invoice_value);
        }
    }
}
