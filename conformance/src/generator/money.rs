//! Amounts, rates and quantities as integers.
//!
//! NIC's formulas round each tax to two decimals; doing that in `f64` invites off-by-a-paisa
//! totals (`0.1 + 0.2`). Everything here is whole paise, hundredths of a percent and
//! hundredths of a unit, rounded half up once per formula, and turned into JSON numbers
//! only at the end.

use std::{
    iter::Sum,
    ops::{Add, Sub},
};

use serde_json::{Value, json};

/// An amount in paise (1/100 rupee).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Paise(pub(super) i64);

impl Paise {
    /// Whole rupees.
    pub(super) const fn rupees(rupees: i64) -> Self {
        Self(rupees * 100)
    }

    /// The JSON number in rupees (`1234.5` for 123450 paise).
    pub(super) fn json(self) -> Value {
        json!(self.0 as f64 / 100.0)
    }

    /// Rounded to whole rupees, half up.
    pub(super) fn to_rupee(self) -> Self {
        Self(div_round(i128::from(self.0), 100) * 100)
    }

    /// `self × numerator / denominator`, rounded half up.
    pub(super) fn scale(self, numerator: i64, denominator: i64) -> Self {
        Self(div_round(
            i128::from(self.0) * i128::from(numerator),
            i128::from(denominator),
        ))
    }
}

impl Add for Paise {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }
}

impl Sub for Paise {
    type Output = Self;

    fn sub(self, other: Self) -> Self {
        Self(self.0.saturating_sub(other.0))
    }
}

impl Sum for Paise {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::default(), Add::add)
    }
}

/// A GST rate in hundredths of a percent (`1800` is 18 %, `25` is 0.25 %).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Rate(pub(super) u32);

impl Rate {
    /// The rate's tax on `base`: `base × rate / 100`, to the paisa.
    pub(super) fn of(self, base: Paise) -> Paise {
        base.scale(i64::from(self.0), 10_000)
    }

    /// Half the rate's tax on `base` (CGST or SGST), each rounded on its own as NIC's
    /// `AssAmt × GstRt / 200`.
    pub(super) fn half_of(self, base: Paise) -> Paise {
        base.scale(i64::from(self.0), 20_000)
    }

    /// The JSON number in percent.
    pub(super) fn json(self) -> Value {
        json!(f64::from(self.0) / 100.0)
    }
}

/// A quantity in hundredths of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Qty(pub(super) u32);

impl Qty {
    /// `quantity × unit price`, to the paisa.
    pub(super) fn times(self, price: Paise) -> Paise {
        price.scale(i64::from(self.0), 100)
    }

    /// The JSON number.
    pub(super) fn json(self) -> Value {
        json!(f64::from(self.0) / 100.0)
    }
}

/// `n / d` rounded half away from zero (`d` > 0).
fn div_round(n: i128, d: i128) -> i64 {
    let d = d.max(1);
    let half = d / 2;
    let q = if n >= 0 {
        (n + half) / d
    } else {
        (n - half) / d
    };
    i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_up_to_the_paisa() {
        // NIC's worked example: 9978.84 at 12 % → 1197.46 (1197.4608).
        assert_eq!(Rate(1200).of(Paise(997_884)), Paise(119_746));
        // 100.05 at 5 % = 5.0025 → 5.00; 100.10 at 5 % = 5.005 → 5.01.
        assert_eq!(Rate(500).of(Paise(10_005)), Paise(500));
        assert_eq!(Rate(500).of(Paise(10_010)), Paise(501));
        // 18 % split: 9 % of 1001.00 = 90.09 each.
        assert_eq!(Rate(1800).half_of(Paise(100_100)), Paise(9009));
        assert_eq!(Qty(250).times(Paise(1999)), Paise(4998)); // 2.5 × 19.99 = 49.975
        assert_eq!(Paise(123_449).to_rupee(), Paise(123_400));
        assert_eq!(Paise(123_450).to_rupee(), Paise(123_500));
    }

    #[test]
    fn json_numbers_are_rupees_and_percent() {
        assert_eq!(Paise(123_450).json().to_string(), "1234.5");
        assert_eq!(Paise(7).json().to_string(), "0.07");
        assert_eq!(Rate(25).json().to_string(), "0.25");
        assert_eq!(Rate(1800).json().to_string(), "18.0");
        assert_eq!(Qty(1250).json().to_string(), "12.5");
    }
}
