//! Scenario files: the model, loading with validation, and templates.

mod load;
pub mod model;
pub mod template;

pub use self::load::{Loaded, Parser, SCHEMA, ScenarioError, load_dir};
pub use self::model::*;
