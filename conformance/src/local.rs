//! The default target: an emulator started in this process on a free loopback port, with
//! in-memory state, so `irp-conformance run` works with no setup. Only the emulator's
//! server is used; every call still goes over HTTP through the harness's own client.

use irp_emulator::{
    clock::Clock,
    config::Settings,
    irp::{AnswerTime, Irp, IrpName},
    keys::{KeyPems, KeySet},
    state::{AppState, IrpSpec},
    store::Store,
};
use tokio::{sync::oneshot, task::JoinHandle};

/// A running in-process emulator; dropping it stops the server.
#[derive(Debug)]
pub struct LocalEmulator {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

/// Why the in-process emulator could not start.
#[derive(Debug, thiserror::Error)]
#[error("starting the in-process emulator: {0}")]
pub struct LocalError(String);

impl LocalEmulator {
    /// Starts the emulator with default settings, the built-in test keys and the system clock.
    pub async fn start() -> Result<Self, LocalError> {
        Self::start_at(Clock::system()).await
    }

    /// Starts the emulator on `clock` (tests freeze it).
    pub async fn start_at(clock: Clock) -> Result<Self, LocalError> {
        Self::start_with(Settings::default(), clock).await
    }

    /// Starts the emulator with `settings` on `clock`.
    pub async fn start_with(settings: Settings, clock: Clock) -> Result<Self, LocalError> {
        let keys = KeySet::embedded().map_err(|e| LocalError(e.to_string()))?;
        Self::start_with_keys(settings, keys, clock).await
    }

    /// Starts the emulator with `settings` and its own key set `keys` (made by
    /// `irp_emulator::keys::generate`), on `clock`: an IRP whose keys differ from the
    /// built-in ones, as NIC's differ from the emulator's.
    pub async fn start_with_keys(
        settings: Settings,
        keys: KeySet,
        clock: Clock,
    ) -> Result<Self, LocalError> {
        let state = AppState::new(settings, keys, clock).map_err(|e| LocalError(e.to_string()))?;
        Self::serve(state).await
    }

    /// Starts the IRPs `names` (in order; `nic1`, `nic2`, …) as one `irp-emulator --irps`
    /// process would: one GSTN-wide view of documents in one in-memory store, each IRP on
    /// its own free port with its own built-in test key set (the second for every IRP after
    /// the first), sessions and AckNo series.
    pub async fn start_irps(
        names: &[String],
        settings: Settings,
        clock: Clock,
    ) -> Result<Vec<(String, Self)>, LocalError> {
        let failed = |e: &dyn std::fmt::Display| LocalError(e.to_string());
        let parsed = names
            .iter()
            .map(|name| IrpName::parse(name).map_err(|e| failed(&e)))
            .collect::<Result<Vec<_>, _>>()?;
        let specs = Irp::numbered(&parsed)
            .into_iter()
            .enumerate()
            .map(|(index, irp)| {
                Ok(IrpSpec {
                    irp,
                    keys: KeySet::from_pems(KeyPems::embedded_set(index))
                        .map_err(|e| failed(&e))?,
                    profile: None,
                    answer_time: AnswerTime::default(),
                })
            })
            .collect::<Result<Vec<_>, LocalError>>()?;
        let store = Store::in_memory().map_err(|e| failed(&e))?;
        let states = AppState::open_irps(settings, specs, clock, store).map_err(|e| failed(&e))?;
        let mut started = Vec::with_capacity(states.len());
        for (name, state) in names.iter().zip(states) {
            started.push((name.clone(), Self::serve(state).await?));
        }
        Ok(started)
    }

    /// Serves `state` (already given its fault rules, say) on a free loopback port, on the
    /// runtime this is called on.
    pub async fn serve(state: AppState) -> Result<Self, LocalError> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| LocalError(e.to_string()))?;
        let addr = listener
            .local_addr()
            .map_err(|e| LocalError(e.to_string()))?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(irp_emulator::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Ok(Self {
            base: format!("http://{addr}"),
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for LocalEmulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
