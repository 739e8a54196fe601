//! Documents that cross-IRP de-duplication refused: a document submitted at one IRP while
//! another IRP holds its registration. Kept in the store (table `rejected`) so "Get rejected
//! IRNs" can list them by supplier and day, across restarts.

use rusqlite::{Connection, Row, params};
use time::OffsetDateTime;

use crate::{invoice::AckNo, irn::Irn, irp::IrpName, store::to_nanos};

use super::rows::{Invalid, as_i64, as_u64, bad, time_at};

/// One refused submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The IRP that refused it (where it was submitted).
    pub irp: IrpName,
    /// The supplier.
    pub supplier: String,
    /// The document's IRN (the same at every IRP: it hashes the document's identity).
    pub irn: Irn,
    /// `DocDtls.Typ`.
    pub doc_type: String,
    /// `DocDtls.No`, as sent.
    pub doc_no: String,
    /// `DocDtls.Dt`, `dd/MM/yyyy`.
    pub doc_date: String,
    /// The IRP that holds the registration.
    pub held_irp: IrpName,
    /// The holding registration's AckNo.
    pub ack_no: AckNo,
    /// When it was refused (virtual time).
    pub at: OffsetDateTime,
}

pub(super) fn insert(conn: &Connection, r: &Rejection) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO rejected (irp, supplier, irn, doc_type, doc_no, doc_date, held_irp, ack_no, rejected_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        r.irp.as_str(),
        r.supplier,
        r.irn.as_str(),
        r.doc_type,
        r.doc_no,
        r.doc_date,
        r.held_irp.as_str(),
        as_i64(r.ack_no.get()),
        to_nanos(r.at)
    ])
    .map(drop)
}

fn of(row: &Row<'_>) -> rusqlite::Result<Rejection> {
    let name = |column: usize| -> rusqlite::Result<IrpName> {
        IrpName::parse(&row.get::<_, String>(column)?).map_err(|e| bad(column, e))
    };
    let irn: String = row.get(2)?;
    Ok(Rejection {
        irp: name(0)?,
        supplier: row.get(1)?,
        irn: Irn::parse(&irn).ok_or_else(|| bad(2, Invalid(format!("IRN {irn}"))))?,
        doc_type: row.get(3)?,
        doc_no: row.get(4)?,
        doc_date: row.get(5)?,
        held_irp: name(6)?,
        ack_no: AckNo::from_u64(as_u64(row, 7)?),
        at: time_at(row, 8)?,
    })
}

pub(super) fn between(
    conn: &Connection,
    irp: &IrpName,
    supplier: &str,
    from: OffsetDateTime,
    until: OffsetDateTime,
) -> rusqlite::Result<Vec<Rejection>> {
    conn.prepare_cached(
        "SELECT irp, supplier, irn, doc_type, doc_no, doc_date, held_irp, ack_no, rejected_at
           FROM rejected
          WHERE irp = ?1 AND supplier = ?2 AND rejected_at >= ?3 AND rejected_at < ?4
          ORDER BY id",
    )?
    .query_map(
        params![irp.as_str(), supplier, to_nanos(from), to_nanos(until)],
        of,
    )?
    .collect()
}
