//! The whole report as JSON, for tools that post-process a run.
//!
//! The model is written as it is (it derives `Serialize`), with three keys added:
//! `"passed"`, so a script can gate on the verdict without re-deriving it from the tallies;
//! `"rehearsal"`, true when the report is not evidence for NIC (the model's
//! `"rehearsal_reason"` then says why); and `"verdict"`, the sentence every format shows.

use std::path::Path;

use serde_json::{Map, Value};

use super::text::verdict_line;
use super::{Report, ReportError};

/// The report as a JSON value: `{"passed": …, "rehearsal": …, "verdict": …,
/// "rehearsal_reason": …, "header": …, "tallies": …, …}`.
pub fn to_value(report: &Report) -> Result<Value, ReportError> {
    let mut object = Map::new();
    object.insert("passed".to_owned(), Value::Bool(report.passed()));
    object.insert("rehearsal".to_owned(), Value::Bool(report.is_rehearsal()));
    object.insert("verdict".to_owned(), Value::String(verdict_line(report)));
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
