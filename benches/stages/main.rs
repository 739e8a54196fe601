//! Every stage of a Generate IRN under its own criterion id, `stage/<name>`, next to the
//! reference `stage/rsa2048_sign` measured in the same run, so a profile reads stage by
//! stage as ratios to the machine's RSA-2048 signing time (these machines are noisy; ratios
//! within one run are not). After criterion's own report comes a table of the stages
//! measured in this run: time, and ratio to the reference when it ran too.
//!
//! In the order a request meets them: `credential_decrypt` (once per login),
//! `envelope_open` (token check, base64, `aes_ecb_decrypt`, `payload_parse`),
//! `schema_validate`, `invoice_deserialize`, `business_rules` (the last three together:
//! `registration_check`), `irn_derive`, `store_lookup` (the duplicate check),
//! `canonical_json`, `sign_invoice`, `sign_qr`, `store_insert`, `answer_seal`
//! (`aes_ecb_encrypt`), `journal_write`; and the whole: `generate_irn_router`,
//! `duplicate_router`. The 1,000,000-registration store runs only with `IRP_BENCH_LARGE=1`.

#![allow(clippy::expect_used, clippy::indexing_slicing, missing_docs)]

mod crypto;
mod document;
mod envelope;
mod journal;
mod ratios;
mod router;
mod store;

use std::time::SystemTime;

use criterion::Criterion;
use irp_benches::{BENCH_TIME, Session, invoice};
use irp_emulator::{
    clock::Clock,
    config::Settings,
    gstin::Gstin,
    keys::KeySet,
    registration::{self, IrnAnswer},
    samples::LARGE_SUPPLIER,
    state::AppState,
};
use tokio::runtime::Runtime;

/// What the stages run against: the emulator's state (in memory, clock frozen at
/// [`BENCH_TIME`]), a session of the large supplier, and a runtime for the async stages.
struct Bench {
    runtime: Runtime,
    state: AppState,
    session: Session,
    caller: Gstin,
    /// The answer to a first registration (document `BENCH/0`).
    answer: IrnAnswer,
}

impl Bench {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let keys = KeySet::embedded().expect("keys");
        let state = AppState::new(Settings::default(), keys, Clock::system()).expect("state");
        state.clock.freeze_at(BENCH_TIME);
        let session = runtime.block_on(Session::login(&state));
        let caller = Gstin::parse(LARGE_SUPPLIER).expect("gstin");
        let registered = runtime
            .block_on(registration::generate(&state, &caller, invoice(0)))
            .expect("registered");
        Self {
            runtime,
            state,
            session,
            caller,
            answer: registered.answer,
        }
    }
}

fn main() {
    let started = SystemTime::now();
    let mut c = Criterion::default().configure_from_args();
    let bench = Bench::new();
    crypto::reference(&mut c, &bench.state.keys);
    crypto::stages(&mut c, &bench.state.keys);
    envelope::stages(&mut c, &bench);
    document::stages(&mut c, &bench);
    router::stages(&mut c, &bench);
    journal::stage(&mut c, &bench);
    store::stages(&mut c, &bench);
    c.final_summary();
    ratios::print(started);
}
