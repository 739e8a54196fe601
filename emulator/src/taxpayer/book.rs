//! `TaxpayerBook`: the owner of the taxpayer master, as the registry owns registrations.
//!
//! A change is checked against the master (a user name may belong to another GSTIN),
//! persisted (sealed, with the deletion of the replaced users' sessions in the same
//! transaction), then applied, so the master never holds a change the store does not and a
//! revoked token cannot come back after a restart.

use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::{GstinDetails, MasterError, TaxpayerInput, TaxpayerMaster, rows};
use crate::{
    gstin::GstinCheck,
    session::{self, SessionBook},
    store::{Sealer, Store, StoreError},
};

/// Why a taxpayer change was refused.
#[derive(Debug, thiserror::Error)]
pub enum TaxpayerChangeError {
    /// The record is invalid or conflicts with the master (a client error).
    #[error("{0}")]
    Invalid(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why the master could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum TaxpayerOpenError {
    /// The built-in data set or a stored change is invalid.
    #[error(transparent)]
    Master(#[from] MasterError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The taxpayer master in memory, with its changes written through to the store.
#[derive(Debug)]
pub struct TaxpayerBook {
    master: RwLock<TaxpayerMaster>,
    initial: TaxpayerMaster,
    store: Store,
    sealer: Arc<Sealer>,
}

impl TaxpayerBook {
    /// The built-in data set with the stored changes applied in the order they were made.
    pub(crate) fn open(store: Store, sealer: Arc<Sealer>) -> Result<Self, TaxpayerOpenError> {
        let initial = TaxpayerMaster::default_data_set()?;
        let mut master = initial.clone();
        let changes = store.read(rows::load)?;
        for input in rows::open(changes, &sealer)? {
            master.upsert(input.into_taxpayer().map_err(MasterError::from)?)?;
        }
        Ok(Self {
            master: RwLock::new(master),
            initial,
            store,
            sealer,
        })
    }

    /// Reads the master (a short critical section; never hold across `.await`).
    pub fn read(&self) -> RwLockReadGuard<'_, TaxpayerMaster> {
        self.master.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, TaxpayerMaster> {
        self.master.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds or replaces the taxpayer of `record` (the control API's JSON). Replacing one
    /// revokes its users' sessions. `check` is the GSTIN strictness setting.
    pub async fn upsert(
        &self,
        record: &[u8],
        check: GstinCheck,
        sessions: &SessionBook,
    ) -> Result<GstinDetails, TaxpayerChangeError> {
        let invalid = |e: &dyn std::fmt::Display| TaxpayerChangeError::Invalid(e.to_string());
        let input: TaxpayerInput = serde_json::from_slice(record).map_err(|e| invalid(&e))?;
        let taxpayer = input.into_taxpayer().map_err(|e| invalid(&e))?;
        check
            .parse(taxpayer.gstin.as_str())
            .map_err(|e| TaxpayerChangeError::Invalid(format!("Gstin: {e}")))?;
        let details = GstinDetails::from(&taxpayer);
        // No login is decided or saved between this check and the revocation below.
        let _logins = sessions.exclusive().await;
        let replaced_users: Vec<String> = {
            let master = self.read();
            master.admits(&taxpayer).map_err(|e| invalid(&e))?;
            master
                .get(&taxpayer.gstin)
                .map(|old| old.users.iter().map(|u| u.user_name.clone()).collect())
                .unwrap_or_default()
        };
        let row = rows::TaxpayerRow::seal(&taxpayer.gstin, record, &self.sealer);
        let revoked = replaced_users.clone();
        self.store
            .write(move |conn| {
                rows::save(conn, &row)?;
                revoked
                    .iter()
                    .try_for_each(|user| session::delete_user(conn, user))
            })
            .await?;
        self.write().upsert(taxpayer).map_err(|e| invalid(&e))?;
        sessions.revoke_users(&replaced_users);
        Ok(details)
    }

    /// Back to the built-in data set, with no sessions: both forgotten in one transaction.
    pub(crate) async fn reset(&self, sessions: &SessionBook) -> Result<(), StoreError> {
        let _logins = sessions.exclusive().await;
        self.store
            .write(|conn| {
                rows::delete_all(conn)?;
                session::delete_all(conn)
            })
            .await?;
        *self.write() = self.initial.clone();
        sessions.forget_all();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::{
        config::Settings, envelope::LoginRequest, gstin::Gstin, secret::Password,
        session::TokenError,
    };

    const LARGE: &str = "29AAACL1111A1ZD";

    fn books(store: &Store) -> (TaxpayerBook, SessionBook) {
        let sealer = Arc::new(Sealer::from_secret(b"test key set"));
        let taxpayers = TaxpayerBook::open(store.clone(), sealer.clone()).unwrap();
        let sessions = SessionBook::open(store.clone(), sealer, &taxpayers.read()).unwrap();
        (taxpayers, sessions)
    }

    fn large_supplier() -> LoginRequest {
        LoginRequest {
            client_id: crate::config::DEFAULT_CLIENT_ID.into(),
            gstin: LARGE.into(),
            user_name: "large_supplier".into(),
            password: Password::new("Emulator@123"),
            force_refresh: false,
        }
    }

    fn record(legal_name: &str) -> Vec<u8> {
        serde_json::json!({"Gstin": LARGE, "LegalName": legal_name, "StateCode": 29,
            "AddrPncd": 560001, "Users": [{"UserName": "large_supplier", "Password": "New@1234"}]})
        .to_string()
        .into_bytes()
    }

    #[tokio::test]
    async fn replacing_a_taxpayer_revokes_its_sessions_in_memory_and_in_the_store() {
        let store = Store::in_memory().unwrap();
        let (taxpayers, sessions) = books(&store);
        let now = datetime!(2026-03-31 10:00 UTC);
        let settings = Settings::default();
        let session = sessions
            .login(&taxpayers, &settings, &large_supplier(), now)
            .await
            .unwrap();
        assert_eq!(books(&store).1.len(), 1);

        let details = taxpayers
            .upsert(&record("RENAMED LTD"), GstinCheck::Shape, &sessions)
            .await
            .unwrap();
        assert_eq!(details.legal_name, "RENAMED LTD");
        let client = crate::config::DEFAULT_CLIENT_ID;
        assert_eq!(
            sessions
                .check(&session.token, client, "large_supplier", LARGE, now)
                .err(),
            Some(TokenError::Invalid)
        );
        // A restart reads the same: the change applied, the session gone.
        let (reopened, restored) = books(&store);
        assert!(restored.is_empty());
        let gstin = Gstin::parse(LARGE).unwrap();
        assert_eq!(
            reopened.read().get(&gstin).unwrap().legal_name,
            "RENAMED LTD"
        );
    }

    #[tokio::test]
    async fn a_refused_change_touches_neither_the_master_nor_the_store() {
        let store = Store::in_memory().unwrap();
        let (taxpayers, sessions) = books(&store);
        // `small_supplier` belongs to another GSTIN.
        let taken = serde_json::json!({"Gstin": LARGE, "LegalName": "X", "StateCode": 29,
            "AddrPncd": 560001, "Users": [{"UserName": "small_supplier", "Password": "p"}]});
        let refused = taxpayers
            .upsert(taken.to_string().as_bytes(), GstinCheck::Shape, &sessions)
            .await;
        assert!(
            matches!(refused, Err(TaxpayerChangeError::Invalid(_))),
            "{refused:?}"
        );
        assert!(matches!(
            taxpayers
                .upsert(b"{not json", GstinCheck::Shape, &sessions)
                .await,
            Err(TaxpayerChangeError::Invalid(_))
        ));
        let gstin = Gstin::parse(LARGE).unwrap();
        assert_ne!(taxpayers.read().get(&gstin).unwrap().legal_name, "X");
        assert!(store.read(rows::load).unwrap().is_empty());
    }

    #[tokio::test]
    async fn reset_forgets_changes_and_sessions_together() {
        let store = Store::in_memory().unwrap();
        let (taxpayers, sessions) = books(&store);
        let now = datetime!(2026-03-31 10:00 UTC);
        sessions
            .login(&taxpayers, &Settings::default(), &large_supplier(), now)
            .await
            .unwrap();
        taxpayers
            .upsert(&record("CHANGED"), GstinCheck::Shape, &sessions)
            .await
            .unwrap();
        taxpayers.reset(&sessions).await.unwrap();
        assert!(sessions.is_empty());
        let (reopened, restored) = books(&store);
        assert!(restored.is_empty());
        let gstin = Gstin::parse(LARGE).unwrap();
        assert_ne!(reopened.read().get(&gstin).unwrap().legal_name, "CHANGED");
    }

    /// A login whose session write was queued behind a replacement's "delete this user's
    /// sessions" was saved after it, and a restart brought the revoked token back.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_revoked_token_stays_revoked_after_a_restart() {
        let now = datetime!(2026-03-31 10:00 UTC);
        let settings = Settings::default();
        // The user stays (with a new password), so only ordering can keep its old token out.
        let replaced = record("REPLACED LTD");
        for round in 0..100 {
            let store = Store::in_memory().unwrap();
            let (taxpayers, sessions) = books(&store);
            let request = large_supplier();
            let login = sessions.login(&taxpayers, &settings, &request, now);
            let change = taxpayers.upsert(&replaced, GstinCheck::Shape, &sessions);
            // Both orders of arrival: the replacement's write queued first is the one that
            // used to lose the revocation.
            let (login, change) = if round % 2 == 0 {
                tokio::join!(login, change)
            } else {
                let (change, login) = tokio::join!(change, login);
                (login, change)
            };
            change.unwrap();
            if let Ok(session) = login {
                let client = crate::config::DEFAULT_CLIENT_ID;
                let check = sessions.check(&session.token, client, "large_supplier", LARGE, now);
                assert_eq!(check.err(), Some(TokenError::Invalid));
            }
            store.write(|_| Ok(())).await.unwrap();
            assert!(books(&store).1.is_empty(), "a revoked session came back");
        }
    }

    /// On restart the token check did not verify that the session's user still exists.
    #[tokio::test]
    async fn restored_sessions_need_a_user_who_still_exists() {
        let store = Store::in_memory().unwrap();
        let sealer = Arc::new(Sealer::from_secret(b"test key set"));
        let (taxpayers, sessions) = books(&store);
        let now = datetime!(2026-03-31 10:00 UTC);
        sessions
            .login(&taxpayers, &Settings::default(), &large_supplier(), now)
            .await
            .unwrap();
        let empty = TaxpayerMaster::default();
        assert!(
            SessionBook::open(store.clone(), sealer.clone(), &empty)
                .unwrap()
                .is_empty()
        );
        // The orphan is deleted from the store too, not only skipped.
        store.write(|_| Ok(())).await.unwrap();
        assert!(books(&store).1.is_empty());
    }

    /// A session handed out while its store write failed (disk full) worked until the next
    /// restart, then answered 1005.
    #[tokio::test]
    async fn a_session_whose_write_failed_is_not_handed_out() {
        let store = Store::in_memory().unwrap();
        let (taxpayers, sessions) = books(&store);
        store
            .write(|conn| conn.execute_batch("DROP TABLE session"))
            .await
            .unwrap();
        let now = datetime!(2026-03-31 10:00 UTC);
        let refused = sessions
            .login(&taxpayers, &Settings::default(), &large_supplier(), now)
            .await
            .unwrap_err();
        assert_eq!(refused.code(), crate::error::ErrorCode::ApplicationError);
        assert!(sessions.is_empty());
    }
}
