//! Stage 4, the tax heads: CGST + SGST within a state, IGST across states, for exports and
//! SEZ supplies, for SEZ developers, and when `IgstOnIntra` says so.

use super::{Context, Findings, Parsed, parties::FOREIGN, state_code};
use crate::{
    error::ErrorCode,
    invoice::{Invoice, YesNo},
    taxpayer::TaxpayerType,
};

/// Which heads a supply may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heads {
    /// CGST + SGST.
    IntraState,
    /// IGST; `code` is the error for CGST/SGST on an item.
    IgstOnly(ErrorCode),
}

pub(super) fn check(_: &Context<'_>, invoice: &Invoice, parsed: &Parsed<'_>, f: &mut Findings) {
    let supply = parsed.supply;
    let seller_state = state_code(&invoice.seller_dtls.stcd);
    let pos = state_code(&invoice.buyer_dtls.pos);
    let intra = seller_state.is_some() && seller_state == pos && pos != Some(FOREIGN);
    let igst_on_intra = YesNo::set(invoice.tran_dtls.igst_on_intra);
    if igst_on_intra && !intra {
        f.add(ErrorCode::IgstOnIntraPos, &[]);
    }
    let heads = if supply.is_export() {
        Heads::IgstOnly(ErrorCode::CgstSgstOnExport)
    } else if supply.is_sez() {
        Heads::IgstOnly(ErrorCode::CgstSgstToSez)
    } else if intra && !igst_on_intra && parsed.seller.taxpayer_type != TaxpayerType::SezDeveloper {
        Heads::IntraState
    } else {
        Heads::IgstOnly(ErrorCode::CgstSgstOnInterState)
    };

    for item in &invoice.item_list {
        let igst = crate::invoice::amount(&item.igst_amt);
        let cgst = crate::invoice::amount(&item.cgst_amt);
        let sgst = crate::invoice::amount(&item.sgst_amt);
        match heads {
            Heads::IntraState => {
                if igst != 0.0 {
                    f.add(ErrorCode::IgstOnIntraState, &[&item.sl_no]);
                }
                if (cgst - sgst).abs() > 0.005 {
                    f.add(ErrorCode::CgstSgstUnequal, &[&item.hsn_cd]);
                }
            }
            Heads::IgstOnly(code) => {
                if cgst != 0.0 || sgst != 0.0 {
                    let arg = if code == ErrorCode::CgstSgstOnInterState {
                        &item.sl_no
                    } else {
                        &item.hsn_cd
                    };
                    f.add(code, &[arg]);
                }
            }
        }
    }
}
