//! Conformance harness for the NIC IRP e-invoice API.
//!
//! Runs scenario files against any IRP (the emulator in-process, or NIC's sandbox with real
//! credentials), checks every answer with its own client, and writes NIC's Test Summary
//! Report. It can also build the report from the emulator's journal of a team's own traffic.
//!
//! # Layout
//!
//! - [`api`]: the APIs of the report and NIC's minimum counts.
//! - [`profile`]: target, credentials and roles; the report header.
//! - [`scenario`]: the scenario file model, its schema gate and templates.
//! - [`generator`]: seeded, valid invoices for every supply and document type.
//! - [`target`]: the IRP under test, resolved from the profile; every call goes through
//!   the `irp-client` crate, an implementation of the wire protocol independent of the
//!   emulator.
//! - [`run`]: the runner: steps, expectations, captures; [`progress`]: bar or lines.
//! - [`report`]: the report model and its writers (XLSX, PDF, JSON, JUnit, Markdown).
//! - [`catalogue`]: the case catalogue of NIC's report (ids, features, expected codes).
//! - [`journal`]: the report from the emulator's journal of a team's own traffic.
//! - [`audit`]: the retry auditor: how that traffic behaves when the IRP fails.
//! - [`parity`]: the same scenarios against an upstream IRP and an in-process emulator,
//!   compared answer by answer.
//! - [`proxy`]: the recording proxy between a team's ERP and NIC's sandbox, whose journal
//!   makes the report from the ERP's real traffic.
//! - [`load`]: the load generator: latency per API, the rate against this machine's RSA
//!   signing ceiling, the server's CPU per request.
//! - [`local`]: the in-process emulator target; [`cli`]: the command line.

pub mod api;
pub mod audit;
pub mod catalogue;
pub mod cli;
pub mod generator;
pub mod journal;
pub mod load;
pub mod local;
pub mod parity;
pub mod profile;
pub mod progress;
pub mod proxy;
pub mod report;
pub mod run;
pub mod scenario;
pub mod target;
