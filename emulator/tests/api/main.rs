//! One test binary for the emulator's HTTP behaviour.
//!
//! - `helpers`: `spawn_app()` on a real port, `oneshot()` through the router, and the client
//!   side: requests built and answers opened by `irp-client`'s sans-IO core (RustCrypto, not
//!   the emulator's AWS-LC code) so a bug in the emulator cannot hide behind the same code
//!   on both sides.
//! - `raw_socket`: the protocol spoken with hand-built HTTP/1.1 bytes on a TCP socket.
//! - `regression`: one test per defect found by hostile clients and crashes, named after it.
//! - `auth`: every authentication error code, table-driven.
//! - `malformed`: malformed requests of every kind; each gets the IRP envelope and the server
//!   keeps serving.
//! - `tokens`: token reuse, forced refresh and expiry on a fixed clock.
//! - `invoice`: Generate, Get and Cancel IRN; signatures checked with an independent JWT
//!   library against the published certificate; duplicates, concurrency, clock windows.
//! - `examples`: every sample invoice of `examples/invoices/` accepted as it stands, on the
//!   test clock, on today's date and years later; a second post of one meets 2150.
//! - `irps`: several IRPs in one process: cross-IRP duplicates and their marker, the `irp`
//!   header ("criss-cross"), Get rejected IRNs, per-IRP tokens, certificates, AckNo digits,
//!   journal names, outages and answer times.
//! - `journal`: the call journal: decrypted records, filters, retention, secrets masked.
//! - `ewaybill`: e-way bill by IRN, its rules, validity and the sandbox-only cancel.
//! - `fidelity`: answer shapes and timestamp precision as the recorded real samples show;
//!   request keys and codes in any case, as NIC's .NET stack reads them.
//! - `replay`: every recorded real IRP exchange (the in-repo fixtures, and India Compliance's
//!   NIC-sandbox answers when the reference pack is present) sent again over a socket on the
//!   sample's clock, compared field by field and signed payload byte for byte with NIC's.
//! - `golden`: the signed invoice and QR bytes of fixed invoices, against a checked-in file.
//! - `master`: the GSTIN APIs.
//! - `admin`: the `/__emulator__/` control namespace and its guard.
//! - `dashboard`: the dashboard's paths: registrations listed and decoded, QR images decoded
//!   back to the `SignedQRCode`, taxpayers, error messages, the page and its login.
//! - `clock`: the windows (cancel, retrieval, AckDt) following a clock advanced or run
//!   through the control API.
//! - `faults`: fault rules: each action and phase (connection-level ones on a socket),
//!   the lost answer after the commit, `times`, `nth`, matching on API, headers and the
//!   virtual clock, the per-call header, the seed, the journal's `fault`, the control API.
//! - `rate_limits`: rate-limit rules: the 429 answer with `Retry-After` and its journal
//!   entry, windows per client id and per GSTIN, the control API, the rule's JSON Schema.
//! - `durability`: SIGKILL under load and restart, once and in repeated cycles: nothing
//!   acknowledged is lost and no AckNo or EwbNo repeats.
//! - `races`: contested operations fired at once, round after round: identical Generate IRN,
//!   forced token refreshes, Cancel IRN.
//! - `process`: the `irp-emulator` binary: first stdout line, TLS, graceful shutdown.
//! - `wait`: `irp-emulator wait` against a running emulator, a closed port, a silent one and
//!   one that starts late.
//! - `container`: the container image's start-up on the bare binary: the Dockerfile's
//!   variables, every interface, in-memory state, the admin token from outside loopback, the
//!   `HEALTHCHECK` command, an unprivileged user.
//! - `logs`: the log as an operator reads it (stderr piped): one line per IRP call, text and
//!   JSON, no colour codes, no secrets.
//! - `state_files`: migration from the previous schema's fixture, refused files, export
//!   and import; `state_files::damaged`: zeroed pages and a lost, truncated or stale WAL.
//! - `wire`: the binary as a separate process and a network client for it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod admin;
mod auth;
mod clock;
mod container;
mod dashboard;
mod durability;
mod ewaybill;
mod examples;
mod faults;
mod fidelity;
mod golden;
mod helpers;
mod invoice;
mod irps;
mod journal;
mod logs;
mod malformed;
mod master;
mod process;
mod races;
mod rate_limits;
mod raw_socket;
mod regression;
mod replay;
mod state_files;
mod tokens;
mod wait;
mod wire;
