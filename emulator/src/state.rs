//! `AppState`: everything a request may read, cheap to clone.
//!
//! Durable state sits in the [`Store`], which only the domain owners touch: the
//! [`Registry`] (registrations and e-way bills), the [`SessionBook`] and the
//! [`TaxpayerBook`] (kept in memory, since every request consults them, and written
//! through), and the [`Journal`]. Each owner checks, persists, then applies. The store and
//! the sealer are private to the state; routes call the owners.
//!
//! One process may serve several IRPs ([`AppState::open_irps`]): one `AppState` each, with
//! its own settings (name, profile), keys, signer, fault plan, rate limits and answer time,
//! sharing one clock, store, registry (the GSTN-level view of registered documents), taxpayer
//! master, session book (each token names its IRP) and journal. Secrets at rest are sealed
//! with the first IRP's key set.

use std::{
    ops::Deref,
    sync::{Arc, Mutex, MutexGuard, PoisonError, RwLockReadGuard},
};

use crate::{
    clock::Clock,
    config::{Profile, Settings},
    faults::{FaultFile, FaultPlan},
    invoice::InvoiceSchema,
    irp::{AnswerClock, AnswerTime, Irp},
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
    /// The compiled invoice schema (shared).
    pub schema: Arc<InvoiceSchema>,
    /// The RS256 signer for invoices and QR codes (this IRP's key).
    pub signer: JwsSigner,
    /// Registered IRNs and e-way bills, at every IRP of the process.
    pub registry: Arc<Registry>,
    /// Auth tokens and session keys (each names the IRP that issued it).
    pub sessions: Arc<SessionBook>,
    /// The taxpayer master and its changes (shared).
    pub master: Arc<TaxpayerBook>,
    /// The journal of API calls (shared; each entry names its IRP).
    pub journal: Arc<Journal>,
    /// This IRP's answer-time model.
    pub answer_clock: AnswerClock,
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
    /// and the stored sessions. One IRP, named by `settings.irp`.
    pub fn open(
        settings: Settings,
        keys: KeySet,
        clock: Clock,
        store: Store,
    ) -> Result<Self, StateError> {
        let irp = IrpSpec {
            irp: settings.irp.clone(),
            keys,
            profile: None,
            answer_time: AnswerTime::default(),
        };
        let mut states = Self::open_irps(settings, vec![irp], clock, store)?;
        Ok(states.remove(0))
    }

    /// One state per IRP of `irps` (in order, at least one), over one shared store, clock,
    /// registry, master, session book and journal. Each IRP's settings are `settings` with
    /// its name and profile; its signer gets its share of the signer threads.
    pub fn open_irps(
        settings: Settings,
        irps: Vec<IrpSpec>,
        clock: Clock,
        store: Store,
    ) -> Result<Vec<Self>, StateError> {
        // Seals secrets (SEKs, passwords) before they reach the store: with the first IRP's
        // key set, which therefore must stay the same for a data directory.
        let first_key = irps
            .first()
            .map(|spec| spec.keys.pems.auth_private.as_bytes().to_vec())
            .unwrap_or_default();
        let sealer = Arc::new(Sealer::from_secret(&first_key));
        let master = Arc::new(TaxpayerBook::open(store.clone(), sealer.clone())?);
        let sessions = Arc::new(SessionBook::open(store.clone(), sealer, &master.read())?);
        let journal = Arc::new(Journal::new(store.clone(), settings.journal)?);
        let registry = Arc::new(Registry::open(store)?);
        let schema = Arc::new(InvoiceSchema::v1_1().unwrap_or_else(|e| unreachable!("{e}")));
        let threads = settings.server.threads().div_ceil(irps.len().max(1));
        let seed = settings.faults.seed;
        let states = irps
            .into_iter()
            .enumerate()
            .map(|(index, spec)| {
                let mut settings = settings.clone();
                settings.irp = spec.irp;
                if let Some(profile) = spec.profile
                    && profile != settings.profile
                {
                    settings.profile = profile;
                    settings.token_lifetime = profile.token_lifetime();
                }
                let signer = JwsSigner::new(&spec.keys, settings.issuer(), threads);
                let answer_seed = seed.wrapping_add(index as u64 + 1);
                Self {
                    inner: Arc::new(Shared {
                        keys: spec.keys,
                        clock: clock.clone(),
                        schema: schema.clone(),
                        signer,
                        registry: registry.clone(),
                        sessions: sessions.clone(),
                        master: master.clone(),
                        journal: journal.clone(),
                        answer_clock: AnswerClock::new(spec.answer_time, answer_seed),
                        faults: Mutex::new(FaultPlan::seeded(seed)),
                        rate_limits: Mutex::default(),
                        settings,
                    }),
                }
            })
            .collect();
        Ok(states)
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

/// One IRP to serve: who it is, its keys, and how it differs from the common settings.
#[derive(Debug)]
pub struct IrpSpec {
    /// Name and AckNo digit.
    pub irp: Irp,
    /// Its key set (credential key, signing key and certificate, TLS).
    pub keys: KeySet,
    /// Its profile, when not the common one.
    pub profile: Option<Profile>,
    /// Its answer-time model.
    pub answer_time: AnswerTime,
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.inner
    }
}
