//! Conformance harness for the NIC IRP e-invoice API.
//!
//! Runs scenario files against any IRP (the emulator or NIC's sandbox) and writes the Test
//! Summary Report. This crate is a skeleton: scenario loading and listing only.
//!
//! # Layout
//!
//! - [`scenario`]: the scenario file model and loader.

pub mod scenario;
