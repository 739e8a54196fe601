//! The proxy's shared state: how it is set up ([`Options`]), and what every call reads
//! (the upstream, the proxy's credentials key, the sessions it saw opened, the journal),
//! behind one cheap-to-clone [`Proxy`].

use std::{
    path::PathBuf,
    sync::{Arc, Mutex, PoisonError},
};

use irp_emulator::{
    crypto::CredentialKey,
    keys::{KeyError, KeyPems, KeySet},
};

use super::{
    journal::{Journal, Limits},
    sessions::{Session, Sessions},
    upstream::{Upstream, UpstreamError},
};
use crate::profile::Profile;

/// How the proxy is set up.
#[derive(Clone)]
pub struct Options {
    /// The upstream IRP's base URL (`https://einv-apisandbox.nic.in`).
    pub upstream: String,
    /// The upstream's keys (`auth_public_key`, `signing_certificate`: PEM paths or
    /// `fetch`) and `timeout_seconds`.
    pub profile: Profile,
    /// The proxy's own key set; the ERP encrypts credentials with its `auth_public`.
    pub keys: KeyPems,
    /// Where each journal entry is also appended as a JSON line.
    pub journal_out: Option<PathBuf>,
    /// With a token, `/__emulator__/journal` answers any caller sending it as a bearer
    /// token; without, loopback callers only.
    pub admin_token: Option<String>,
    /// How much journal is kept in memory.
    pub limits: Limits,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("upstream", &self.upstream)
            .field("journal_out", &self.journal_out)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// Why the proxy could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// The key set could not be loaded.
    #[error("the proxy's keys: {0}")]
    Keys(#[from] KeyError),
    /// No HTTP client for the upstream.
    #[error("the upstream's HTTP client: {0}")]
    Client(#[from] irp_client::ClientError),
    /// `--journal-out` cannot be appended to.
    #[error("--journal-out {path}: {source}")]
    JournalOut {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// The running proxy's shared state: cheap to clone.
#[derive(Debug, Clone)]
pub struct Proxy {
    pub(super) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(super) struct Inner {
    pub(super) upstream: Upstream,
    pub(super) credential: CredentialKey,
    /// Plain struct behind a std mutex, never held across an await.
    pub(super) sessions: Mutex<Sessions>,
    pub(super) journal: Journal,
    pub(super) admin_token: Option<String>,
}

impl Proxy {
    /// A proxy set up with `options` (nothing is sent upstream yet).
    pub fn new(options: Options) -> Result<Self, ProxyError> {
        let KeySet { credential, .. } = KeySet::from_pems(options.keys)?;
        let journal =
            Journal::open(options.journal_out.as_deref(), options.limits).map_err(|source| {
                ProxyError::JournalOut {
                    path: options
                        .journal_out
                        .as_deref()
                        .unwrap_or_else(|| std::path::Path::new("-"))
                        .display()
                        .to_string(),
                    source,
                }
            })?;
        Ok(Self {
            inner: Arc::new(Inner {
                upstream: Upstream::new(&options.upstream, options.profile)?,
                credential,
                sessions: Mutex::new(Sessions::default()),
                journal,
                admin_token: options.admin_token,
            }),
        })
    }

    /// The upstream's base URL, as every journal entry names it.
    pub fn upstream(&self) -> &str {
        &self.inner.upstream.base
    }

    /// The journal.
    pub fn journal(&self) -> &Journal {
        &self.inner.journal
    }

    /// Resolves the upstream's public key now (a profile's `fetch` asks the upstream).
    pub async fn check_upstream(&self) -> Result<(), UpstreamError> {
        self.inner.upstream.auth_key().await.map(drop)
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, Sessions> {
        self.inner
            .sessions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn session(&self, token: &str) -> Option<Arc<Session>> {
        self.sessions().get(token)
    }

    pub(super) fn remember(&self, token: String, session: Session) -> Arc<Session> {
        self.sessions().insert(token, session)
    }
}

impl Inner {
    pub(super) fn journal_limit(&self) -> String {
        let limits = self.journal.limits();
        format!(
            "the newest {} calls, at most {} MiB of payloads",
            limits.max_entries,
            limits.max_bytes / (1024 * 1024)
        )
    }
}
