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
//! - [`report`]: the report model and its writers (XLSX, PDF, JSON, JUnit, Markdown).

pub mod api;
pub mod catalogue;
pub mod generator;
pub mod journal;
pub mod profile;
pub mod report;
pub mod scenario;
