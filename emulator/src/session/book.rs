//! `SessionBook`: the owner of sessions, as the registry owns registrations.
//!
//! It holds the in-memory [`SessionTable`] (every request checks a token, so it is read
//! without touching the store), the store and the sealer. A login is decided under the
//! table's lock, written to the store, and answered only once the write committed; a write
//! that fails takes the new token back out of memory, so no client holds a token the store
//! does not. Routes never see the store or the sealer.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use time::OffsetDateTime;

use super::{Identity, Session, SessionTable, TokenError, rows};
use crate::{
    config::Settings,
    envelope::LoginRequest,
    error::ApiError,
    secret::SessionKey,
    store::{Sealer, Store, StoreError},
    taxpayer::TaxpayerBook,
};

/// Sessions in memory, written through to the store.
#[derive(Debug)]
pub struct SessionBook {
    table: Mutex<SessionTable>,
    store: Store,
    sealer: Arc<Sealer>,
}

impl SessionBook {
    /// The stored sessions that `sealer` can open.
    pub(crate) fn open(store: Store, sealer: Arc<Sealer>) -> Result<Self, StoreError> {
        let mut table = SessionTable::default();
        let (current, legacy) = store.read(|conn| rows::load(conn, &sealer))?;
        if !legacy.is_empty() {
            let rewritten: Vec<_> = legacy
                .iter()
                .map(|s| (rows::SessionRow::seal(s, &sealer), s.token.clone()))
                .collect();
            store.write_detached(move |conn| {
                rewritten
                    .iter()
                    .try_for_each(|(row, token)| rows::rewrite_legacy(conn, row, token))
            });
        }
        for stored in current.into_iter().chain(legacy) {
            table.restore(stored);
        }
        Ok(Self {
            table: Mutex::new(table),
            store,
            sealer,
        })
    }

    /// A short critical section over the table; never held across `.await`.
    fn table(&self) -> MutexGuard<'_, SessionTable> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Checks `request` against the taxpayer master, issues or reuses a session, and
    /// returns it once any new session is durable.
    pub async fn login(
        &self,
        taxpayers: &TaxpayerBook,
        settings: &Settings,
        request: &LoginRequest,
        now: OffsetDateTime,
    ) -> Result<Session, ApiError> {
        let login = {
            let master = taxpayers.read();
            crate::login::login(&master, &mut self.table(), settings, request, now)?
        };
        if !login.issued {
            return Ok(login.session);
        }
        let row = rows::SessionRow::seal(&login.session, &self.sealer);
        let replaced = login.replaced;
        let written = self
            .store
            .write(move |conn| {
                if let Some(old) = &replaced {
                    rows::delete_token(conn, old)?;
                }
                rows::save(conn, &row)
            })
            .await;
        if let Err(error) = written {
            self.table().forget(&login.session.token);
            return Err(error.into());
        }
        Ok(login.session)
    }

    /// The owner and session key of `token`, presented with (client, user, GSTIN) headers
    /// at `now`.
    pub fn check(
        &self,
        token: &str,
        client_id: &str,
        user_name: &str,
        gstin: &str,
        now: OffsetDateTime,
    ) -> Result<(Identity, SessionKey), TokenError> {
        self.table()
            .check(token, client_id, user_name, gstin, now)
            .map(|session| (session.identity.clone(), session.sek.clone()))
    }

    /// Drops every in-memory session of `users`, after their rows were deleted in the
    /// caller's transaction.
    pub(crate) fn revoke_users(&self, users: &[String]) {
        let mut table = self.table();
        for user in users {
            table.revoke_user(user);
        }
    }

    /// Drops every in-memory session, after the rows were deleted in the caller's
    /// transaction.
    pub(crate) fn forget_all(&self) {
        self.table().clear();
    }

    /// Number of sessions held (live, and expired but not yet replaced).
    pub fn len(&self) -> usize {
        self.table().len()
    }

    /// Whether no session is held.
    pub fn is_empty(&self) -> bool {
        self.table().is_empty()
    }
}
