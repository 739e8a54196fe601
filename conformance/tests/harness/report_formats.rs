//! The five report writers, read back: a report that meets every NIC minimum but has one
//! failing outcome must show the counts and that failure in every format.
//!
//! Set `IRP_REPORT_SAMPLE_DIR` to also keep the written files there (to look at them).

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use irp_conformance::api::{Api, Minimums};
use irp_conformance::report::{
    self, Exchange, Header, Kind, Outcome, Report, Verdict, json, junit, markdown, pdf,
};
use quick_xml::events::Event;

/// Case-id prefix of each counted API.
fn prefix(api: Api) -> &'static str {
    match api {
        Api::Auth => "AU",
        Api::GenerateIrn => "G",
        Api::CancelIrn => "C",
        Api::GenerateEwb => "E",
        Api::GetIrn => "GI",
        Api::GstinDetails => "GS",
        _ => "X",
    }
}

fn outcome(api: Api, case: &str, kind: Kind, verdict: Verdict, step: usize) -> Outcome {
    let failed = verdict == Verdict::Failed;
    Outcome {
        scenario: format!("{}_scenario", api.name()),
        step: format!("{}#{step}", api.name()),
        api: Some(api),
        case: Some(case.to_owned()),
        feature: format!("feature of {case}"),
        kind,
        expected: match kind {
            Kind::Success => "Status 1".to_owned(),
            Kind::Failure => "Status 0: 2150".to_owned(),
        },
        actual: if failed {
            "Status 1".to_owned()
        } else {
            "as expected".to_owned()
        },
        verdict,
        reasons: if failed {
            vec!["expected error 2150, got Status 1".to_owned()]
        } else {
            Vec::new()
        },
        millis: 12,
        exchange: Some(Exchange {
            call: "POST /eicore/v1.03/Invoice".to_owned(),
            request: format!("{{\"case\":\"{case}\",\"step\":{step}}}"),
            response: "{\"Status\":1}".to_owned(),
        }),
        irp: None,
        reply: None,
    }
}

fn header() -> Header {
    Header {
        company: "Example Traders Pvt Ltd".to_owned(),
        user_type: "ERP".to_owned(),
        product: "Ledger ERP 4".to_owned(),
        project_manager: "A. Manager, PM, pm@example.com, +91 90000 00000".to_owned(),
        technical_contact: "T. Contact, Lead, tc@example.com, +91 90000 00001".to_owned(),
        gstins: vec!["29AAACE1234F1Z5".to_owned(), "27AAACE1234F1Z9".to_owned()],
        user_ids: vec!["api_user_1".to_owned()],
        testing_from: "2025-01-06".to_owned(),
        testing_to: "2025-01-10".to_owned(),
        target: "https://127.0.0.1:8443".to_owned(),
        source: "irp-conformance run".to_owned(),
        tool: "irp-conformance 0.1.0".to_owned(),
        generated_at: "2025-01-10T12:00:00Z".to_owned(),
        seed: Some(42),
        filters: Vec::new(),
    }
}

/// Every counted API's minimums met (spread over a few case ids each), one uncounted API,
/// one skipped step and, when `with_failure`, one failed Generate IRN failure case `GF-1`.
fn outcomes(with_failure: bool) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    for api in Api::ALL {
        let Some(min) = Minimums::Nic.of(api) else {
            continue;
        };
        let p = prefix(api);
        for i in 0..min.success as usize {
            let case = format!("{p}-{}", i % 2 + 1);
            outcomes.push(outcome(api, &case, Kind::Success, Verdict::Passed, i));
        }
        for i in 0..min.failure as usize {
            let case = format!("{p}F-2");
            outcomes.push(outcome(api, &case, Kind::Failure, Verdict::Passed, i));
        }
    }
    outcomes.push(outcome(
        Api::GetEwb,
        "E-10",
        Kind::Success,
        Verdict::Passed,
        0,
    ));
    let mut skipped = outcome(Api::SyncGstin, "S-1", Kind::Success, Verdict::Skipped, 0);
    skipped.reasons = vec!["the target has no sync endpoint".to_owned()];
    outcomes.push(skipped);
    if with_failure {
        outcomes.push(outcome(
            Api::GenerateIrn,
            "GF-1",
            Kind::Failure,
            Verdict::Failed,
            999,
        ));
    }
    outcomes
}

fn keep_sample(report: &Report, name: &str) {
    if let Some(dir) = std::env::var_os("IRP_REPORT_SAMPLE_DIR") {
        report::write_all(report, &Path::new(&dir).join(name)).unwrap();
    }
}

fn as_number(cell: &Data) -> f64 {
    match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("expected a number, found {other:?}"),
    }
}

fn as_text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text, found {other:?}"),
    }
}

/// The rows of `sheet`, keyed by their first cell.
fn rows_by_first_cell(path: &Path, sheet: &str, key_col: usize) -> BTreeMap<String, Vec<Data>> {
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let range = workbook.worksheet_range(sheet).unwrap();
    range
        .rows()
        .filter_map(|row| match row.get(key_col) {
            Some(Data::String(key)) => Some((key.clone(), row.to_vec())),
            _ => None,
        })
        .collect()
}

/// Page objects in a PDF (the page tree's `/Type /Pages` excluded).
pub(crate) fn page_count(bytes: &[u8]) -> usize {
    let needle = b"/Type /Page";
    bytes
        .windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
        .count()
}

/// The text shown on each page (its content stream inflated, the strings decoded).
pub(crate) fn page_texts(bytes: &[u8]) -> Vec<String> {
    page_contents(bytes).iter().map(|c| shown(c)).collect()
}

/// Each page's content stream, inflated.
fn page_contents(bytes: &[u8]) -> Vec<String> {
    let mut contents = Vec::new();
    let mut rest = bytes;
    while let Some(start) = find(rest, b"stream\n") {
        let body = &rest[start + b"stream\n".len()..];
        let end = find(body, b"\nendstream").unwrap();
        let mut inflated = Vec::new();
        flate2::read::ZlibDecoder::new(&body[..end])
            .read_to_end(&mut inflated)
            .unwrap();
        contents.push(String::from_utf8_lossy(&inflated).into_owned());
        rest = &body[end + b"\nendstream".len()..];
    }
    contents
}

/// The baselines (`x y Td`) of the text a content stream shows, top to bottom.
fn baselines(content: &str) -> Vec<f32> {
    let tokens: Vec<&str> = content.split_ascii_whitespace().collect();
    let mut ys: Vec<f32> = tokens
        .windows(3)
        .filter(|w| w[2] == "Td")
        .map(|w| w[1].parse().unwrap())
        .collect();
    ys.sort_by(|a, b| b.total_cmp(a));
    ys
}

/// The strings a content stream shows, one per line, decoded from WinAnsi (as Latin-1,
/// which agrees on every character these tests look for).
fn shown(content: &str) -> String {
    let bytes = content.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => {
                let mut depth = 0;
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => {
                            i += 1;
                            out.push(match bytes[i] {
                                b'n' => '\n',
                                b'r' => '\r',
                                b't' => '\t',
                                other => char::from(other),
                            });
                        }
                        b'(' => {
                            depth += 1;
                            out.push('(');
                        }
                        b')' if depth == 0 => break,
                        b')' => {
                            depth -= 1;
                            out.push(')');
                        }
                        other => out.push(char::from(other)),
                    }
                    i += 1;
                }
                out.push('\n');
            }
            b'<' if bytes.get(i + 1) != Some(&b'<')
                && bytes.get(i.wrapping_sub(1)) != Some(&b'<') =>
            {
                let end = i + content[i..].find('>').unwrap();
                let hex = &content[i + 1..end];
                for pair in hex.as_bytes().chunks(2) {
                    let byte = u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap();
                    out.push(char::from(byte));
                }
                out.push('\n');
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Per testcase: (suite, name, failures, skipped), from a real XML parse.
fn junit_cases(xml: &str) -> Vec<(String, String, usize, usize)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut suite = String::new();
    let mut cases: Vec<(String, String, usize, usize)> = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name)
                        .unwrap()
                        .map(|a| {
                            a.decode_and_unescape_value(reader.decoder())
                                .unwrap()
                                .into_owned()
                        })
                        .unwrap_or_default()
                };
                match e.name().as_ref() {
                    b"testsuite" => suite = attr("name"),
                    b"testcase" => cases.push((suite.clone(), attr("name"), 0, 0)),
                    b"failure" => cases.last_mut().unwrap().2 += 1,
                    b"skipped" => cases.last_mut().unwrap().3 += 1,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    cases
}

#[test]
fn every_format_shows_the_counts_and_the_one_failure() {
    let report = Report::build(header(), Minimums::Nic, outcomes(true));
    assert!(!report.passed());
    assert!(report.tallies.iter().all(|t| t.met()));
    keep_sample(&report, "failing");
    let dir = tempfile::tempdir().unwrap();
    let written = report::write_all(&report, dir.path()).unwrap();
    for (path, name) in [
        (&written.xlsx, "test-summary-report.xlsx"),
        (&written.pdf, "test-summary-report.pdf"),
        (&written.json, "report.json"),
        (&written.junit, "junit.xml"),
        (&written.markdown, "summary.md"),
    ] {
        assert_eq!(path, &dir.path().join(name));
        assert!(path.is_file(), "{name}");
    }

    // XLSX: the per-API rows hold the tallies, as numbers, and meet the minimums.
    let summary = rows_by_first_cell(&written.xlsx, "Test Summary", 0);
    let mut counted = 0;
    for tally in &report.tallies {
        let row = summary
            .get(tally.api.title())
            .unwrap_or_else(|| panic!("no row for {}", tally.api));
        assert_eq!(
            as_number(&row[2]),
            f64::from(tally.success),
            "{}",
            tally.api
        );
        assert_eq!(
            as_number(&row[4]),
            f64::from(tally.failure),
            "{}",
            tally.api
        );
        assert_eq!(as_number(&row[5]), f64::from(tally.failed), "{}", tally.api);
        assert_eq!(
            as_number(&row[6]),
            f64::from(tally.skipped),
            "{}",
            tally.api
        );
        if let (Some(min_success), Some(min_failure)) = (tally.min_success, tally.min_failure) {
            counted += 1;
            assert_eq!(as_number(&row[1]), f64::from(min_success));
            assert_eq!(as_number(&row[3]), f64::from(min_failure));
            assert!(as_number(&row[2]) >= as_number(&row[1]), "{}", tally.api);
            assert!(as_number(&row[4]) >= as_number(&row[3]), "{}", tally.api);
            assert_eq!(as_text(&row[7]), "Yes", "{}", tally.api);
        } else {
            assert_eq!(row[1], Data::Empty);
            assert_eq!(as_text(&row[7]), "not counted");
        }
    }
    assert_eq!(counted, 6);
    let total = &summary["Total (counted APIs)"];
    assert_eq!(as_number(&total[1]), 270.0);
    assert_eq!(as_number(&total[3]), 120.0);
    assert_eq!(as_number(&total[5]), 1.0);
    assert_eq!(as_text(&total[7]), "Yes");
    assert!(
        summary.keys().any(|k| k.starts_with("Result: NOT READY")),
        "{:?}",
        summary.keys()
    );

    let cases = rows_by_first_cell(&written.xlsx, "Cases", 1);
    let gf1 = &cases["GF-1"];
    assert_eq!(as_text(&gf1[0]), "Generate IRN");
    assert_eq!(as_text(&gf1[3]), "Failure");
    assert_eq!(as_text(&gf1[5]), "Status 1");
    assert_eq!(as_number(&gf1[6]), 1.0);
    assert_eq!(as_number(&gf1[7]), 0.0);
    assert_eq!(as_text(&gf1[8]), "Fail");
    assert!(as_text(&gf1[9]).contains("\"step\": 999"), "pretty request");
    assert_eq!(as_text(&cases["G-1"][8]), "Pass");
    assert_eq!(as_text(&cases["S-1"][8]), "Skipped");
    assert_eq!(cases.len(), report.cases.len() + 1, "one header row");

    let outcomes = rows_by_first_cell(&written.xlsx, "Outcomes", 0);
    assert!(outcomes.contains_key("Scenario"));
    let mut workbook: Xlsx<_> = open_workbook(&written.xlsx).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        ["Test Summary", "Cases", "Outcomes", "Missing"]
    );
    let outcome_rows = workbook.worksheet_range("Outcomes").unwrap();
    assert_eq!(outcome_rows.height(), report.outcomes.len() + 1);
    let failed_rows: Vec<_> = outcome_rows
        .rows()
        .filter(|r| r[7] == Data::String("Fail".to_owned()))
        .collect();
    assert_eq!(failed_rows.len(), 1);
    assert_eq!(as_text(&failed_rows[0][3]), "GF-1");
    let missing = workbook.worksheet_range("Missing").unwrap();
    assert!(missing.rows().any(|r| {
        r.iter()
            .any(|c| matches!(c, Data::String(s) if s.contains("GF-1")))
    }));

    // JSON: the whole model plus the verdict.
    let value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&written.json).unwrap()).unwrap();
    assert_eq!(value["passed"], false);
    let tallies = value["tallies"].as_array().unwrap();
    assert_eq!(tallies.len(), report.tallies.len());
    for (json, tally) in tallies.iter().zip(&report.tallies) {
        assert_eq!(json["api"], tally.api.name());
        assert_eq!(json["success"], tally.success);
        assert_eq!(json["failure"], tally.failure);
        assert_eq!(json["failed"], tally.failed);
    }
    let mut object = value.as_object().unwrap().clone();
    object.remove("passed");
    let back: Report = serde_json::from_value(serde_json::Value::Object(object)).unwrap();
    assert_eq!(back, report);

    // JUnit: one failure, on the failed outcome; the minimums suite is all green.
    let xml = std::fs::read_to_string(&written.junit).unwrap();
    assert_eq!(xml.matches("<failure").count(), 1);
    let junit = junit_cases(&xml);
    assert_eq!(junit.len(), report.outcomes.len() + 6);
    let failing: Vec<_> = junit.iter().filter(|c| c.2 > 0).collect();
    assert_eq!(failing.len(), 1);
    assert_eq!(failing[0].0, "generate_irn_scenario");
    assert_eq!(failing[0].1, "generate_irn#999 (GF-1)");
    assert_eq!(junit.iter().filter(|c| c.3 > 0).count(), 1);
    assert_eq!(junit.iter().filter(|c| c.0 == "minimums").count(), 6);
    assert!(xml.contains("time=\"0.012\""));

    // Markdown: the verdict, the failing case and why.
    let md = std::fs::read_to_string(&written.markdown).unwrap();
    assert!(md.contains("NOT READY"));
    assert!(md.contains("| Generate IRN | GF-1 |"), "{md}");
    assert!(md.contains("expected error 2150, got Status 1"));
    assert!(
        md.contains("| Generate IRN | 100 | 100 | 50 | 50 | 1 | 0 | Yes |"),
        "{md}"
    );

    // PDF: three sections on three pages; the failing case on the grid and the last page.
    let bytes = std::fs::read(&written.pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(page_count(&bytes), 3);
    let pages = page_texts(&bytes);
    assert_eq!(pages.len(), 3);
    assert!(pages[0].contains("\nGenerate IRN\n"));
    assert!(pages[0].contains("Result: NOT READY"));
    assert!(pages[1].contains("\nGF-1\n"));
    assert!(pages[1].contains("\nFail\n"));
    assert!(pages[2].contains("\nGF-1\n"));
    assert!(pages[2].contains("expected error 2150, got Status 1"));
    assert!(pages[2].contains("Page 3 of 3"));
}

#[test]
fn a_complete_run_passes_everywhere() {
    let report = Report::build(header(), Minimums::Nic, outcomes(false));
    assert!(report.passed());
    keep_sample(&report, "passing");
    let value = json::to_value(&report).unwrap();
    assert_eq!(value["passed"], true);
    let xml = String::from_utf8(junit::to_bytes(&report).unwrap()).unwrap();
    assert_eq!(xml.matches("<failure").count(), 0);
    assert!(markdown::to_string(&report).contains("PASSED"));
    let bytes = pdf::to_bytes(&report).unwrap();
    let pages = page_texts(&bytes);
    // The grid is short: what is missing follows it on its page, not alone on a third.
    assert_eq!(page_count(&bytes), 2);
    assert!(pages[1].contains("\nG-1\n"));
    assert!(pages[1].contains("Nothing is missing"));
    assert!(pages.iter().all(|p| !p.contains("REHEARSAL")));
}

#[test]
fn a_short_run_fails_the_minimums_suite() {
    let outcomes = vec![outcome(
        Api::Auth,
        "AU-1",
        Kind::Success,
        Verdict::Passed,
        0,
    )];
    let report = Report::build(header(), Minimums::Nic, outcomes);
    let xml = String::from_utf8(junit::to_bytes(&report).unwrap()).unwrap();
    let junit = junit_cases(&xml);
    let minimums: Vec<_> = junit.iter().filter(|c| c.0 == "minimums").collect();
    assert_eq!(minimums.len(), 6);
    assert!(minimums.iter().all(|c| c.2 == 1));
    assert!(
        markdown::to_string(&report).contains("| Authentication | 30 | 1 | 10 | 0 | 0 | 0 | No |")
    );
}

#[test]
fn a_long_case_grid_continues_with_its_header_repeated() {
    let outcomes: Vec<Outcome> = (0..150)
        .map(|i| {
            let verdict = if i % 7 == 0 {
                Verdict::Failed
            } else {
                Verdict::Passed
            };
            outcome(
                Api::GenerateIrn,
                &format!("G-{i}"),
                Kind::Success,
                verdict,
                i,
            )
        })
        .collect();
    let report = Report::build(header(), Minimums::Nic, outcomes);
    keep_sample(&report, "long");
    let bytes = pdf::to_bytes(&report).unwrap();
    let pages = page_texts(&bytes);
    assert_eq!(page_count(&bytes), pages.len());
    assert!(pages.len() > 4, "{} pages", pages.len());
    let grid: Vec<_> = pages
        .iter()
        .filter(|p| p.contains("Key API ") && p.contains("\nFeature\n"))
        .collect();
    assert!(grid.len() >= 2);
    assert!(grid.iter().skip(1).all(|p| p.contains("(continued)")));
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains(&format!("Page {} of {}", i + 1, pages.len())));
    }
}

#[test]
fn hostile_text_does_not_break_any_writer() {
    let nasty = format!(
        "₹ 1,00,000 <b>&amp;</b> \"q\" 'a' ]]> | pipe | \u{0}\u{1}\u{7}\u{1b}[31m \u{FFFE} \
         😀 中文 \t tab \r\n line\n{}",
        "x".repeat(100_000)
    );
    let mut outcomes = outcomes(true);
    for outcome in outcomes.iter_mut().rev().take(3) {
        outcome.scenario = nasty.clone();
        outcome.step = nasty.clone();
        outcome.feature = nasty.clone();
        outcome.expected = nasty.clone();
        outcome.actual = nasty.clone();
        outcome.reasons = vec![nasty.clone(), "short".to_owned()];
        outcome.case = Some(format!(
            "GF-1 {}",
            nasty.chars().take(20).collect::<String>()
        ));
        outcome.exchange = Some(Exchange {
            call: nasty.clone(),
            request: nasty.clone(),
            response: format!("{{\"big\":\"{}\"}}", "y".repeat(70_000)),
        });
    }
    let mut header = header();
    header.company = nasty.clone();
    header.gstins = vec![nasty.clone(); 3];
    let report = Report::build(header, Minimums::Strict, outcomes);
    keep_sample(&report, "hostile");
    let dir = tempfile::tempdir().unwrap();
    let written = report::write_all(&report, dir.path()).unwrap();

    let mut workbook: Xlsx<_> = open_workbook(&written.xlsx).unwrap();
    for sheet in workbook.sheet_names() {
        for row in workbook.worksheet_range(&sheet).unwrap().rows() {
            for cell in row {
                if let Data::String(s) = cell {
                    assert!(s.encode_utf16().count() <= 32_767);
                }
            }
        }
    }
    let xml = std::fs::read_to_string(&written.junit).unwrap();
    let cases = junit_cases(&xml);
    assert!(
        cases
            .iter()
            .any(|c| c.1.contains("₹ 1,00,000 <b>&amp;</b>"))
    );
    let md = std::fs::read_to_string(&written.markdown).unwrap();
    assert!(md.contains("₹"));
    let bytes = std::fs::read(&written.pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let pages = page_texts(&bytes);
    assert!(pages.iter().any(|p| p.contains("Rs. 1,00,000")));
    let value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&written.json).unwrap()).unwrap();
    assert_eq!(value["header"]["company"], nasty.as_str());
}

/// Height from the top of the content to the lowest line of text on a page, the rehearsal
/// band and the footer left out.
fn content_height(content: &str) -> f32 {
    const TOP: f32 = 595.28 - 36.0;
    let lowest = baselines(content)
        .into_iter()
        .filter(|y| *y < TOP && *y > 30.0)
        .fold(TOP, f32::min);
    TOP - lowest
}

/// Reports of every length from one case to many, with and without failures and missing
/// items: no last page holds only a line or two (a table's last row, a lone heading).
#[test]
fn no_report_ends_on_a_near_empty_page() {
    let mut shortest = f32::MAX;
    for cases in 1..=90 {
        for failing_every in [0, 3, 11] {
            let outcomes: Vec<Outcome> = (0..cases)
                .map(|i| {
                    let failed = failing_every > 0 && i % failing_every == 0;
                    let verdict = if failed {
                        Verdict::Failed
                    } else {
                        Verdict::Passed
                    };
                    outcome(
                        Api::GenerateIrn,
                        &format!("G-{i}"),
                        Kind::Success,
                        verdict,
                        i,
                    )
                })
                .collect();
            let report = Report::build(header(), Minimums::Nic, outcomes);
            let bytes = pdf::to_bytes(&report).unwrap();
            let pages = page_contents(&bytes);
            let texts = page_texts(&bytes);
            assert_eq!(page_count(&bytes), pages.len());
            let last = pages.last().unwrap();
            let height = content_height(last);
            shortest = shortest.min(height);
            assert!(
                height >= 90.0,
                "{cases} case(s), failing every {failing_every}: the last of {} pages holds \
                 {height} pt:\n{}",
                pages.len(),
                texts.last().unwrap()
            );
            assert!(
                texts
                    .last()
                    .unwrap()
                    .contains(&format!("Page {0} of {0}", pages.len()))
            );
        }
    }
    assert!(
        shortest < 300.0,
        "some last page is short but not near-empty: {shortest}"
    );
}

/// A long message is cut with "…" to its cell, and the error after it still shows: each
/// error of Actual, and each reason, has its own lines.
#[test]
fn long_messages_are_cut_with_an_ellipsis_and_do_not_hide_the_next_error() {
    let long = "GSTIN - 29AAACU9999Z1ZB is not present in the taxpayer master and the buyer \
                details cannot be validated against it, so the document is rejected outright";
    let mut outcomes = outcomes(false);
    let mut failed = outcome(Api::GenerateIrn, "GF-1", Kind::Failure, Verdict::Failed, 7);
    failed.actual = format!("Status 0: 3028 {long}; 3028 second GSTIN missing; 2172 IGST");
    failed.reasons = vec![
        format!("expected error 2150, got {}", failed.actual),
        "the second reason".to_owned(),
    ];
    outcomes.push(failed);
    let report = Report::build(header(), Minimums::Nic, outcomes);
    keep_sample(&report, "long-messages");
    let bytes = pdf::to_bytes(&report).unwrap();
    let text = page_texts(&bytes).join("");
    let lines: Vec<&str> = text.lines().collect();
    // WinAnsi's ellipsis, read back as Latin-1.
    let cut: Vec<&&str> = lines
        .iter()
        .filter(|l| l.ends_with('\u{85}') && l.contains("taxpayer"))
        .collect();
    assert!(!cut.is_empty(), "no cut message: {text}");
    for next in [
        "3028 second GSTIN missing",
        "2172 IGST",
        "the second reason",
    ] {
        assert!(
            lines.contains(&next),
            "{next} hidden by the long message: {text}"
        );
    }
    assert!(
        !text.contains("rejected outright"),
        "the long message was not cut"
    );
}
