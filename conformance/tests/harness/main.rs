//! One test binary for the conformance harness (as `emulator/tests/api/main.rs` is for the
//! emulator): one link step instead of one per file, and one index of what is tested where.
//!
//! - `cli`: the `irp-conformance` binary end to end: the onboarding suite against the
//!   in-process emulator with every minimum met, exit codes 0/1/2, a failing row in every
//!   report format, `report --journal` after a run.
//! - `suite`: every report row of the scenario files is a catalogue case of the same API,
//!   kind and code.
//! - `generator`: every generated invoice shape is accepted by the emulator, sent through
//!   the `irp-client` crate.
//! - `generator_masters`: the generator's PINs, units and rates against the emulator's
//!   masters.
//! - `qr`: the runner's `qr_matches_invoice` against the emulator's signed QR codes,
//!   including items tied on `AssAmt`.
//! - `journal`: journal mode end to end, the traffic of a hand-scripted "ERP" client.
//! - `journal_outcomes`: journal classification on a table of synthetic entries.
//! - `journal_report`: `report --journal` on files: the catalogue cases never seen, the
//!   `--client-id`/`--gstin`/`--user` filters, the timestamped default `--out` and the
//!   refusal to overwrite an earlier report.
//! - `report_formats`: the five report writers, read back; the PDF's pages (no near-empty
//!   last page, long messages cut per error).
//! - `rehearsal`: the rehearsal mark in every format (a run against the emulator, a journal
//!   it wrote) and its absence from a proxy journal of a real IRP.
//! - `retry`: `scenarios/retry/` with the client's retry policy, and without it.
//! - `lost_answer`: an IRN committed and its answer lost; the reconciling client passes
//!   the audit, the one that registers again under a new number is flagged.
//! - `parity`: `irp-conformance parity` against emulators started in-process: a strict
//!   totals rule on one side differs in exactly the invoices it rejects; identical
//!   settings compare the same though numbers, clocks and tokens differ; control-only
//!   scenarios skipped on an upstream without it; a profile's own parties registered;
//!   exit 2 refusals.
//! - `proxy`: `irp-conformance proxy` between a client and an emulator with its own keys:
//!   the SEK re-wrapped, signatures the upstream's, the journal decrypted without a secret
//!   and reporting what the upstream's does; upstream failures and garbage logins; the
//!   binary's `listening on` line.
//! - `load`: `irp-conformance load` against the in-process emulator: a mixed run's counts,
//!   duplicates answered 2150, ordered percentiles, the ceiling and server CPU; the open
//!   model's rate; fault rules with and without retries; `--mix` refusals; the JSON schema.
//! - `audit`: `irp-conformance audit` on journal files (`tests/fixtures/audit-*.jsonl`):
//!   exit codes 0/1/2, `audit.json` and `audit.md`.
//!
//! Regression tests are named after what they pin.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod audit;
mod cli;
mod failover;
mod generator;
mod generator_masters;
mod journal;
mod journal_outcomes;
mod journal_report;
mod load;
mod lost_answer;
mod parity;
mod proxy;
mod qr;
mod rehearsal;
mod report_formats;
mod retry;
mod suite;
