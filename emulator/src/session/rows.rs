//! Sessions in the store: written when issued, deleted when replaced or revoked, read back
//! at start.
//!
//! Neither the AuthToken nor the SEK is kept in clear: a row is keyed by the SHA-256 digest
//! of its token, and the SEK and the token are sealed together with the key set's storage
//! key, bound to that digest. The token itself must come back, because a login inside its
//! life answers the same token. Rows written before schema version 3 held the token in clear
//! (in the key column, with only the SEK sealed); [`load`] still reads them and reports them
//! so the owner rewrites them at once.

use aws_lc_rs::digest::{SHA256, digest};

use super::{Identity, Session};
use crate::{
    crypto::hex_lower,
    gstin::Gstin,
    irp::IrpName,
    secret::SessionKey,
    store::{Sealer, StoreError, from_nanos, to_nanos},
};
use rusqlite::{Connection, params};

/// The key of a session row: lower-case hex SHA-256 of the token.
pub(crate) fn token_digest(token: &str) -> String {
    hex_lower(digest(&SHA256, token.as_bytes()).as_ref())
}

/// A session as stored: the owner and expiry in clear, the token and SEK sealed.
#[derive(Debug, Clone)]
pub(crate) struct SessionRow {
    token_digest: String,
    client_id: String,
    user_name: String,
    gstin: String,
    sealed: Vec<u8>,
    expires_at: i64,
    irp: String,
}

impl SessionRow {
    /// Seals `session` for storage.
    pub(crate) fn seal(session: &Session, sealer: &Sealer) -> Self {
        let key = token_digest(&session.token);
        let mut secret = session.sek.expose().to_vec();
        secret.extend_from_slice(session.token.as_bytes());
        let sealed = sealer.seal(key.as_bytes(), &secret);
        secret.iter_mut().for_each(|b| *b = 0);
        Self {
            token_digest: key,
            client_id: session.identity.client_id.clone(),
            user_name: session.identity.user_name.clone(),
            gstin: session.identity.gstin.to_string(),
            sealed,
            expires_at: to_nanos(session.expires_at),
            irp: session.identity.irp.to_string(),
        }
    }

    /// The session, and whether the row is in the old form (token in clear).
    fn open(self, sealer: &Sealer) -> Result<(Session, bool), StoreError> {
        let (sek, token, legacy) = match sealer.open(self.token_digest.as_bytes(), &self.sealed) {
            Ok(plain) if plain.len() > 32 => {
                let (sek, token) = plain.split_at(32);
                let token = String::from_utf8(token.to_vec()).map_err(|_| StoreError::Unseal)?;
                if token_digest(&token) != self.token_digest {
                    return Err(StoreError::Unseal);
                }
                (sek.to_vec(), token, false)
            }
            // Before version 3 the key column held the token itself and only the SEK was
            // sealed, bound to it.
            Ok(plain) if plain.len() == 32 => (plain, self.token_digest.clone(), true),
            _ => return Err(StoreError::Unseal),
        };
        let sek: [u8; 32] = sek.as_slice().try_into().map_err(|_| StoreError::Unseal)?;
        let session = Session {
            identity: Identity {
                client_id: self.client_id,
                user_name: self.user_name,
                gstin: Gstin::parse(&self.gstin).map_err(|_| StoreError::Unseal)?,
                irp: IrpName::parse(&self.irp).map_err(|_| StoreError::Unseal)?,
            },
            sek: SessionKey::from_bytes(sek),
            expires_at: from_nanos(self.expires_at).map_err(|_| StoreError::Unseal)?,
            token,
        };
        Ok((session, legacy))
    }
}

/// Stores a newly issued session.
pub(crate) fn save(conn: &Connection, row: &SessionRow) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO session (token_digest, client_id, user_name, gstin, sealed, expires_at, irp)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        row.token_digest,
        row.client_id,
        row.user_name,
        row.gstin,
        row.sealed,
        row.expires_at,
        row.irp
    ])
    .map(drop)
}

/// Forgets one token.
pub(crate) fn delete_token(conn: &Connection, token: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM session WHERE token_digest = ?1")?
        .execute([token_digest(token)])
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

/// Forgets a row of the old form (keyed by the token itself).
pub(crate) fn delete_legacy(conn: &Connection, token: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM session WHERE token_digest = ?1")?
        .execute([token])
        .map(drop)
}

/// Rewrites a row of the old form (token in clear) in the current one.
pub(crate) fn rewrite_legacy(
    conn: &Connection,
    row: &SessionRow,
    token: &str,
) -> rusqlite::Result<()> {
    delete_legacy(conn, token)?;
    save(conn, row)
}

/// Every stored session that this key set can open, with those still in the old form;
/// others are dropped with a warning (their clients simply authenticate again).
pub(crate) fn load(
    conn: &Connection,
    sealer: &Sealer,
) -> rusqlite::Result<(Vec<Session>, Vec<Session>)> {
    let mut statement = conn.prepare(
        "SELECT token_digest, client_id, user_name, gstin, sealed, expires_at, irp FROM session",
    )?;
    let rows = statement.query_map([], |r| {
        Ok(SessionRow {
            token_digest: r.get(0)?,
            client_id: r.get(1)?,
            user_name: r.get(2)?,
            gstin: r.get(3)?,
            sealed: r.get(4)?,
            expires_at: r.get(5)?,
            irp: r.get(6)?,
        })
    })?;
    let mut sessions = Vec::new();
    let mut legacy = Vec::new();
    let mut unreadable = 0_usize;
    for row in rows {
        match row?.open(sealer) {
            Ok((session, false)) => sessions.push(session),
            Ok((session, true)) => legacy.push(session),
            Err(_) => unreadable += 1,
        }
    }
    if unreadable > 0 {
        tracing::warn!("{unreadable} stored sessions were sealed by another key set; dropped");
    }
    Ok((sessions, legacy))
}
