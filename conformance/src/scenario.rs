//! Scenario files: one behaviour per JSON file under `scenarios/`.

use std::path::Path;

use serde::Deserialize;

/// A scenario: a named list of steps (steps are run by a later version of the harness).
#[derive(Debug, Clone, Deserialize)]
pub struct Scenario {
    /// Unique name.
    pub name: String,
    /// What it proves.
    #[serde(default)]
    pub description: String,
    /// Tags for filtering.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The steps, kept as raw JSON until the runner exists.
    #[serde(default)]
    pub steps: Vec<serde_json::Value>,
}

/// Why scenarios could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// I/O failure.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Invalid JSON.
    #[error("{path}: {source}")]
    Parse {
        /// The path.
        path: String,
        /// The cause.
        source: serde_json::Error,
    },
}

/// Loads every `*.json` file of `dir`, sorted by file name.
pub fn load_dir(dir: &Path) -> Result<Vec<Scenario>, ScenarioError> {
    let io = |source| ScenarioError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
                path: shown.clone(),
                source,
            })?;
            serde_json::from_str(&text).map_err(|source| ScenarioError::Parse {
                path: shown,
                source,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_sorted_and_rejects_bad_json() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.json"), r#"{"name":"b"}"#).unwrap();
        std::fs::write(dir.path().join("a.json"), r#"{"name":"a","tags":["auth"]}"#).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        let names: Vec<_> = load_dir(dir.path())
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["a", "b"]);
        std::fs::write(dir.path().join("c.json"), "{").unwrap();
        assert!(matches!(
            load_dir(dir.path()),
            Err(ScenarioError::Parse { .. })
        ));
    }
}
