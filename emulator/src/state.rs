//! `AppState`: everything a request may read, cheap to clone.
//!
//! Durable state sits in the [`Store`]; the registry reads and writes it directly, while
//! sessions and the taxpayer master are kept in memory (every request consults them) and
//! written through. Shared in-memory parts are plain structs behind `std::sync` locks,
//! never held across `.await`.

use std::{
    ops::Deref,
    sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard},
};

use crate::{
    clock::Clock,
    config::Settings,
    invoice::InvoiceSchema,
    journal::Journal,
    keys::KeySet,
    registry::Registry,
    session::{self, Sessions},
    signing::JwsSigner,
    store::{Sealer, Store, StoreError},
    taxpayer::{self, MasterError, TaxpayerMaster},
};

/// Why the state could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The taxpayer data set or a stored change is invalid.
    #[error(transparent)]
    Master(#[from] MasterError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The shared state of a running emulator.
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Shared>,
}

/// What [`AppState`] points to.
#[derive(Debug)]
pub struct Shared {
    /// Behaviour settings.
    pub settings: Settings,
    /// Key material.
    pub keys: KeySet,
    /// The one clock every rule reads.
    pub clock: Clock,
    /// The compiled invoice schema.
    pub schema: InvoiceSchema,
    /// The RS256 signer for invoices and QR codes.
    pub signer: JwsSigner,
    /// The database.
    pub store: Store,
    /// Registered IRNs and e-way bills.
    pub registry: Registry,
    /// Seals secrets (SEKs, passwords) before they reach the store.
    pub sealer: Sealer,
    /// The journal of API calls.
    pub journal: Journal,
    sessions: Mutex<Sessions>,
    taxpayers: RwLock<TaxpayerMaster>,
    initial_taxpayers: TaxpayerMaster,
}

impl AppState {
    /// State over a throwaway in-memory store with the default taxpayer data set.
    pub fn new(settings: Settings, keys: KeySet, clock: Clock) -> Result<Self, StateError> {
        Self::open(settings, keys, clock, Store::in_memory()?)
    }

    /// State over `store`: the default taxpayer data set with the stored changes applied,
    /// and the stored sessions.
    pub fn open(
        settings: Settings,
        keys: KeySet,
        clock: Clock,
        store: Store,
    ) -> Result<Self, StateError> {
        let initial = TaxpayerMaster::default_data_set()?;
        let sealer = Sealer::from_secret(keys.pems.auth_private.as_bytes());
        let mut master = initial.clone();
        let changes = store.read(taxpayer::rows::load)?;
        for input in taxpayer::rows::open(changes, &sealer)? {
            master.upsert(input.into_taxpayer().map_err(MasterError::from)?)?;
        }
        let mut sessions = Sessions::default();
        for stored in store.read(|conn| session::load(conn, &sealer))? {
            sessions.restore(stored);
        }
        let signer = JwsSigner::new(&keys, settings.issuer());
        let journal = Journal::new(store.clone(), settings.journal);
        Ok(Self {
            inner: Arc::new(Shared {
                settings,
                keys,
                clock,
                schema: InvoiceSchema::v1_1().unwrap_or_else(|e| unreachable!("{e}")),
                signer,
                registry: Registry::open(store.clone())?,
                journal,
                store,
                sealer,
                sessions: Mutex::new(sessions),
                taxpayers: RwLock::new(master),
                initial_taxpayers: initial,
            }),
        })
    }

    /// The sessions (a short critical section; never hold across `.await`).
    pub fn sessions(&self) -> MutexGuard<'_, Sessions> {
        self.inner
            .sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the taxpayer master.
    pub fn taxpayers(&self) -> RwLockReadGuard<'_, TaxpayerMaster> {
        self.inner
            .taxpayers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes the taxpayer master.
    pub fn taxpayers_mut(&self) -> RwLockWriteGuard<'_, TaxpayerMaster> {
        self.inner
            .taxpayers
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Back to an empty state: the built-in master, no sessions, no registrations. The
    /// clock, the journal and the AckNo/EwbNo sequences are left alone.
    pub async fn reset(&self) -> Result<(), StoreError> {
        self.store
            .write(|conn| {
                taxpayer::rows::delete_all(conn)?;
                session::delete_all(conn)
            })
            .await?;
        self.registry.clear().await?;
        *self.taxpayers_mut() = self.inner.initial_taxpayers.clone();
        self.sessions().clear();
        Ok(())
    }
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.inner
    }
}
