//! Stage 3, the parties: supplier ≠ recipient, GSTIN state prefixes against the declared
//! state codes, and the recipient and place-of-supply rules of exports, SEZ and B2B.

use super::{Context, Findings, Parsed, masters::URP, state_code};
use crate::{
    error::ErrorCode,
    invoice::{Invoice, SupplyType},
    masters::{StateStatus, state},
    taxpayer::TaxpayerType,
};

/// The "other country" state code.
pub(super) const FOREIGN: u8 = 96;

pub(super) fn check(ctx: &Context<'_>, invoice: &Invoice, parsed: &Parsed<'_>, f: &mut Findings) {
    let seller = &invoice.seller_dtls;
    let buyer = &invoice.buyer_dtls;
    let buyer_is_urp = buyer.gstin.eq_ignore_ascii_case(URP);
    let supply = parsed.supply;

    if seller.gstin.eq_ignore_ascii_case(&buyer.gstin) {
        f.add(ErrorCode::SameSupplierAndRecipient, &[]);
    }
    if state_code(&seller.stcd) != Some(parsed.seller.gstin.state_code()) {
        f.add(ErrorCode::SupplierStateMismatch, &[]);
    }
    if !buyer_is_urp && state_code(&buyer.stcd) != buyer.gstin.get(..2).and_then(state_code) {
        f.add(ErrorCode::RecipientStateMismatch, &[]);
    }

    let pos = state_code(&buyer.pos);
    let code = supply.code();
    if supply.is_export() {
        if !buyer_is_urp {
            f.add(ErrorCode::ExportRecipientNotUrp, &[]);
        }
        if pos != Some(FOREIGN) {
            f.add(ErrorCode::ExportPosNot96, &[code]);
        }
        if state_code(&buyer.stcd) != Some(FOREIGN) {
            f.add(ErrorCode::ExportRecipientState, &[code]);
        }
        return;
    }
    if buyer_is_urp {
        match supply {
            SupplyType::DeemedExport => f.add(ErrorCode::DeemedExportToUrp, &[]),
            _ => f.add(ErrorCode::RecipientCannotBeUrp, &[code]),
        }
    }
    match pos {
        Some(FOREIGN) => f.add(ErrorCode::Pos96NotExport, &[code]),
        Some(p) if state(p).is_some_and(|s| s.status != StateStatus::Retired) => {}
        _ => f.add(ErrorCode::InvalidPos, &[code]),
    }
    if supply.is_sez() && !buyer_is_urp {
        let recipient_is_sez = ctx
            .parse_gstin(&buyer.gstin)
            .and_then(|g| ctx.taxpayers.get(&g))
            .is_none_or(|t| {
                matches!(
                    t.taxpayer_type,
                    TaxpayerType::SezUnit | TaxpayerType::SezDeveloper
                )
            });
        if !recipient_is_sez {
            f.add(ErrorCode::RecipientNotSez, &[code]);
        }
    }
}
