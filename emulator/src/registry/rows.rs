//! The registry's SQL: rows to records and back. Times are Unix nanoseconds (UTC), so a
//! read-back record is identical to the one written.

use rusqlite::{Connection, OptionalExtension, Row, params};
use time::OffsetDateTime;

use super::{EwayBill, IrnRecord, IrnStatus, NewRecord, Signed};
use crate::{
    gstin::Gstin,
    invoice::{AckNo, CancelReason, EwbNo, Invoice},
    irn::Irn,
    irp::IrpName,
    store::{StoreError, from_nanos, to_nanos},
};

pub(super) fn bad(
    column: usize,
    e: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(super) struct Invalid(pub(super) String);

pub(super) fn time_at(row: &Row<'_>, column: usize) -> rusqlite::Result<OffsetDateTime> {
    from_nanos(row.get(column)?).map_err(|e| bad(column, e))
}

pub(super) fn optional_time_at(
    row: &Row<'_>,
    column: usize,
) -> rusqlite::Result<Option<OffsetDateTime>> {
    match row.get::<_, Option<i64>>(column)? {
        None => Ok(None),
        Some(_) => time_at(row, column).map(Some),
    }
}

/// A stored cancel reason (always one of "1".."4": it was checked before it was stored).
fn reason_at(row: &Row<'_>, column: usize) -> rusqlite::Result<CancelReason> {
    let text = row.get::<_, Option<String>>(column)?.unwrap_or_default();
    CancelReason::from_wire(&serde_json::Value::String(text.clone()))
        .ok_or_else(|| bad(column, Invalid(format!("cancel reason {text:?}"))))
}

pub(super) fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(super) fn as_u64(row: &Row<'_>, column: usize) -> rusqlite::Result<u64> {
    let n: i64 = row.get(column)?;
    u64::try_from(n).map_err(|e| bad(column, e))
}

/// `(ack, ewb)` sequence values.
pub(super) fn sequences(conn: &Connection) -> rusqlite::Result<(u64, u64)> {
    let value = |name: &str| {
        conn.query_row("SELECT value FROM sequence WHERE name = ?1", [name], |r| {
            as_u64(r, 0)
        })
    };
    Ok((value("ack")?, value("ewb")?))
}

/// `(ack, ewb)` sequence parts of the highest numbers stored (a lost WAL can take the
/// sequence rows back further than the rows it kept).
pub(super) fn highest_stored(conn: &Connection) -> rusqlite::Result<(u64, u64)> {
    let highest =
        |sql: &str, modulus: u64| conn.query_row(sql, [as_i64(modulus)], |r| as_u64(r, 0));
    Ok((
        highest(
            "SELECT coalesce(max(ack_no % ?1), 0) FROM irn",
            AckNo::SEQUENCES,
        )?,
        highest(
            "SELECT coalesce(max(ewb_no % ?1), 0) FROM ewb",
            EwbNo::SEQUENCES,
        )?,
    ))
}

fn advance(conn: &Connection, name: &str, to: u64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE sequence SET value = max(value, ?2) WHERE name = ?1")?
        .execute(params![name, as_i64(to)])
        .map(drop)
}

/// A registration, serialised and ready to insert from the writer thread.
pub(super) struct NewRow {
    irn: String,
    ack_no: i64,
    ack_dt: i64,
    supplier: String,
    operator: Option<String>,
    invoice: String,
    signed: Signed,
    sequence: u64,
    irp: String,
}

impl NewRow {
    pub(super) fn of(new: &NewRecord<'_>) -> Result<Self, StoreError> {
        let invoice = serde_json::to_string(new.invoice)
            .map_err(|e| StoreError::Commit(format!("invoice: {e}")))?;
        let r = &new.record;
        Ok(Self {
            irn: r.irn.to_string(),
            ack_no: as_i64(r.ack_no.get()),
            ack_dt: to_nanos(r.ack_dt),
            supplier: r.supplier.to_string(),
            operator: r.operator.clone(),
            invoice,
            signed: r.signed.clone(),
            sequence: r.ack_no.sequence(),
            irp: r.irp.to_string(),
        })
    }

    /// The same row under another IRN and AckNo (the benches' bulk fill).
    #[cfg(feature = "samples")]
    pub(super) fn renumbered(&self, irn: &Irn, ack_no: AckNo) -> Self {
        Self {
            irn: irn.to_string(),
            ack_no: as_i64(ack_no.get()),
            ack_dt: self.ack_dt,
            supplier: self.supplier.clone(),
            operator: self.operator.clone(),
            invoice: self.invoice.clone(),
            signed: self.signed.clone(),
            sequence: ack_no.sequence(),
            irp: self.irp.clone(),
        }
    }

    pub(super) fn insert(self, conn: &Connection) -> rusqlite::Result<()> {
        conn.prepare_cached(
            "INSERT INTO irn (irn, ack_no, ack_dt, supplier, operator, invoice, signed_invoice, signed_qr, irp)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            self.irn,
            self.ack_no,
            self.ack_dt,
            self.supplier,
            self.operator,
            self.invoice,
            self.signed.invoice,
            self.signed.qr,
            self.irp
        ])?;
        advance(conn, "ack", self.sequence)
    }
}

// Point lookups only: a statement that reads the `ewb` table through its index with an
// aggregate, a join or an ORDER BY is recompiled by SQLite on every run after a write
// (measured: `lookups_are_not_recompiled_after_a_write`), which costs more than the lookup.
// So a record is read as its `irn` row, the numbers of its e-way bills (from the covering
// index) and the newest of them by rowid.
const IRN_ROW: &str = "SELECT irn, ack_no, ack_dt, supplier, operator, signed_invoice, signed_qr,
        cancelled_at, cancel_reason, cancel_remark, irp
   FROM irn WHERE irn = ?1";
const EWB_NUMBERS: &str = "SELECT ewb_no FROM ewb WHERE irn = ?1";
const EWB_ROW: &str =
    "SELECT ewb_no, generated, valid_till, distance_km, cancelled_at FROM ewb WHERE ewb_no = ?1";
const CONFLICT: &str =
    "SELECT ack_no, ack_dt, cancelled_at IS NOT NULL, irp FROM irn WHERE irn = ?1";

/// Every statement a Generate IRN or a Get IRN runs on a reader connection.
#[cfg(test)]
pub(super) const LOOKUPS: &[&str] = &[IRN_ROW, EWB_NUMBERS, EWB_ROW, CONFLICT];

fn record_of(row: &Row<'_>, ewb: Option<EwayBill>) -> rusqlite::Result<IrnRecord> {
    let irn: String = row.get(0)?;
    let supplier: String = row.get(3)?;
    let status = match optional_time_at(row, 7)? {
        None => IrnStatus::Active,
        Some(at) => IrnStatus::Cancelled {
            at,
            reason: reason_at(row, 8)?,
            remark: row.get::<_, Option<String>>(9)?.unwrap_or_default(),
        },
    };
    Ok(IrnRecord {
        irn: Irn::parse(&irn).ok_or_else(|| bad(0, Invalid(format!("IRN {irn}"))))?,
        ack_no: AckNo::from_u64(as_u64(row, 1)?),
        ack_dt: time_at(row, 2)?,
        supplier: Gstin::parse(&supplier).map_err(|e| bad(3, Invalid(e.to_string())))?,
        operator: row.get(4)?,
        signed: Signed {
            invoice: row.get(5)?,
            qr: row.get(6)?,
        },
        status,
        ewb,
        irp: irp_at(row, 10)?,
    })
}

/// A stored IRP name (always valid: it was a name when it was stored).
fn irp_at(row: &Row<'_>, column: usize) -> rusqlite::Result<IrpName> {
    let text: String = row.get(column)?;
    IrpName::parse(&text).map_err(|e| bad(column, e))
}

fn ewb_of(row: &Row<'_>) -> rusqlite::Result<EwayBill> {
    Ok(EwayBill {
        ewb_no: EwbNo::from_u64(as_u64(row, 0)?),
        generated: time_at(row, 1)?,
        valid_till: optional_time_at(row, 2)?,
        distance_km: row.get(3)?,
        cancelled: optional_time_at(row, 4)?,
    })
}

/// The newest e-way bill of `irn`, active or not.
fn newest_ewb(conn: &Connection, irn: &Irn) -> rusqlite::Result<Option<EwayBill>> {
    let mut newest: Option<i64> = None;
    let mut numbers = conn.prepare_cached(EWB_NUMBERS)?;
    let mut rows = numbers.query([irn.as_str()])?;
    while let Some(row) = rows.next()? {
        let n: i64 = row.get(0)?;
        newest = newest.max(Some(n));
    }
    match newest {
        None => Ok(None),
        Some(n) => conn
            .prepare_cached(EWB_ROW)?
            .query_row([n], ewb_of)
            .optional(),
    }
}

pub(super) fn record(conn: &Connection, irn: &Irn) -> rusqlite::Result<Option<IrnRecord>> {
    let mut lookup = conn.prepare_cached(IRN_ROW)?;
    let mut rows = lookup.query([irn.as_str()])?;
    match rows.next()? {
        None => Ok(None),
        Some(row) => record_of(row, newest_ewb(conn, irn)?).map(Some),
    }
}

/// What a new registration of `irn` would conflict with: `(AckNo, AckDt, cancelled, IRP)`
/// of the committed registration, if any. Reads four columns of one row, not the signed
/// copies.
pub(super) fn conflict(
    conn: &Connection,
    irn: &Irn,
) -> rusqlite::Result<Option<(AckNo, OffsetDateTime, bool, IrpName)>> {
    conn.prepare_cached(CONFLICT)?
        .query_row([irn.as_str()], |row| {
            Ok((
                AckNo::from_u64(as_u64(row, 0)?),
                time_at(row, 1)?,
                row.get(2)?,
                irp_at(row, 3)?,
            ))
        })
        .optional()
}

pub(super) fn invoice(conn: &Connection, irn: &Irn) -> rusqlite::Result<Option<Invoice>> {
    let text: Option<String> = conn
        .prepare_cached("SELECT invoice FROM irn WHERE irn = ?1")?
        .query_row([irn.as_str()], |r| r.get(0))
        .optional()?;
    text.map(|t| serde_json::from_str(&t).map_err(|e| bad(0, e)))
        .transpose()
}

const NO_ACTIVE_EWB: &str =
    "NOT EXISTS (SELECT 1 FROM ewb WHERE ewb.irn = ?1 AND ewb.cancelled_at IS NULL)";

pub(super) fn cancel(
    conn: &Connection,
    irn: &Irn,
    at: OffsetDateTime,
    reason: CancelReason,
    remark: &str,
) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(&format!(
            "UPDATE irn SET cancelled_at = ?2, cancel_reason = ?3, cancel_remark = ?4
              WHERE irn = ?1 AND cancelled_at IS NULL AND {NO_ACTIVE_EWB}"
        ))?
        .execute(params![irn.as_str(), to_nanos(at), reason.code(), remark])?;
    Ok(changed == 1)
}

/// Inserts the e-way bill of an IRN written in the same transaction.
pub(super) fn insert_ewb(conn: &Connection, irn: &Irn, ewb: &EwayBill) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO ewb (ewb_no, irn, generated, valid_till, distance_km)
         VALUES (?2, ?1, ?3, ?4, ?5)",
    )?
    .execute(params![
        irn.as_str(),
        as_i64(ewb.ewb_no.get()),
        to_nanos(ewb.generated),
        ewb.valid_till.map(to_nanos),
        ewb.distance_km
    ])?;
    advance(conn, "ewb", ewb.ewb_no.sequence())
}

/// Inserts an e-way bill for an active IRN without an active one; `false` if it has one.
pub(super) fn attach_ewb(conn: &Connection, irn: &Irn, ewb: &EwayBill) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(&format!(
            "INSERT INTO ewb (ewb_no, irn, generated, valid_till, distance_km)
             SELECT ?2, ?1, ?3, ?4, ?5
              WHERE EXISTS (SELECT 1 FROM irn WHERE irn = ?1 AND cancelled_at IS NULL)
                AND {NO_ACTIVE_EWB}"
        ))?
        .execute(params![
            irn.as_str(),
            as_i64(ewb.ewb_no.get()),
            to_nanos(ewb.generated),
            ewb.valid_till.map(to_nanos),
            ewb.distance_km
        ])?;
    advance(conn, "ewb", ewb.ewb_no.sequence())?;
    Ok(changed == 1)
}

pub(super) fn cancel_ewb(
    conn: &Connection,
    ewb_no: EwbNo,
    at: OffsetDateTime,
) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE ewb SET cancelled_at = ?2 WHERE ewb_no = ?1 AND cancelled_at IS NULL",
        )?
        .execute(params![as_i64(ewb_no.get()), to_nanos(at)])?;
    Ok(changed == 1)
}

pub(super) fn irn_of_ewb(conn: &Connection, ewb_no: EwbNo) -> rusqlite::Result<Option<Irn>> {
    let irn: Option<String> = conn
        .prepare_cached("SELECT irn FROM ewb WHERE ewb_no = ?1")?
        .query_row([as_i64(ewb_no.get())], |r| r.get(0))
        .optional()?;
    Ok(irn.as_deref().and_then(Irn::parse))
}

pub(super) fn clear(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("DELETE FROM ewb; DELETE FROM irn; DELETE FROM rejected;")
}
