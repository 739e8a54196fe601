//! The whole report as JSON, for tools that post-process a run.
//!
//! The model is written as it is (it derives `Serialize`), with one key added in front:
//! `"passed"`, so a script can gate on the verdict without re-deriving it from the tallies.

use std::path::Path;

use serde_json::{Map, Value};

use super::{Report, ReportError};

/// The report as a JSON value: `{"passed": …, "header": …, "tallies": …, …}`.
pub fn to_value(report: &Report) -> Result<Value, ReportError> {
    let mut object = Map::new();
    object.insert("passed".to_owned(), Value::Bool(report.passed()));
    match serde_json::to_value(report)? {
        Value::Object(fields) => object.extend(fields),
        other => {
            object.insert("report".to_owned(), other);
        }
    }
    Ok(Value::Object(object))
}

/// The report as pretty-printed JSON bytes.
pub fn to_bytes(report: &Report) -> Result<Vec<u8>, ReportError> {
    let mut bytes = serde_json::to_vec_pretty(&to_value(report)?)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes [`to_bytes`] to `path`.
pub fn write(report: &Report, path: &Path) -> Result<(), ReportError> {
    super::write_file(path, &to_bytes(report)?)
}
