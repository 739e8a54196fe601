//! `SessionBook`: the owner of sessions, as the registry owns registrations.
//!
//! It holds the in-memory [`SessionTable`] (every request checks a token, so it is read
//! without touching the store), the store and the sealer. A login is decided under the
//! table's lock, written to the store, and answered only once the write committed; a write
//! that fails takes the new token back out of memory, so no client holds a token the store
//! does not. Routes never see the store or the sealer.
//!
//! Logins and taxpayer changes are ordered by one asynchronous gate held from the decision
//! to the commit: a login cannot be decided against a master that a replacement is about to
//! change, nor saved after the replacement deleted its user's sessions, and a second login
//! of the same user cannot be answered with a token whose write is still queued. Logins are
//! rare next to the calls that use their tokens (a token lives for an hour), so the
//! serialisation costs nothing that matters. At start, a stored session whose user no longer
//! exists, belongs to another GSTIN or may no longer use the client is dropped.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use time::OffsetDateTime;

use super::{Identity, Session, SessionTable, TokenError, rows};
use crate::{
    config::Settings,
    envelope::LoginRequest,
    error::ApiError,
    secret::SessionKey,
    store::{Sealer, Store, StoreError},
    taxpayer::{TaxpayerBook, TaxpayerMaster},
};

/// Sessions in memory, written through to the store.
#[derive(Debug)]
pub struct SessionBook {
    table: Mutex<SessionTable>,
    gate: tokio::sync::Mutex<()>,
    store: Store,
    sealer: Arc<Sealer>,
}

impl SessionBook {
    /// The stored sessions that `sealer` can open and whose user `master` still holds.
    pub(crate) fn open(
        store: Store,
        sealer: Arc<Sealer>,
        master: &TaxpayerMaster,
    ) -> Result<Self, StoreError> {
        let mut table = SessionTable::default();
        let (current, legacy) = store.read(|conn| rows::load(conn, &sealer))?;
        let owned = |s: &Session| {
            master
                .find_user(&s.identity.user_name)
                .is_some_and(|(taxpayer, user)| {
                    taxpayer.gstin == s.identity.gstin && user.may_use_client(&s.identity.client_id)
                })
        };
        let (current, orphans): (Vec<_>, Vec<_>) = current.into_iter().partition(|s| owned(s));
        let (legacy, legacy_orphans): (Vec<_>, Vec<_>) = legacy.into_iter().partition(|s| owned(s));
        if !orphans.is_empty() || !legacy_orphans.is_empty() {
            tracing::info!(
                "{} stored sessions belong to users that no longer exist; dropped",
                orphans.len() + legacy_orphans.len()
            );
            let tokens: Vec<String> = orphans.into_iter().map(|s| s.token).collect();
            let legacy_keys: Vec<String> = legacy_orphans.into_iter().map(|s| s.token).collect();
            store.write_detached(move |conn| {
                tokens
                    .iter()
                    .try_for_each(|t| rows::delete_token(conn, t))?;
                legacy_keys
                    .iter()
                    .try_for_each(|t| rows::delete_legacy(conn, t))
            });
        }
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
            gate: tokio::sync::Mutex::new(()),
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
        let _gate = self.gate.lock().await;
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

    /// Revokes one token (a fault rule's `revoke_token`), in memory and in the store; the
    /// next call with it is answered 1005. Unknown tokens are ignored.
    pub async fn revoke(&self, token: &str) -> Result<(), StoreError> {
        let _gate = self.gate.lock().await;
        self.table().forget(token);
        let token = token.to_owned();
        self.store
            .write(move |conn| rows::delete_token(conn, &token))
            .await
    }

    /// Holds logins back while a taxpayer change is checked, persisted and applied.
    pub(crate) async fn exclusive(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.gate.lock().await
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
