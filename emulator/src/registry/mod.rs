//! The IRN registry: every registered document, its signed copies, cancellation and e-way
//! bill, and the AckNo and EwbNo sequences, kept in the [`Store`].
//!
//! The IRN doubles as the document key: it hashes supplier, financial year, type and
//! (normalised) number, which is exactly what uniqueness is defined over. Registration is
//! two-phase so that the slow part (two RSA signatures, then the commit) runs outside any
//! lock while the duplicate check stays atomic: [`Registry::reserve`] claims the IRN and its
//! AckNo in one critical section that also consults the database, so a concurrent
//! identical submission sees either the claim or the committed row and gets 2150 with the
//! original's AckNo, AckDt and IRN. [`Registry::commit`] writes the row and answers only
//! once it is durable; dropping the [`Claim`] releases it, whatever path the request took.
//!
//! State changes after registration (cancel, e-way bill) are conditional SQL run by the
//! writer, so two racing requests cannot both pass a check that only one may pass. The
//! sequences live in the database and only move forward: an AckNo is never issued twice,
//! not across restarts and not across a reset. Since a lost or stale WAL takes committed
//! sequence rows with it, every number is also covered by the [`SequenceMarks`] on disk
//! before it is handed out, and the registry starts above the highest of the sequence row,
//! the highest stored number and the mark.

#[cfg(feature = "samples")]
mod fill;
mod listing;
mod record;
mod rejected;
mod rows;

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard, PoisonError},
};

use time::OffsetDateTime;

#[cfg(feature = "samples")]
pub use self::fill::fill;
pub use self::listing::Summary;
pub use self::record::{EwayBill, IrnRecord, IrnStatus, Signed};
pub use self::rejected::Rejection;
use crate::{
    invoice::{AckNo, CancelReason, EwbNo, Invoice},
    irn::Irn,
    irp::{Irp, IrpName},
    store::{Sequence, SequenceMarks, Store, StoreError},
};

/// Why a registration was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// The document already has an active (or in-flight) IRN: 2150 + DUPIRN.
    Duplicate {
        /// Original AckNo.
        ack_no: AckNo,
        /// Original AckDt.
        ack_dt: OffsetDateTime,
        /// The IRN.
        irn: Irn,
        /// The IRP that holds it (or is registering it).
        irp: IrpName,
    },
    /// The document number was cancelled and is burnt: 2278.
    Cancelled,
}

/// A new registration to commit.
#[derive(Debug)]
pub struct NewRecord<'a> {
    /// The IRN, AckNo, supplier, operator, signed copies, as in [`IrnRecord`].
    pub record: IrnRecord,
    /// The canonical invoice (with AckNo, AckDt and Irn set).
    pub invoice: &'a Invoice,
}

/// In-flight registrations, the last numbers issued and the marks that cover them.
#[derive(Debug)]
struct Claims {
    inflight: HashMap<Irn, (AckNo, OffsetDateTime, IrpName)>,
    ack_sequence: u64,
    ewb_sequence: u64,
    marks: SequenceMarks,
}

impl Claims {
    /// The next number of `sequence`, once the mark on disk covers it.
    fn issue(&mut self, sequence: Sequence) -> Result<u64, StoreError> {
        let last = match sequence {
            Sequence::Ack => &mut self.ack_sequence,
            Sequence::Ewb => &mut self.ewb_sequence,
        };
        let next = *last + 1;
        self.marks.cover(sequence, next)?;
        *last = next;
        Ok(next)
    }
}

/// Every registered document, in the store.
#[derive(Debug)]
pub struct Registry {
    store: Store,
    claims: Mutex<Claims>,
}

/// An IRN claimed for registration; dropping it releases the claim.
#[derive(Debug)]
pub struct Claim<'a> {
    registry: &'a Registry,
    irn: Irn,
    /// The AckNo assigned to it.
    pub ack_no: AckNo,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.registry.claims().inflight.remove(&self.irn);
    }
}

impl Registry {
    /// The registry of `store`; numbering continues above the sequence rows, the highest
    /// stored numbers and the marks, whichever is highest.
    pub fn open(store: Store) -> Result<Self, StoreError> {
        let (ack_row, ewb_row) = store.read(rows::sequences)?;
        // After a clean stop the sequence rows are exact (each moves in the transaction that
        // stores its number); the scan is for a lost WAL, and reads the whole table.
        let (ack_stored, ewb_stored) = if store.clean_start() {
            (0, 0)
        } else {
            store.read(rows::highest_stored)?
        };
        let marks = SequenceMarks::open(store.location())?;
        let ack_sequence = ack_row.max(ack_stored).max(marks.get(Sequence::Ack));
        let ewb_sequence = ewb_row.max(ewb_stored).max(marks.get(Sequence::Ewb));
        Ok(Self {
            store,
            claims: Mutex::new(Claims {
                inflight: HashMap::new(),
                ack_sequence,
                ewb_sequence,
                marks,
            }),
        })
    }

    fn claims(&self) -> MutexGuard<'_, Claims> {
        self.claims.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Claims `irn` for a new registration at `irp` at `now` and assigns its AckNo (in
    /// `irp`'s series), or reports the conflict with an in-flight or committed registration
    /// at any IRP: the registry is the GSTN-level view every IRP shares.
    pub fn reserve(
        &self,
        irn: &Irn,
        now: OffsetDateTime,
        irp: &Irp,
    ) -> Result<Result<Claim<'_>, Conflict>, StoreError> {
        let mut claims = self.claims();
        if let Some((ack_no, ack_dt, held)) = claims.inflight.get(irn) {
            return Ok(Err(Conflict::Duplicate {
                ack_no: *ack_no,
                ack_dt: *ack_dt,
                irn: irn.clone(),
                irp: held.clone(),
            }));
        }
        if let Some((ack_no, ack_dt, cancelled, held)) =
            self.store.read(|c| rows::conflict(c, irn))?
        {
            return Ok(Err(if cancelled {
                Conflict::Cancelled
            } else {
                Conflict::Duplicate {
                    ack_no,
                    ack_dt,
                    irn: irn.clone(),
                    irp: held,
                }
            }));
        }
        let ack_no = AckNo::issue_at(irp.ack_digit, now.year(), claims.issue(Sequence::Ack)?);
        claims
            .inflight
            .insert(irn.clone(), (ack_no, now, irp.name.clone()));
        Ok(Ok(Claim {
            registry: self,
            irn: irn.clone(),
            ack_no,
        }))
    }

    /// Writes a claimed registration; returns once it is durable. The claim is released
    /// afterwards, so a duplicate always finds either the claim or the row.
    ///
    /// An e-way bill in the record (Generate IRN with `EwbDtls`) is written in the same
    /// transaction: both are stored, or neither.
    pub async fn commit(&self, claim: Claim<'_>, new: NewRecord<'_>) -> Result<(), StoreError> {
        let row = rows::NewRow::of(&new)?;
        let ewb = new.record.ewb.clone();
        let irn = new.record.irn.clone();
        self.store
            .write(move |conn| {
                row.insert(conn)?;
                match ewb {
                    Some(ewb) => rows::insert_ewb(conn, &irn, &ewb),
                    None => Ok(()),
                }
            })
            .await?;
        drop(claim);
        Ok(())
    }

    /// A committed registration.
    pub fn get(&self, irn: &Irn) -> Result<Option<IrnRecord>, StoreError> {
        self.store.read(|conn| rows::record(conn, irn))
    }

    /// The canonical invoice of a committed registration.
    pub fn invoice(&self, irn: &Irn) -> Result<Option<Invoice>, StoreError> {
        self.store.read(|conn| rows::invoice(conn, irn))
    }

    /// The newest `limit` registrations, or those matching `search` (an IRN prefix, a
    /// supplier or recipient GSTIN, part of a document number), newest first.
    pub fn summaries(&self, search: Option<&str>, limit: u32) -> Result<Vec<Summary>, StoreError> {
        self.store
            .read(|conn| listing::summaries(conn, search, limit))
    }

    /// The summary of one registration.
    pub fn summary(&self, irn: &Irn) -> Result<Option<Summary>, StoreError> {
        self.store.read(|conn| listing::summary(conn, irn.as_str()))
    }

    /// Cancels an active IRN without an active e-way bill; `false` if it no longer is one.
    pub async fn cancel(
        &self,
        irn: &Irn,
        at: OffsetDateTime,
        reason: CancelReason,
        remark: String,
    ) -> Result<bool, StoreError> {
        let irn = irn.clone();
        self.store
            .write(move |conn| rows::cancel(conn, &irn, at, reason, &remark))
            .await
    }

    /// The next e-way bill number (numbers are never reused, even if the e-way bill is not
    /// stored in the end).
    pub fn next_ewb_no(&self) -> Result<EwbNo, StoreError> {
        Ok(EwbNo::issue(self.claims().issue(Sequence::Ewb)?))
    }

    /// Attaches a new e-way bill to an active IRN without an active one; `false` if the
    /// IRN no longer qualifies.
    pub async fn attach_ewb(&self, irn: &Irn, ewb: &EwayBill) -> Result<bool, StoreError> {
        let irn = irn.clone();
        let ewb = ewb.clone();
        self.store
            .write(move |conn| rows::attach_ewb(conn, &irn, &ewb))
            .await
    }

    /// Cancels an active e-way bill; `false` if it is not active.
    pub async fn cancel_ewb(&self, ewb_no: EwbNo, at: OffsetDateTime) -> Result<bool, StoreError> {
        self.store
            .write(move |conn| rows::cancel_ewb(conn, ewb_no, at))
            .await
    }

    /// The IRN an e-way bill belongs to.
    pub fn irn_of_ewb(&self, ewb_no: EwbNo) -> Result<Option<Irn>, StoreError> {
        self.store.read(|conn| rows::irn_of_ewb(conn, ewb_no))
    }

    /// Keeps a document that cross-IRP de-duplication refused, for "Get rejected IRNs".
    pub async fn reject(&self, rejection: Rejection) -> Result<(), StoreError> {
        self.store
            .write(move |conn| rejected::insert(conn, &rejection))
            .await
    }

    /// What `irp` refused of `supplier`'s documents between `from` (inclusive) and `until`
    /// (exclusive), oldest first.
    pub fn rejected(
        &self,
        irp: &IrpName,
        supplier: &str,
        from: OffsetDateTime,
        until: OffsetDateTime,
    ) -> Result<Vec<Rejection>, StoreError> {
        self.store
            .read(|conn| rejected::between(conn, irp, supplier, from, until))
    }

    /// Forgets every registration (the sequences keep counting).
    pub async fn clear(&self) -> Result<(), StoreError> {
        self.store.write(rows::clear).await
    }
}

impl Drop for Registry {
    /// A clean stop: nothing above the last numbers issued was handed out, so the marks go
    /// back down to them and the next start continues without a gap.
    fn drop(&mut self) {
        let claims = self
            .claims
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        let (ack, ewb) = (claims.ack_sequence, claims.ewb_sequence);
        if let Err(e) = claims.marks.settle(ack, ewb) {
            tracing::warn!("sequence marks not settled: {e}");
        }
    }
}

#[cfg(test)]
mod tests;
