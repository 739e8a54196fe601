//! `AppState`: everything a request may read, cheap to clone.
//!
//! Shared parts are plain structs behind `std::sync` locks (never held across `.await`):
//! one lock per concern keeps the duplicate-check-and-insert of later stages atomic without
//! a concurrent map.

use std::{
    ops::Deref,
    sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard},
};

use crate::{
    clock::Clock,
    config::Settings,
    invoice::InvoiceSchema,
    keys::KeySet,
    registry::Registry,
    session::Sessions,
    signing::JwsSigner,
    taxpayer::{MasterError, TaxpayerMaster},
};

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
    sessions: Mutex<Sessions>,
    registry: Mutex<Registry>,
    taxpayers: RwLock<TaxpayerMaster>,
    initial_taxpayers: TaxpayerMaster,
}

impl AppState {
    /// State with the default taxpayer data set.
    pub fn new(settings: Settings, keys: KeySet, clock: Clock) -> Result<Self, MasterError> {
        Ok(Self::with_master(
            settings,
            keys,
            clock,
            TaxpayerMaster::default_data_set()?,
        ))
    }

    /// State with a given taxpayer master (restored by [`AppState::reset`]).
    pub fn with_master(
        settings: Settings,
        keys: KeySet,
        clock: Clock,
        master: TaxpayerMaster,
    ) -> Self {
        let signer = JwsSigner::new(&keys, settings.issuer());
        Self {
            inner: Arc::new(Shared {
                settings,
                keys,
                clock,
                schema: InvoiceSchema::v1_1().unwrap_or_else(|e| unreachable!("{e}")),
                signer,
                sessions: Mutex::new(Sessions::default()),
                registry: Mutex::new(Registry::default()),
                taxpayers: RwLock::new(master.clone()),
                initial_taxpayers: master,
            }),
        }
    }

    /// The sessions (a short critical section; never hold across `.await`).
    pub fn sessions(&self) -> MutexGuard<'_, Sessions> {
        self.inner
            .sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The IRN registry (a short critical section; never hold across `.await`).
    pub fn registry(&self) -> MutexGuard<'_, Registry> {
        self.inner
            .registry
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

    /// Back to the state at start: initial master, no sessions, no registrations. The clock is left alone.
    pub fn reset(&self) {
        *self.taxpayers_mut() = self.inner.initial_taxpayers.clone();
        self.sessions().clear();
        *self.registry() = Registry::default();
    }
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.inner
    }
}
