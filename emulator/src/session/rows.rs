//! Sessions in the store: written when issued, deleted when replaced or revoked, read back
//! at start. The SEK is sealed with the key set's storage key, bound to its token.

use super::{Identity, Session};
use crate::{
    gstin::Gstin,
    secret::SessionKey,
    store::{Sealer, StoreError, from_nanos, to_nanos},
};
use rusqlite::{Connection, params};

/// A session as stored: everything but the SEK in clear.
#[derive(Debug, Clone)]
pub(crate) struct SessionRow {
    token: String,
    client_id: String,
    user_name: String,
    gstin: String,
    sealed_sek: Vec<u8>,
    expires_at: i64,
}

impl SessionRow {
    /// Seals `session` for storage.
    pub(crate) fn seal(session: &Session, sealer: &Sealer) -> Self {
        Self {
            token: session.token.clone(),
            client_id: session.identity.client_id.clone(),
            user_name: session.identity.user_name.clone(),
            gstin: session.identity.gstin.to_string(),
            sealed_sek: sealer.seal(session.token.as_bytes(), session.sek.expose()),
            expires_at: to_nanos(session.expires_at),
        }
    }

    fn open(self, sealer: &Sealer) -> Result<Session, StoreError> {
        let plain = sealer.open(self.token.as_bytes(), &self.sealed_sek)?;
        let sek: [u8; 32] = plain
            .as_slice()
            .try_into()
            .map_err(|_| StoreError::Unseal)?;
        Ok(Session {
            identity: Identity {
                client_id: self.client_id,
                user_name: self.user_name,
                gstin: Gstin::parse(&self.gstin).map_err(|_| StoreError::Unseal)?,
            },
            sek: SessionKey::from_bytes(sek),
            expires_at: from_nanos(self.expires_at).map_err(|_| StoreError::Unseal)?,
            token: self.token,
        })
    }
}

/// Stores a newly issued session.
pub(crate) fn save(conn: &Connection, row: &SessionRow) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO session (token, client_id, user_name, gstin, sealed_sek, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        row.token,
        row.client_id,
        row.user_name,
        row.gstin,
        row.sealed_sek,
        row.expires_at
    ])
    .map(drop)
}

/// Forgets one token.
pub(crate) fn delete_token(conn: &Connection, token: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM session WHERE token = ?1")?
        .execute([token])
        .map(drop)
}

/// Forgets every session of a user.
pub(crate) fn delete_user(conn: &Connection, user_name: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM session WHERE user_name = ?1")?
        .execute([user_name])
        .map(drop)
}

/// Forgets every session.
pub(crate) fn delete_all(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM session", []).map(drop)
}

/// Every stored session that this key set can open; others are dropped with a warning
/// (their clients simply authenticate again).
pub(crate) fn load(conn: &Connection, sealer: &Sealer) -> rusqlite::Result<Vec<Session>> {
    let mut statement = conn.prepare(
        "SELECT token, client_id, user_name, gstin, sealed_sek, expires_at FROM session",
    )?;
    let rows = statement.query_map([], |r| {
        Ok(SessionRow {
            token: r.get(0)?,
            client_id: r.get(1)?,
            user_name: r.get(2)?,
            gstin: r.get(3)?,
            sealed_sek: r.get(4)?,
            expires_at: r.get(5)?,
        })
    })?;
    let mut sessions = Vec::new();
    let mut unreadable = 0_usize;
    for row in rows {
        match row?.open(sealer) {
            Ok(session) => sessions.push(session),
            Err(_) => unreadable += 1,
        }
    }
    if unreadable > 0 {
        tracing::warn!("{unreadable} stored sessions were sealed by another key set; dropped");
    }
    Ok(sessions)
}
