//! Which tax heads an invoice carries, from its supply type and place of supply.
//!
//! NIC's rules: CGST + SGST within a state, IGST across states, IGST on exports and SEZ
//! supplies with payment, no tax on those without payment, and IGST on an intra-state supply
//! when `IgstOnIntra` says so. Deemed exports are taxed like any domestic supply (CGST + SGST
//! when the recipient is in the seller's state, IGST otherwise).

use super::parties::same_state;
use crate::scenario::{InvoiceSpec, SupplyType};

/// The tax heads of every line of one invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Heads {
    /// CGST + SGST, half the rate each.
    Split,
    /// IGST at the full rate.
    Integrated,
    /// Zero-rated without payment of tax (SEZWOP, EXPWOP): no tax, `GstRt` 0.
    None,
}

/// The heads for `spec`, a seller in state `seller_state` and place of supply `pos`.
pub(super) fn heads(spec: &InvoiceSpec, seller_state: &str, pos: &str) -> Heads {
    match spec.supply {
        SupplyType::Sezwop | SupplyType::Expwop => Heads::None,
        SupplyType::Sezwp | SupplyType::Expwp => Heads::Integrated,
        SupplyType::B2b | SupplyType::Dexp => {
            if !spec.igst_on_intra && same_state(seller_state, pos) {
                Heads::Split
            } else {
                Heads::Integrated
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(supply: SupplyType, igst_on_intra: bool) -> InvoiceSpec {
        let mut spec: InvoiceSpec = serde_json::from_str("{}").unwrap();
        spec.supply = supply;
        spec.igst_on_intra = igst_on_intra;
        spec
    }

    #[test]
    fn heads_follow_supply_type_and_states() {
        use SupplyType::*;
        for (supply, igst_on_intra, seller, pos, expected) in [
            (B2b, false, "29", "29", Heads::Split),
            (B2b, false, "29", "27", Heads::Integrated),
            (B2b, false, "7", "07", Heads::Split),
            (B2b, true, "29", "29", Heads::Integrated),
            (Dexp, false, "29", "29", Heads::Split),
            (Dexp, false, "29", "27", Heads::Integrated),
            (Sezwp, false, "29", "29", Heads::Integrated),
            (Sezwop, false, "29", "29", Heads::None),
            (Expwp, false, "29", "96", Heads::Integrated),
            (Expwop, false, "29", "96", Heads::None),
        ] {
            assert_eq!(
                heads(&spec(supply, igst_on_intra), seller, pos),
                expected,
                "{supply:?} {igst_on_intra} {seller}->{pos}"
            );
        }
    }
}
