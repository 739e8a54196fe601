//! Scenario files: the model, loading and validation.

pub mod model;

pub use self::model::*;
