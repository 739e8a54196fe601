//! The IRN registry: every registered document, its signed copies, cancellation and e-way
//! bill, and the AckNo and EwbNo sequences.
//!
//! The IRN doubles as the document key: it hashes supplier, financial year, type and
//! (normalised) number, which is exactly what uniqueness is defined over. Registration is
//! two-phase so that the slow part (two RSA signatures) runs outside the lock while the
//! duplicate check stays atomic: [`Registry::reserve`] claims the IRN and its AckNo in one
//! critical section, and a concurrent identical submission already sees the claim and gets
//! 2150 with the original's AckNo, AckDt and IRN. [`Registry::complete`] then stores the
//! signed copies; [`Registry::abandon`] releases a claim whose signing failed.

use std::{collections::HashMap, sync::Arc};

use time::OffsetDateTime;

use crate::{gstin::Gstin, invoice::Invoice, irn::Irn};

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
        reason: String,
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
    pub ewb_no: u64,
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

/// One registered document.
#[derive(Debug, Clone)]
pub struct IrnRecord {
    /// The IRN.
    pub irn: Irn,
    /// Acknowledgement number.
    pub ack_no: u64,
    /// Acknowledgement time.
    pub ack_dt: OffsetDateTime,
    /// The supplier.
    pub supplier: Gstin,
    /// The e-commerce operator that generated it, if any.
    pub operator: Option<String>,
    /// The canonical invoice (with AckNo, AckDt and Irn set).
    pub invoice: Arc<Invoice>,
    /// Signed copies; `None` while the registration is being signed.
    pub signed: Option<Signed>,
    /// Active or cancelled.
    pub status: IrnStatus,
    /// The e-way bill, once generated.
    pub ewb: Option<EwayBill>,
}

impl IrnRecord {
    /// Whether `gstin` may see or act on this IRN: the supplier, or its operator.
    pub fn belongs_to(&self, gstin: &Gstin) -> bool {
        self.supplier == *gstin || self.operator.as_deref() == Some(gstin.as_str())
    }

    /// The active (not cancelled) e-way bill, if any.
    pub fn active_ewb(&self) -> Option<&EwayBill> {
        self.ewb.as_ref().filter(|e| e.cancelled.is_none())
    }
}

/// Why a registration was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// The document already has an active (or in-flight) IRN: 2150 + DUPIRN.
    Duplicate {
        /// Original AckNo.
        ack_no: u64,
        /// Original AckDt.
        ack_dt: OffsetDateTime,
        /// The IRN.
        irn: Irn,
    },
    /// The document number was cancelled and is burnt: 2278.
    Cancelled,
}

/// All registered documents.
#[derive(Debug, Default)]
pub struct Registry {
    records: HashMap<Irn, IrnRecord>,
    ewb_index: HashMap<u64, Irn>,
    ack_sequence: u64,
    ewb_sequence: u64,
}

/// First digits of every AckNo: IRP 1, then the digit NIC's sandbox samples show.
const ACK_PREFIX: u64 = 15;
/// First digit of every EwbNo.
const EWB_PREFIX: u64 = 1;

impl Registry {
    /// Claims `record.irn` for a new registration, or reports the conflict. The record's
    /// `ack_no` is assigned here; `build` gets it to fill in the record.
    pub fn reserve(
        &mut self,
        irn: &Irn,
        now: OffsetDateTime,
        build: impl FnOnce(u64) -> IrnRecord,
    ) -> Result<u64, Conflict> {
        if let Some(existing) = self.records.get(irn) {
            return Err(match existing.status {
                IrnStatus::Active => Conflict::Duplicate {
                    ack_no: existing.ack_no,
                    ack_dt: existing.ack_dt,
                    irn: existing.irn.clone(),
                },
                IrnStatus::Cancelled { .. } => Conflict::Cancelled,
            });
        }
        self.ack_sequence += 1;
        let year = u64::try_from(now.year().rem_euclid(100)).unwrap_or_default();
        let ack_no = ACK_PREFIX * 10_u64.pow(13) + year * 10_u64.pow(11) + self.ack_sequence;
        self.records.insert(irn.clone(), build(ack_no));
        Ok(ack_no)
    }

    /// Stores the signed copies of a reserved registration.
    pub fn complete(&mut self, irn: &Irn, signed: Signed) {
        if let Some(record) = self.records.get_mut(irn) {
            record.signed = Some(signed);
        }
    }

    /// Releases a reservation that could not be completed.
    pub fn abandon(&mut self, irn: &Irn) {
        if self.records.get(irn).is_some_and(|r| r.signed.is_none()) {
            self.records.remove(irn);
        }
    }

    /// A completed registration.
    pub fn get(&self, irn: &Irn) -> Option<&IrnRecord> {
        self.records.get(irn).filter(|r| r.signed.is_some())
    }

    /// A completed registration, for cancellation and e-way bills.
    pub fn get_mut(&mut self, irn: &Irn) -> Option<&mut IrnRecord> {
        self.records.get_mut(irn).filter(|r| r.signed.is_some())
    }

    /// The IRN an e-way bill belongs to.
    pub fn irn_of_ewb(&self, ewb_no: u64) -> Option<&Irn> {
        self.ewb_index.get(&ewb_no)
    }

    /// Attaches a new e-way bill to an IRN, assigning its number.
    pub fn attach_ewb(&mut self, irn: &Irn, make: impl FnOnce(u64) -> EwayBill) -> Option<u64> {
        let record = self.records.get_mut(irn)?;
        self.ewb_sequence += 1;
        let ewb_no = EWB_PREFIX * 10_u64.pow(11) + 10_u64.pow(10) + self.ewb_sequence;
        record.ewb = Some(make(ewb_no));
        self.ewb_index.insert(ewb_no, irn.clone());
        Some(ewb_no)
    }

    /// Number of registered documents.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}
