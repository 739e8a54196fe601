//! The default target of `load`: the emulator in this process, on a runtime of its own.
//!
//! The emulator's worker threads (`irp-emulator-N`) are not the load generator's
//! (`irp-load-N`), so the process's CPU time less the generator's threads is the server's:
//! the per-request CPU cost of the emulator, measured under load with no second process.

use std::path::Path;

use anyhow::Context;
use irp_emulator::{
    clock::Clock, config::Settings, faults::FaultFile, keys::KeySet, state::AppState,
};
use tokio::runtime::Runtime;

use crate::local::LocalEmulator;

/// A running in-process emulator and the runtime it runs on.
#[derive(Debug)]
pub struct Hosted {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    runtime: Runtime,
    emulator: LocalEmulator,
}

impl Hosted {
    /// Starts the emulator with default settings, the built-in keys, the system clock and
    /// the fault rules of `faults` (the emulator's `--faults` file format). Must be called
    /// outside any runtime.
    pub fn start(faults: Option<&Path>) -> anyhow::Result<Self> {
        let faults = match faults {
            Some(path) => FaultFile::read(path).context("reading --faults")?,
            None => FaultFile::default(),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name_fn(super::thread_names("irp-emulator-"))
            .build()
            .context("starting the in-process emulator's runtime")?;
        let keys = KeySet::embedded().context("loading the emulator's keys")?;
        let state = AppState::new(Settings::default(), keys, Clock::system())
            .context("starting the in-process emulator")?;
        state.load_faults(faults);
        let emulator = runtime.block_on(LocalEmulator::serve(state))?;
        Ok(Self {
            base: emulator.base.clone(),
            runtime,
            emulator,
        })
    }

    /// Stops the server and its runtime. Must be called outside any runtime.
    pub fn stop(self) {
        let Self {
            runtime, emulator, ..
        } = self;
        runtime.block_on(emulator.stop());
    }
}
