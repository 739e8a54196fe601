//! `AppState`: everything a request may read, cheap to clone.
//!
//! Durable state sits in the [`Store`], which only the domain owners touch: the
//! [`Registry`] (registrations and e-way bills), the [`SessionBook`] and the
//! [`TaxpayerBook`] (kept in memory, since every request consults them, and written
//! through), and the [`Journal`]. Each owner checks, persists, then applies. The store and
//! the sealer are private to the state; routes call the owners.

use std::{
    ops::Deref,
    sync::{Arc, Mutex, MutexGuard, PoisonError, RwLockReadGuard},
};

use crate::{
    clock::Clock,
    config::Settings,
    faults::{FaultFile, FaultPlan},
    invoice::InvoiceSchema,
    journal::Journal,
    keys::KeySet,
    ratelimit::RateLimiter,
    registry::Registry,
    session::SessionBook,
    signing::JwsSigner,
    store::{Sealer, Store, StoreError},
    taxpayer::{TaxpayerBook, TaxpayerMaster, TaxpayerOpenError},
};

/// Why the state could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The taxpayer data set or a stored change is invalid.
    #[error(transparent)]
    Taxpayers(#[from] TaxpayerOpenError),
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
    /// Registered IRNs and e-way bills.
    pub registry: Registry,
    /// Auth tokens and session keys.
    pub sessions: SessionBook,
    /// The taxpayer master and its changes.
    pub master: TaxpayerBook,
    /// The journal of API calls.
    pub journal: Journal,
    /// The fault rules in force (never held across `.await`: see [`AppState::fault_plan`]).
    pub faults: Mutex<FaultPlan>,
    /// The rate-limit rules and their windows (never held across `.await`: see
    /// [`AppState::rate_limiter`]).
    pub rate_limits: Mutex<RateLimiter>,
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
        // Seals secrets (SEKs, passwords) before they reach the store.
        let sealer = Arc::new(Sealer::from_secret(keys.pems.auth_private.as_bytes()));
        let master = TaxpayerBook::open(store.clone(), sealer.clone())?;
        let sessions = SessionBook::open(store.clone(), sealer, &master.read())?;
        let signer = JwsSigner::new(&keys, settings.issuer(), settings.server.threads());
        let journal = Journal::new(store.clone(), settings.journal)?;
        let seed = settings.faults.seed;
        Ok(Self {
            inner: Arc::new(Shared {
                settings,
                keys,
                clock,
                schema: InvoiceSchema::v1_1().unwrap_or_else(|e| unreachable!("{e}")),
                signer,
                registry: Registry::open(store)?,
                sessions,
                master,
                journal,
                faults: Mutex::new(FaultPlan::seeded(seed)),
                rate_limits: Mutex::default(),
            }),
        })
    }

    /// Reads the taxpayer master (shorthand for `master.read()`; never hold across
    /// `.await`).
    pub fn taxpayers(&self) -> RwLockReadGuard<'_, TaxpayerMaster> {
        self.master.read()
    }

    /// The fault plan, locked (decide under it, then release before any `.await`).
    pub fn fault_plan(&self) -> MutexGuard<'_, FaultPlan> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The rate limiter, locked (check under it, then release before any `.await`).
    pub fn rate_limiter(&self) -> MutexGuard<'_, RateLimiter> {
        self.rate_limits
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Puts the rules and rate limits of a `--faults` file in force.
    pub fn load_faults(&self, file: FaultFile) {
        self.fault_plan().load(file.fault);
        self.rate_limiter().load(file.rate_limit);
    }

    /// Back to an empty state: the built-in master, no sessions, no registrations, only the
    /// `--faults` file's rules and rate limits (none fired, no window counted, the
    /// generator at its seed). The clock, the journal and the AckNo/EwbNo sequences are
    /// left alone.
    pub async fn reset(&self) -> Result<(), StoreError> {
        self.fault_plan().reset();
        self.rate_limiter().reset();
        self.master.reset(&self.sessions).await?;
        self.registry.clear().await
    }
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.inner
    }
}
