//! Where a journal comes from: a running emulator (`GET /__emulator__/journal.jsonl`) or a
//! file saved from either journal endpoint.
//!
//! Errors say which source, which line and what was wrong, because the person reading them
//! is usually pointing the harness at a file someone else saved.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::JournalEntry;

/// Why a journal could not be read.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The emulator did not answer.
    #[error("cannot reach the emulator at {url}: {reason}")]
    Unreachable {
        /// The URL asked.
        url: String,
        /// The cause, with its chain.
        reason: String,
    },
    /// The emulator answered, but not with the journal.
    #[error("{url} answered HTTP {status}{hint}: {body}")]
    Status {
        /// The URL asked.
        url: String,
        /// HTTP status.
        status: u16,
        /// What to do about it, when known.
        hint: &'static str,
        /// The start of the answer.
        body: String,
    },
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A line of JSON Lines is not a journal entry.
    #[error("{origin}, line {line}: not a journal entry: {message}")]
    BadLine {
        /// The file or URL.
        origin: String,
        /// Line number, from 1.
        line: usize,
        /// What was wrong.
        message: String,
    },
    /// A `{"count","entries"}` page does not parse.
    #[error("{origin}: not a journal page: {message}")]
    BadPage {
        /// The file or URL.
        origin: String,
        /// What was wrong (with line and column).
        message: String,
    },
}

/// The answer of `GET /__emulator__/journal`.
#[derive(Debug, Deserialize)]
struct Page {
    entries: Vec<JournalEntry>,
}

/// How much of an error answer an error message quotes.
const BODY_QUOTE: usize = 300;

/// Reads the journal at `source`: an `http(s)://` URL of a running emulator (its base URL,
/// or a `/__emulator__/journal…` URL with filters), or a file path.
///
/// A base URL is read from `{base}/__emulator__/journal.jsonl`, with `Authorization: Bearer
/// T` when `admin_token` is given (an emulator started with `--admin-token` refuses callers
/// without it). A file holds either JSON Lines (what `journal.jsonl` streams) or the
/// `{"count":…,"entries":[…]}` object of `GET /__emulator__/journal`.
pub async fn read(
    source: &str,
    admin_token: Option<&str>,
) -> Result<Vec<JournalEntry>, JournalError> {
    if is_url(source) {
        fetch(source, admin_token).await
    } else {
        let text = std::fs::read_to_string(Path::new(source)).map_err(|e| JournalError::Io {
            path: source.to_owned(),
            source: e,
        })?;
        parse(&text, source)
    }
}

/// Parses journal text in either format; `origin` names it in errors.
pub fn parse(text: &str, origin: &str) -> Result<Vec<JournalEntry>, JournalError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .next();
    if let Some(Ok(Value::Object(object))) = first
        && object.contains_key("entries")
    {
        return serde_json::from_str::<Page>(text)
            .map(|page| page.entries)
            .map_err(|e| JournalError::BadPage {
                origin: origin.to_owned(),
                message: e.to_string(),
            });
    }
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let entry = serde_json::from_str(line).map_err(|e| JournalError::BadLine {
            origin: origin.to_owned(),
            line: index + 1,
            message: e.to_string(),
        })?;
        entries.push(entry);
    }
    Ok(entries)
}

fn is_url(source: &str) -> bool {
    let lower = source.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The export URL of a base URL; a URL already naming a journal endpoint is kept.
fn journal_url(source: &str) -> String {
    let source = source.trim();
    if source.contains("/__emulator__/journal") {
        source.to_owned()
    } else {
        let base = source.trim_end_matches('/');
        format!("{base}/__emulator__/journal.jsonl")
    }
}

async fn fetch(source: &str, admin_token: Option<&str>) -> Result<Vec<JournalEntry>, JournalError> {
    let url = journal_url(source);
    let unreachable = |e: reqwest::Error| JournalError::Unreachable {
        url: url.clone(),
        reason: chain(&e),
    };
    let client = irp_client::http_builder()
        .map_err(|e| JournalError::Unreachable {
            url: url.clone(),
            reason: e.to_string(),
        })?
        .connect_timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(unreachable)?;
    let mut request = client.get(&url);
    if let Some(token) = admin_token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.map_err(unreachable)?;
    let status = response.status();
    let text = response.text().await.map_err(unreachable)?;
    if !status.is_success() {
        let hint = match status.as_u16() {
            403 if admin_token.is_none() => " (the emulator wants its admin token: pass it)",
            403 => " (the admin token was refused)",
            404 => " (not an emulator with a journal at this URL)",
            _ => "",
        };
        return Err(JournalError::Status {
            url,
            status: status.as_u16(),
            hint,
            body: text.chars().take(BODY_QUOTE).collect(),
        });
    }
    parse(&text, &url)
}

/// An error with its causes, `a: b: c`, each said once (the journal reader's and the
/// proxy's upstream failures).
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let more = inner.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = concat!(
        r#"{"id":7,"api":"auth","method":"POST","path":"/eivital/v1.04/auth","#,
        r#""http_status":200,"status":1,"error_codes":[],"future_field":{"x":1}}"#
    );

    #[test]
    fn urls_and_paths_are_told_apart() {
        assert!(is_url("http://127.0.0.1:8080"));
        assert!(is_url("HTTPS://irp.example"));
        assert!(!is_url("journal.jsonl"));
        assert!(!is_url("./http:/x"));
        assert_eq!(
            journal_url("http://h:1/"),
            "http://h:1/__emulator__/journal.jsonl"
        );
        assert_eq!(
            journal_url("http://h:1/__emulator__/journal?api=auth"),
            "http://h:1/__emulator__/journal?api=auth"
        );
    }

    #[test]
    fn both_formats_parse_and_unknown_fields_are_ignored() {
        let lines = format!("{ENTRY}\n\n{ENTRY}\r\n");
        let from_lines = parse(&lines, "x").unwrap();
        assert_eq!(from_lines.len(), 2);
        assert_eq!(from_lines[0].id, 7);
        let page = format!("{{\"count\":2,\"entries\":[{ENTRY},{ENTRY}]}}");
        assert_eq!(parse(&page, "x").unwrap(), from_lines);
        let pretty =
            serde_json::to_string_pretty(&serde_json::from_str::<Value>(&page).unwrap()).unwrap();
        assert_eq!(parse(&pretty, "x").unwrap(), from_lines);
        assert!(parse("", "x").unwrap().is_empty());
        assert_eq!(parse(&format!("\u{feff}{ENTRY}"), "x").unwrap().len(), 1);
    }

    #[test]
    fn bad_input_names_the_line_and_never_panics() {
        let text = format!("{ENTRY}\n{{\"api\":\"auth\"\n{ENTRY}");
        let err = parse(&text, "j.jsonl").unwrap_err();
        assert!(
            matches!(err, JournalError::BadLine { line: 2, .. }),
            "{err}"
        );
        assert!(err.to_string().starts_with("j.jsonl, line 2: "), "{err}");
        let err = parse("{\"id\":1}", "j").unwrap_err();
        assert!(err.to_string().contains("missing field `api`"), "{err}");
        let err = parse("{\"count\":1,\"entries\":[{\"api\":3}]}", "page.json").unwrap_err();
        assert!(matches!(err, JournalError::BadPage { .. }), "{err}");
        for junk in [
            "[",
            "]",
            "null",
            "\"x\"",
            "{\"entries\":null}",
            "\u{0}",
            "1\n2",
        ] {
            assert!(parse(junk, "junk").is_err(), "{junk:?}");
        }
    }
}
