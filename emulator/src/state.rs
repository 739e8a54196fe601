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
    keys::KeySet,
    session::Sessions,
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
    sessions: Mutex<Sessions>,
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
        Self {
            inner: Arc::new(Shared {
                settings,
                keys,
                clock,
                sessions: Mutex::new(Sessions::default()),
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

    /// Back to the state at start: initial master, no sessions. The clock is left alone.
    pub fn reset(&self) {
        *self.taxpayers_mut() = self.inner.initial_taxpayers.clone();
        self.sessions().clear();
    }
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.inner
    }
}
