//! The dashboard's view of the registry: the newest registrations, or those whose IRN,
//! supplier or recipient GSTIN or document number matches a search.
//!
//! The IRP APIs look documents up by key only; this is the one place that lists them. The
//! recipient and the document come from the stored canonical invoice (`json_extract`), so
//! nothing is stored twice for a view; a search therefore reads every row, which at a
//! million registrations takes about a second — fine for a person at a page, and the plain
//! "newest first" listing walks the rowid index backwards without reading the rest.

use rusqlite::{Connection, Row, params};
use serde::Serialize;

use super::rows::{as_u64, optional_time_at};
use crate::clock::format_ist;

/// One registration as the dashboard lists it (times in IST, `yyyy-MM-dd HH:mm:ss`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The IRN.
    pub irn: String,
    /// Acknowledgement number.
    pub ack_no: u64,
    /// Acknowledgement time.
    pub ack_dt: String,
    /// The supplier.
    pub supplier_gstin: String,
    /// The recipient (`URP` for exports, none for a document without one).
    pub buyer_gstin: Option<String>,
    /// `DocDtls.Typ`.
    pub doc_type: Option<String>,
    /// `DocDtls.No`.
    pub doc_no: Option<String>,
    /// `DocDtls.Dt`.
    pub doc_dt: Option<String>,
    /// `ACT` or `CNL`.
    pub status: &'static str,
    /// When it was cancelled.
    pub cancelled_at: Option<String>,
    /// `CnlRsn`.
    pub cancel_reason: Option<String>,
    /// `CnlRem`.
    pub cancel_remark: Option<String>,
    /// The newest e-way bill.
    pub ewb_no: Option<u64>,
    /// `ACT` or `CNL`, with an e-way bill.
    pub ewb_status: Option<&'static str>,
    /// End of the e-way bill's validity.
    pub ewb_valid_till: Option<String>,
    /// The IRP that registered it (`nic1` unless the process serves several).
    pub irp: String,
}

const SELECT: &str = "SELECT irn.irn, irn.ack_no, irn.ack_dt, irn.supplier,
        json_extract(irn.invoice, '$.BuyerDtls.Gstin'),
        json_extract(irn.invoice, '$.DocDtls.Typ'),
        json_extract(irn.invoice, '$.DocDtls.No'),
        json_extract(irn.invoice, '$.DocDtls.Dt'),
        irn.cancelled_at, irn.cancel_reason, irn.cancel_remark,
        ewb.ewb_no, ewb.valid_till, ewb.cancelled_at, irn.irp
   FROM irn
   LEFT JOIN ewb ON ewb.ewb_no = (SELECT max(e.ewb_no) FROM ewb e WHERE e.irn = irn.irn)";

fn summary_of(row: &Row<'_>) -> rusqlite::Result<Summary> {
    let time = |column: usize| -> rusqlite::Result<Option<String>> {
        Ok(optional_time_at(row, column)?.map(format_ist))
    };
    let cancelled_at = time(8)?;
    let ewb_no: Option<i64> = row.get(11)?;
    Ok(Summary {
        irn: row.get(0)?,
        ack_no: as_u64(row, 1)?,
        ack_dt: time(2)?.unwrap_or_default(),
        supplier_gstin: row.get(3)?,
        buyer_gstin: row.get(4)?,
        doc_type: row.get(5)?,
        doc_no: row.get(6)?,
        doc_dt: row.get(7)?,
        status: if cancelled_at.is_some() { "CNL" } else { "ACT" },
        cancelled_at,
        cancel_reason: row.get(9)?,
        cancel_remark: row.get(10)?,
        ewb_no: ewb_no.and_then(|n| u64::try_from(n).ok()),
        ewb_status: ewb_no.map(|_| match row.get::<_, Option<i64>>(13) {
            Ok(Some(_)) => "CNL",
            _ => "ACT",
        }),
        ewb_valid_till: time(12)?,
        irp: row.get(14)?,
    })
}

/// `text` as a LIKE pattern that matches it literally (`\` escapes).
fn literal(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

/// The newest `limit` registrations, or those matching `search`: an IRN prefix, a supplier
/// or recipient GSTIN (exactly), or part of a document number (case-insensitive).
pub(super) fn summaries(
    conn: &Connection,
    search: Option<&str>,
    limit: u32,
) -> rusqlite::Result<Vec<Summary>> {
    let search = search.map(str::trim).filter(|s| !s.is_empty());
    let Some(search) = search else {
        let mut statement = conn.prepare(&format!("{SELECT} ORDER BY irn.rowid DESC LIMIT ?1"))?;
        return statement
            .query_map([limit], summary_of)?
            .collect::<rusqlite::Result<_>>();
    };
    let mut statement = conn.prepare(&format!(
        "{SELECT}
          WHERE irn.irn LIKE ?1 || '%' ESCAPE '\\'
             OR irn.supplier = upper(?2)
             OR json_extract(irn.invoice, '$.BuyerDtls.Gstin') = upper(?2)
             OR json_extract(irn.invoice, '$.DocDtls.No') LIKE '%' || ?1 || '%' ESCAPE '\\'
          ORDER BY irn.rowid DESC LIMIT ?3"
    ))?;
    statement
        .query_map(params![literal(search), search, limit], summary_of)?
        .collect()
}

/// The summary of one registration.
pub(super) fn summary(conn: &Connection, irn: &str) -> rusqlite::Result<Option<Summary>> {
    let mut statement = conn.prepare(&format!("{SELECT} WHERE irn.irn = ?1"))?;
    let mut rows = statement.query_map([irn], summary_of)?;
    rows.next().transpose()
}

#[cfg(test)]
mod tests {
    use super::literal;

    #[test]
    fn like_patterns_match_the_text_literally() {
        assert_eq!(literal("INV/1"), "INV/1");
        assert_eq!(literal("10%_off\\"), "10\\%\\_off\\\\");
    }
}
