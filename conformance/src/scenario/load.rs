//! Loading scenario files: the JSON Schema gate, then the typed model, then the checks a
//! schema cannot express (unique step names, `resend` of an earlier step, control steps
//! declared). Any failure names the file and stops the run before a call is made.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::model::{Call, Requirement, Scenario};

/// `schemas/scenario.schema.json`, compiled into the binary.
pub const SCHEMA: &str = include_str!("../../../schemas/scenario.schema.json");

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
    /// Not JSON.
    #[error("{path}: not JSON: {source}")]
    Json {
        /// The path.
        path: String,
        /// The cause.
        source: serde_json::Error,
    },
    /// Against the schema or the model.
    #[error("{path}: {}", problems.join("; "))]
    Invalid {
        /// The path.
        path: String,
        /// Every problem found.
        problems: Vec<String>,
    },
    /// The directory holds no scenario.
    #[error("{0}: no scenario files (*.json)")]
    Empty(String),
}

/// A scenario and the file it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file.
    pub path: PathBuf,
    /// The scenario.
    pub scenario: Scenario,
}

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_scenarios.rs"));
}

/// The prefix of a built-in suite's name (`builtin:onboarding`).
pub const BUILTIN_PREFIX: &str = "builtin:";

/// The suites compiled into the binary (`onboarding`, `emulator`, `retry`, …).
pub fn builtin_suites() -> Vec<&'static str> {
    let mut suites: Vec<&str> = builtin::BUILTIN
        .iter()
        .filter_map(|(path, _)| path.split_once('/').map(|(suite, _)| suite))
        .collect();
    suites.dedup();
    suites
}

/// Loads the built-in suite `suite` (a copy of `scenarios/<suite>/` made at build time).
pub fn load_builtin(suite: &str) -> Result<Vec<Loaded>, ScenarioError> {
    let name = format!("{BUILTIN_PREFIX}{suite}");
    let prefix = format!("{suite}/");
    let texts: Vec<(PathBuf, String)> = builtin::BUILTIN
        .iter()
        .filter(|(path, _)| path.starts_with(&prefix))
        .map(|(path, text)| {
            (
                PathBuf::from(format!("{BUILTIN_PREFIX}{path}")),
                (*text).to_owned(),
            )
        })
        .collect();
    if texts.is_empty() {
        return Err(ScenarioError::Empty(format!(
            "{name} (built-in suites: {})",
            builtin_suites().join(", ")
        )));
    }
    parse_all(&name, texts)
}

/// Loads `source`: `builtin:<suite>`, or every `*.json` under a directory.
pub fn load(source: &str) -> Result<Vec<Loaded>, ScenarioError> {
    match source.strip_prefix(BUILTIN_PREFIX) {
        Some(suite) => load_builtin(suite),
        None => load_dir(Path::new(source)),
    }
}

/// Loads every `*.json` under `dir` (recursively), sorted by path.
pub fn load_dir(dir: &Path) -> Result<Vec<Loaded>, ScenarioError> {
    let mut paths = Vec::new();
    collect(dir, &mut paths)?;
    if paths.is_empty() {
        return Err(ScenarioError::Empty(dir.display().to_string()));
    }
    paths.sort();
    let texts = paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(|source| ScenarioError::Io {
                path: path.display().to_string(),
                source,
            })?;
            Ok((path, text))
        })
        .collect::<Result<Vec<_>, _>>()?;
    parse_all(&dir.display().to_string(), texts)
}

/// Parses `texts` (path, text) of one suite named `suite`; names must be unique.
fn parse_all(suite: &str, texts: Vec<(PathBuf, String)>) -> Result<Vec<Loaded>, ScenarioError> {
    let parser = Parser::new();
    let loaded = texts
        .into_iter()
        .map(|(path, text)| {
            let scenario = parser.parse(&text, &path.display().to_string())?;
            Ok(Loaded { path, scenario })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut names: Vec<&str> = loaded.iter().map(|l| l.scenario.name.as_str()).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|w| w.first() == w.get(1)) {
        return Err(ScenarioError::Invalid {
            path: suite.to_owned(),
            problems: vec![format!(
                "two scenarios are named `{}`",
                pair.first().copied().unwrap_or_default()
            )],
        });
    }
    Ok(loaded)
}

fn collect(dir: &Path, into: &mut Vec<PathBuf>) -> Result<(), ScenarioError> {
    let io = |source| ScenarioError::Io {
        path: dir.display().to_string(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect(&path, into)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            into.push(path);
        }
    }
    Ok(())
}

/// The scenario schema compiled once, for parsing many scenario texts (files, or a fuzzer's
/// inputs): the same gate [`load_dir`] applies to each file.
#[derive(Debug)]
pub struct Parser {
    validator: jsonschema::Validator,
}

impl Parser {
    /// Compiles the scenario schema.
    pub fn new() -> Self {
        Self {
            validator: validator(),
        }
    }

    /// One scenario from its text: schema, model, then the checks a schema cannot express.
    /// `origin` names the text in the error (a path, or any label).
    pub fn parse(&self, text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        parse(text, &self.validator).map_err(|e| e.at(origin))
    }
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SCHEMA)
        .unwrap_or_else(|e| unreachable!("the scenario schema is JSON: {e}"));
    jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| unreachable!("the scenario schema compiles: {e}"))
}

/// A problem with one file, before its path is known.
enum Problem {
    Json(serde_json::Error),
    Invalid(Vec<String>),
}

impl Problem {
    fn at(self, path: &str) -> ScenarioError {
        match self {
            Problem::Json(source) => ScenarioError::Json {
                path: path.to_owned(),
                source,
            },
            Problem::Invalid(problems) => ScenarioError::Invalid {
                path: path.to_owned(),
                problems,
            },
        }
    }
}

fn parse(text: &str, validator: &jsonschema::Validator) -> Result<Scenario, Problem> {
    let value: Value = serde_json::from_str(text).map_err(Problem::Json)?;
    let problems: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    if !problems.is_empty() {
        return Err(Problem::Invalid(problems));
    }
    let scenario: Scenario =
        serde_json::from_value(value).map_err(|e| Problem::Invalid(vec![e.to_string()]))?;
    let problems = check(&scenario);
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(Problem::Invalid(problems))
    }
}

/// What the schema cannot say.
fn check(scenario: &Scenario) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for step in &scenario.steps {
        let at = |what: String| format!("step `{}`: {what}", step.name);
        if seen.contains(&step.name.as_str()) {
            problems.push(at("name used twice".to_owned()));
        }
        if let Some(earlier) = &step.resend
            && !seen.contains(&earlier.as_str())
        {
            problems.push(at(format!(
                "resend `{earlier}`: no earlier step of that name"
            )));
        }
        seen.push(&step.name);
        if step.call == Call::Control && !scenario.requires.contains(&Requirement::Control) {
            problems.push(at(
                "a control step needs `\"requires\": [\"control\"]`".to_owned()
            ));
        }
        if step.call == Call::Control && step.report.is_some() {
            problems.push(at("a control step counts toward no report row".to_owned()));
        }
        if step.call == Call::GenerateIrn
            && step.invoice.is_none()
            && step.resend.is_none()
            && step.body.is_none()
        {
            problems.push(at(
                "generate_irn needs `invoice`, `resend` or `body`".to_owned()
            ));
        }
        if step.invoice.is_some() && step.call != Call::GenerateIrn {
            problems.push(at("`invoice` belongs to generate_irn".to_owned()));
        }
        if step.auth.is_some() && step.call != Call::Auth {
            problems.push(at("`auth` belongs to an auth step".to_owned()));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    const GOOD: &str =
        r#"{"name":"a","steps":[{"name":"login","call":"auth","expect":{"status":1}}]}"#;

    #[test]
    fn loads_sorted_and_recursively() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        write(dir.path(), "b.json", &GOOD.replace("\"a\"", "\"b\""));
        write(
            &dir.path().join("sub"),
            "c.json",
            &GOOD.replace("\"a\"", "\"c\""),
        );
        write(dir.path(), "a.json", GOOD);
        write(dir.path(), "notes.txt", "ignored");
        let names: Vec<_> = load_dir(dir.path())
            .unwrap()
            .into_iter()
            .map(|l| l.scenario.name)
            .collect();
        assert_eq!(names, ["a", "b", "c"]);
    }

    #[test]
    fn parser_reads_text_and_names_its_origin_in_errors() {
        let parser = Parser::new();
        assert_eq!(parser.parse(GOOD, "inline").unwrap().name, "a");
        let error = parser.parse("{", "fuzz input").unwrap_err().to_string();
        assert!(error.starts_with("fuzz input: not JSON"), "{error}");
    }

    #[test]
    fn every_kind_of_bad_file_is_refused_with_its_path() {
        let cases = [
            ("{", "not JSON"),
            (r#"{"name":"a"}"#, "steps"),
            (r#"{"name":"a","steps":[{"name":"x","call":"fly"}]}"#, "fly"),
            (
                r#"{"name":"a","steps":[{"name":"x","call":"auth","expect":{"stauts":1}}]}"#,
                "stauts",
            ),
            (
                r#"{"name":"a","steps":[{"name":"x","call":"auth"},{"name":"x","call":"auth"}]}"#,
                "name used twice",
            ),
            (
                r#"{"name":"a","steps":[{"name":"x","call":"generate_irn","resend":"y"}]}"#,
                "no earlier step",
            ),
            (
                r#"{"name":"a","steps":[{"name":"x","call":"control","params":{"method":"POST","path":"/clock"}}]}"#,
                "requires",
            ),
            (
                r#"{"name":"a","steps":[{"name":"x","call":"generate_irn"}]}"#,
                "needs `invoice`",
            ),
            (
                r#"{"name":"a","steps":[{"name":"x","call":"auth","capture":{"t":"Data"}}]}"#,
                "does not match",
            ),
        ];
        for (text, needle) in cases {
            let dir = tempfile::tempdir().unwrap();
            write(dir.path(), "bad.json", text);
            let error = load_dir(dir.path()).unwrap_err().to_string();
            assert!(error.contains("bad.json"), "{error}");
            assert!(error.contains(needle), "{text}: {error}");
        }
        let empty = tempfile::tempdir().unwrap();
        assert!(matches!(
            load_dir(empty.path()),
            Err(ScenarioError::Empty(_))
        ));
    }
}
