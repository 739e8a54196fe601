//! What the registry holds for one registered document: its status, signed copies and
//! e-way bill, as read back from the store.

use time::OffsetDateTime;

use crate::{
    caller::Caller,
    gstin::Gstin,
    invoice::{AckNo, CancelReason, EwbNo},
    irn::Irn,
    irp::IrpName,
};

/// Status of a registered IRN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IrnStatus {
    /// Active.
    Active,
    /// Cancelled at the given time.
    Cancelled {
        /// When.
        at: OffsetDateTime,
        /// `CnlRsn`.
        reason: CancelReason,
        /// `CnlRem`.
        remark: String,
    },
}

impl IrnStatus {
    /// `ACT` or `CNL`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Active => "ACT",
            Self::Cancelled { .. } => "CNL",
        }
    }
}

/// An e-way bill generated for an IRN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EwayBill {
    /// 12-digit number.
    pub ewb_no: EwbNo,
    /// Generation time.
    pub generated: OffsetDateTime,
    /// End of validity (None for Part-A only).
    pub valid_till: Option<OffsetDateTime>,
    /// The distance used, km.
    pub distance_km: u32,
    /// Cancellation time, when cancelled.
    pub cancelled: Option<OffsetDateTime>,
}

impl EwayBill {
    /// `ACT` or `CNL`.
    pub fn status(&self) -> &'static str {
        if self.cancelled.is_some() {
            "CNL"
        } else {
            "ACT"
        }
    }
}

/// The signed copies issued at generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// `SignedInvoice`.
    pub invoice: String,
    /// `SignedQRCode`.
    pub qr: String,
}

/// One registered document (its invoice is read separately: [`Registry::invoice`]).
///
/// [`Registry::invoice`]: super::Registry::invoice
#[derive(Debug, Clone)]
pub struct IrnRecord {
    /// The IRN.
    pub irn: Irn,
    /// Acknowledgement number.
    pub ack_no: AckNo,
    /// Acknowledgement time.
    pub ack_dt: OffsetDateTime,
    /// The supplier.
    pub supplier: Gstin,
    /// The e-commerce operator that generated it, if any.
    pub operator: Option<String>,
    /// Signed copies.
    pub signed: Signed,
    /// Active or cancelled.
    pub status: IrnStatus,
    /// The e-way bill, once generated.
    pub ewb: Option<EwayBill>,
    /// The IRP that registered it (and holds it).
    pub irp: IrpName,
}

impl IrnRecord {
    /// Whether `caller` may see or act on this registration (see [`Caller`]).
    pub fn reachable_by(&self, caller: &Caller) -> bool {
        caller.reaches(&self.supplier, self.operator.as_deref())
    }

    /// Whether the IRP `caller` called may act on this registration at all: its own, or the
    /// other NIC IRP's when the `irp` header names it ([`crate::irp::Irp::reaches`]). An IRN
    /// it may not reach is answered as an unknown one (2148 for Get and Cancel).
    pub fn visible_to(&self, caller: &Caller) -> bool {
        caller.at.reaches(&self.irp, caller.irp_header.as_deref())
    }

    /// The active (not cancelled) e-way bill, if any.
    pub fn active_ewb(&self) -> Option<&EwayBill> {
        self.ewb.as_ref().filter(|e| e.cancelled.is_none())
    }
}
