//! JUnit XML, so CI systems show each step of a run as a test.
//!
//! One `<testsuite>` per scenario with one `<testcase>` per outcome, plus a suite
//! `minimums` with one test per counted API that fails while NIC's minimum is not reached:
//! a run whose steps all pass but that is too short to send is still red in CI. A journal's
//! report adds a suite of skipped tests, one per catalogue case never seen. Every suite
//! carries `<properties>`: `rehearsal` (true or false) and, for a rehearsal, its mark and
//! reason, which the `<testsuites>` name repeats.
//! Text is escaped by quick-xml; characters XML 1.0 cannot carry at all (most control
//! characters) are replaced first, since no escape makes them legal.

use std::io::Cursor;
use std::path::Path;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::model::{Outcome, REHEARSAL, Verdict};
use super::text::{self, NEVER_SEEN_NOTE, ordered_tallies};
use super::{Report, ReportError};

/// Name of the suite of catalogue cases a journal never showed.
const NEVER_SEEN_SUITE: &str = "catalogue cases never seen";
/// Longest `message` attribute, in characters.
const MESSAGE_MAX: usize = 1_000;
/// Longest element text, in characters.
const BODY_MAX: usize = 64 * 1024;

/// The report as JUnit XML bytes.
pub fn to_bytes(report: &Report) -> Result<Vec<u8>, ReportError> {
    let encode = |source| ReportError::Encode {
        format: "JUnit XML",
        source,
    };
    let mut writer = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(encode)?;
    let suites = scenarios(report);
    let minimums: Vec<_> = ordered_tallies(report)
        .into_iter()
        .filter(|t| t.counted())
        .collect();
    let never_seen = report.never_seen.as_deref().unwrap_or_default();
    let failures = report.failures().count() + minimums.iter().filter(|t| !t.met()).count();
    let skipped = count(&report.outcomes, Verdict::Skipped) + never_seen.len();
    let tests = (report.outcomes.len() + minimums.len() + never_seen.len()).to_string();
    let total_millis: u64 = report.outcomes.iter().map(|o| o.millis).sum();
    let name = match &report.rehearsal {
        Some(_) => format!("irp-conformance ({REHEARSAL})"),
        None => "irp-conformance".to_owned(),
    };
    let properties = properties(report);
    writer
        .create_element("testsuites")
        .with_attributes([
            ("name", name.as_str()),
            ("tests", tests.as_str()),
            ("failures", failures.to_string().as_str()),
            ("errors", "0"),
            ("skipped", skipped.to_string().as_str()),
            ("time", seconds(total_millis).as_str()),
        ])
        .write_inner_content(|w| {
            for (name, outcomes) in &suites {
                write_scenario(w, name, outcomes, &properties)?;
            }
            write_minimums(w, &minimums, &properties)?;
            if let Some(cases) = &report.never_seen {
                write_never_seen(w, cases, &properties)?;
            }
            Ok(())
        })
        .map_err(encode)?;
    let mut bytes = writer.into_inner().into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes [`to_bytes`] to `path`.
pub fn write(report: &Report, path: &Path) -> Result<(), ReportError> {
    super::write_file(path, &to_bytes(report)?)
}

type XmlWriter = Writer<Cursor<Vec<u8>>>;

/// Outcomes grouped by scenario, scenarios in order of first appearance.
fn scenarios(report: &Report) -> Vec<(&str, Vec<&Outcome>)> {
    let mut suites: Vec<(&str, Vec<&Outcome>)> = Vec::new();
    for outcome in &report.outcomes {
        match suites
            .iter_mut()
            .find(|(name, _)| *name == outcome.scenario)
        {
            Some((_, outcomes)) => outcomes.push(outcome),
            None => suites.push((&outcome.scenario, vec![outcome])),
        }
    }
    suites
}

fn count<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>, verdict: Verdict) -> usize {
    outcomes
        .into_iter()
        .filter(|o| o.verdict == verdict)
        .count()
}

/// The `<property>` pairs of every suite: whether the report is a rehearsal, and why.
fn properties(report: &Report) -> Vec<(&'static str, String)> {
    match &report.rehearsal {
        Some(reason) => vec![
            ("rehearsal", "true".to_owned()),
            ("rehearsal_mark", REHEARSAL.to_owned()),
            ("rehearsal_reason", xml_text(reason, MESSAGE_MAX)),
        ],
        None => vec![("rehearsal", "false".to_owned())],
    }
}

fn write_properties(w: &mut XmlWriter, properties: &[(&str, String)]) -> std::io::Result<()> {
    w.create_element("properties").write_inner_content(|w| {
        for (name, value) in properties {
            w.create_element("property")
                .with_attributes([("name", *name), ("value", value.as_str())])
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

/// One skipped test per catalogue case a journal never showed: CI views list them.
fn write_never_seen(
    w: &mut XmlWriter,
    cases: &[String],
    properties: &[(&str, String)],
) -> std::io::Result<()> {
    w.create_element("testsuite")
        .with_attributes([
            ("name", NEVER_SEEN_SUITE),
            ("tests", cases.len().to_string().as_str()),
            ("failures", "0"),
            ("errors", "0"),
            ("skipped", cases.len().to_string().as_str()),
            ("time", "0"),
        ])
        .write_inner_content(|w| {
            write_properties(w, properties)?;
            for case in cases {
                let name = xml_text(case, MESSAGE_MAX);
                w.create_element("testcase")
                    .with_attributes([
                        ("classname", NEVER_SEEN_SUITE),
                        ("name", name.as_str()),
                        ("time", "0"),
                    ])
                    .write_inner_content(|w| {
                        w.create_element("skipped")
                            .with_attribute(("message", NEVER_SEEN_NOTE))
                            .write_empty()?;
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    Ok(())
}

fn write_scenario(
    w: &mut XmlWriter,
    name: &str,
    outcomes: &[&Outcome],
    properties: &[(&str, String)],
) -> std::io::Result<()> {
    let name = xml_text(name, MESSAGE_MAX);
    let millis: u64 = outcomes.iter().map(|o| o.millis).sum();
    w.create_element("testsuite")
        .with_attributes([
            ("name", name.as_str()),
            ("tests", outcomes.len().to_string().as_str()),
            (
                "failures",
                count(outcomes.iter().copied(), Verdict::Failed)
                    .to_string()
                    .as_str(),
            ),
            ("errors", "0"),
            (
                "skipped",
                count(outcomes.iter().copied(), Verdict::Skipped)
                    .to_string()
                    .as_str(),
            ),
            ("time", seconds(millis).as_str()),
        ])
        .write_inner_content(|w| {
            write_properties(w, properties)?;
            for outcome in outcomes {
                write_outcome(w, &name, outcome)?;
            }
            Ok(())
        })?;
    Ok(())
}

fn write_outcome(w: &mut XmlWriter, suite: &str, outcome: &Outcome) -> std::io::Result<()> {
    let step = match &outcome.irp {
        Some(irp) => format!("{} at {irp}", outcome.step),
        None => outcome.step.clone(),
    };
    let name = match &outcome.case {
        Some(case) => format!("{step} ({case})"),
        None => step,
    };
    let name = xml_text(&name, MESSAGE_MAX);
    let element = w.create_element("testcase").with_attributes([
        ("classname", suite),
        ("name", name.as_str()),
        ("time", seconds(outcome.millis).as_str()),
    ]);
    let message = xml_text(&outcome.reasons.join("; "), MESSAGE_MAX);
    match outcome.verdict {
        Verdict::Passed => {
            element.write_empty()?;
        }
        Verdict::Skipped => {
            element.write_inner_content(|w| {
                w.create_element("skipped")
                    .with_attribute(("message", message.as_str()))
                    .write_empty()?;
                Ok(())
            })?;
        }
        Verdict::Failed => {
            let mut body = format!(
                "API: {}\nfeature: {}\nexpected: {}\nactual: {}\n",
                outcome.api.map(|a| a.title()).unwrap_or("-"),
                outcome.feature,
                outcome.expected,
                outcome.actual
            );
            for reason in &outcome.reasons {
                body.push_str("- ");
                body.push_str(reason);
                body.push('\n');
            }
            let body = xml_text(&body, BODY_MAX);
            element.write_inner_content(|w| {
                w.create_element("failure")
                    .with_attributes([("message", message.as_str()), ("type", "not as expected")])
                    .write_text_content(BytesText::new(&body))?;
                Ok(())
            })?;
        }
    }
    Ok(())
}

fn write_minimums(
    w: &mut XmlWriter,
    tallies: &[&super::Tally],
    properties: &[(&str, String)],
) -> std::io::Result<()> {
    let failures = tallies.iter().filter(|t| !t.met()).count();
    w.create_element("testsuite")
        .with_attributes([
            ("name", "minimums"),
            ("tests", tallies.len().to_string().as_str()),
            ("failures", failures.to_string().as_str()),
            ("errors", "0"),
            ("skipped", "0"),
            ("time", "0"),
        ])
        .write_inner_content(|w| {
            write_properties(w, properties)?;
            for tally in tallies {
                let min_success = tally.min_success.unwrap_or(0);
                let min_failure = tally.min_failure.unwrap_or(0);
                let name = format!(
                    "{}: {min_success} success / {min_failure} failure",
                    tally.api.title()
                );
                let element = w.create_element("testcase").with_attributes([
                    ("classname", "minimums"),
                    ("name", name.as_str()),
                    ("time", "0"),
                ]);
                if tally.met() {
                    element.write_empty()?;
                } else {
                    let message = format!(
                        "{}: {} of {min_success} success case(s), {} of {min_failure} failure \
                         case(s)",
                        tally.api.title(),
                        tally.success,
                        tally.failure
                    );
                    element.write_inner_content(|w| {
                        w.create_element("failure")
                            .with_attributes([
                                ("message", message.as_str()),
                                ("type", "minimum not met"),
                            ])
                            .write_empty()?;
                        Ok(())
                    })?;
                }
            }
            Ok(())
        })?;
    Ok(())
}

/// Milliseconds as JUnit's seconds.
fn seconds(millis: u64) -> String {
    format!("{}.{:03}", millis / 1000, millis % 1000)
}

/// `s` shortened, with the characters XML 1.0 forbids replaced by U+FFFD.
fn xml_text(s: &str, max: usize) -> String {
    text::truncate(s, max)
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if u32::from(c) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_replaces_what_xml_cannot_carry() {
        assert_eq!(
            xml_text("a\u{0}b\u{1b}c\td\ne", 100),
            "a\u{FFFD}b\u{FFFD}c\td\ne"
        );
        assert_eq!(xml_text("<&>\"'₹", 100), "<&>\"'₹");
        assert_eq!(seconds(1_234), "1.234");
        assert_eq!(seconds(5), "0.005");
    }
}
