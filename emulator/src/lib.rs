//! A local emulator of India's GST e-invoice Invoice Registration Portal (NIC IRP, API
//! v1.03/v1.04, schema INV-01 v1.1).
//!
//! It speaks the real wire protocol (RSA-encrypted credentials, AES session keys, NIC's
//! envelope and error codes) so an unmodified client works against it by changing only the
//! base URL and the public key.
//!
//! # Layout
//!
//! - [`server`]: `serve` / `serve_tls`, handed a listener; [`api`]: the one table of APIs;
//!   `routes` (private): the router built from it.
//! - [`envelope`]: the only place where cryptography meets HTTP (extractors, responders),
//!   for the IRP's envelope and the e-way bill system's.
//! - [`error`]: `ErrorCode` (NIC's catalogue) and `ApiError`, rendered in one place; the
//!   e-way bill system's own codes (`EwbSystemCode`, `EwbSystemError`) likewise;
//!   [`transcript`]: what a response tells the journal and the log, off the wire.
//! - [`login`], [`session`]: who may authenticate; tokens and session keys.
//! - [`taxpayer`], [`gstin`], [`irn`], [`masters`]: the taxpayer master, GSTIN and IRN
//!   newtypes (with `GstinCheck`, the one reading of the GSTIN strictness setting), code masters.
//! - [`invoice`]: the e-invoice document (typed, canonical order), its schema gate and QR
//!   payload, and its vocabulary typed once: `SupplyType`, `DocType`, `YesNo`, `AckNo`,
//!   `EwbNo`, `CancelReason`.
//! - [`spelling`]: request JSON read as NIC's .NET stack reads it (names and codes in any
//!   case), before any schema check or typed deserialisation.
//! - [`rules`]: NIC's business rules in evaluation order, with their knobs.
//! - [`caller`]: who acts on a document (with `sup_gstin`, an operator for its supplier).
//! - [`registration`], [`retrieval`], [`cancellation`], [`ewaybill`]: the invoice lifecycle
//!   (`ewaybill/`: wire shapes, the 40xx rules, validity, lifecycle); [`rejected`]: Get
//!   rejected IRNs.
//! - [`irp`]: several IRPs in one process: names, AckNo digits, the `irp` header's
//!   "criss-cross" rule, the cross-IRP duplicate marker and each IRP's answer time.
//! - [`registry`]: registered IRNs and e-way bills (an IRN and the e-way bill made with it
//!   commit in one transaction); [`signing`]: the RS256 JWS signer.
//! - [`store`]: the SQLite state (group commit, migrations, export/import, the integrity
//!   check, the AckNo/EwbNo marks beside the database); [`journal`]:
//!   every API call as the emulator understood it.
//! - [`crypto`], [`keys`], [`secret`]: wire crypto, key material, secret wrappers.
//! - [`faults`]: faults as data (rules from the control namespace, the `--faults` file or
//!   one call's header; a seeded plan; one middleware, before the handler or after the
//!   commit);
//!   [`ratelimit`]: rate limits per client id or GSTIN (sliding windows, one middleware).
//! - [`clock`], [`config`], [`state`]: time as an input, settings, shared state.
//! - [`cli`]: the command line of the `irp-emulator` binary; [`logging`]: text or JSON lines
//!   on stderr; [`probe`]: `irp-emulator wait`, the health poll for scripts and containers.
//! - `samples` (feature `samples`, on for the tests and benches only): valid sample invoices;
//!   with it, `registry::fill` writes copies of a registration in bulk (the benches' store).

pub mod api;
pub mod caller;
pub mod cancellation;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod envelope;
pub mod error;
pub mod ewaybill;
pub mod faults;
pub mod gstin;
pub mod headers;
pub mod invoice;
pub mod irn;
pub mod irp;
pub mod journal;
pub mod keys;
pub mod logging;
pub mod login;
pub mod masters;
pub mod probe;
pub mod qr;
pub mod ratelimit;
pub mod registration;
pub mod registry;
pub mod rejected;
pub mod retrieval;
mod routes;
pub mod rules;
#[cfg(any(test, feature = "samples"))]
pub mod samples;
pub mod secret;
pub mod server;
pub mod session;
pub mod signing;
pub mod spelling;
pub mod state;
pub mod store;
pub mod taxpayer;
pub mod transcript;

pub use crate::server::{app, serve, serve_tls};
