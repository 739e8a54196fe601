//! Changes to the taxpayer master in the store. The master itself starts from the built-in
//! data set; the store keeps each changed taxpayer's record as sent (sealed, since it
//! holds passwords), and start-up applies them in the order they were made.

use rusqlite::{Connection, params};

use super::TaxpayerInput;
use crate::{
    gstin::Gstin,
    store::{Sealer, StoreError},
};

/// A sealed taxpayer record, ready for the writer.
#[derive(Debug, Clone)]
pub(crate) struct TaxpayerRow {
    gstin: String,
    sealed: Vec<u8>,
}

impl TaxpayerRow {
    /// Seals the record `json` of `gstin`.
    pub(crate) fn seal(gstin: &Gstin, json: &[u8], sealer: &Sealer) -> Self {
        Self {
            gstin: gstin.to_string(),
            sealed: sealer.seal(gstin.as_str().as_bytes(), json),
        }
    }
}

/// Stores a change (replacing an earlier change of the same GSTIN, which moves it last).
pub(crate) fn save(conn: &Connection, row: &TaxpayerRow) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM taxpayer_change WHERE gstin = ?1")?
        .execute([&row.gstin])?;
    conn.prepare_cached("INSERT INTO taxpayer_change (gstin, sealed) VALUES (?1, ?2)")?
        .execute(params![row.gstin, row.sealed])
        .map(drop)
}

/// Forgets every change.
pub(crate) fn delete_all(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM taxpayer_change", []).map(drop)
}

/// The stored changes, oldest first.
pub(crate) fn load(conn: &Connection) -> rusqlite::Result<Vec<(String, Vec<u8>)>> {
    let mut statement = conn.prepare("SELECT gstin, sealed FROM taxpayer_change ORDER BY rowid")?;
    let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Opens stored changes; a change sealed by another key set is an error, not a silent loss.
pub(crate) fn open(
    rows: Vec<(String, Vec<u8>)>,
    sealer: &Sealer,
) -> Result<Vec<TaxpayerInput>, StoreError> {
    rows.into_iter()
        .map(|(gstin, sealed)| {
            let json = sealer.open(gstin.as_bytes(), &sealed)?;
            serde_json::from_slice(&json)
                .map_err(|e| StoreError::Damaged(format!("taxpayer {gstin}: {e}")))
        })
        .collect()
}
