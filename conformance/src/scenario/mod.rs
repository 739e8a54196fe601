//! Scenario files: the model, loading with validation, and templates.

mod load;
pub mod model;
pub mod template;

pub use self::load::{
    BUILTIN_PREFIX, Loaded, Parser, SCHEMA, ScenarioError, builtin_suites, load, load_builtin,
    load_dir,
};
pub use self::model::*;
