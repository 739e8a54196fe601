//! The Test Summary Report: one model ([`model`]) and its writers.

pub mod model;

pub use self::model::{Case, Exchange, Header, Kind, Outcome, Report, Tally, Verdict};
