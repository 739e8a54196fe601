//! Whether a report is evidence for NIC, told in every format: a run against the emulator
//! (or any target on this machine) and a journal the emulator wrote are rehearsals, marked
//! on every page and sheet and never said to be ready to send; a journal whose every entry
//! a recording proxy sent to a real IRP (`upstream`) is not.

use std::{io::Read as _, path::Path};

use calamine::{Data, Reader, Xlsx, open_workbook};
use irp_conformance::{journal::JournalEntry, report::REHEARSAL};
use quick_xml::events::Event;
use serde_json::{Value, json};

use crate::cli::{conformance, json, text};
use crate::report_formats::page_texts;

/// What a report must never say when it is a rehearsal.
const CAN_BE_SENT: &str = "can be sent";

/// The printed page header of every sheet of a workbook (calamine does not read them).
pub(crate) fn xlsx_page_headers(path: &Path) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .map(str::to_owned)
        .collect();
    assert!(!names.is_empty());
    names
        .iter()
        .map(|name| {
            let mut xml = String::new();
            archive
                .by_name(name)
                .unwrap()
                .read_to_string(&mut xml)
                .unwrap();
            xml.split_once("<oddHeader>")
                .and_then(|(_, rest)| rest.split_once("</oddHeader>"))
                .map(|(header, _)| header.replace("&amp;", "&"))
                .unwrap_or_default()
        })
        .collect()
}

/// Every string cell of every sheet.
fn xlsx_strings(path: &Path) -> Vec<(String, String)> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let mut strings = Vec::new();
    for sheet in book.sheet_names() {
        for row in book.worksheet_range(&sheet).unwrap().rows() {
            for cell in row {
                if let Data::String(s) = cell {
                    strings.push((sheet.clone(), s.clone()));
                }
            }
        }
    }
    strings
}

/// `(testsuites name, per testsuite: its "rehearsal" property)`.
fn junit_marks(xml: &str) -> (String, Vec<Option<String>>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut name = String::new();
    let mut suites: Vec<Option<String>> = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |key: &str| {
                    e.try_get_attribute(key).unwrap().map(|a| {
                        a.decode_and_unescape_value(reader.decoder())
                            .unwrap()
                            .into_owned()
                    })
                };
                match e.name().as_ref() {
                    b"testsuites" => name = attr("name").unwrap(),
                    b"testsuite" => suites.push(None),
                    b"property" if attr("name").as_deref() == Some("rehearsal") => {
                        *suites.last_mut().unwrap() = attr("value");
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (name, suites)
}

/// The report in `dir` is marked a rehearsal in all five formats and never says it can be
/// sent; `why` is part of the reason it gives.
pub(crate) fn assert_rehearsal_everywhere(dir: &Path, why: &str) {
    let report = json(&dir.join("report.json"));
    assert_eq!(report["rehearsal"], true);
    let reason = report["rehearsal_reason"].as_str().unwrap();
    assert!(reason.contains(why), "{reason}");
    assert!(report["verdict"].as_str().unwrap().starts_with(REHEARSAL));
    let raw = std::fs::read_to_string(dir.join("report.json")).unwrap();
    assert!(!raw.contains(CAN_BE_SENT), "JSON says it can be sent");

    let md = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    let first = md.lines().next().unwrap();
    assert!(first.contains(REHEARSAL) && first.contains(why), "{first}");
    assert!(!md.contains(CAN_BE_SENT), "{md}");

    let xml = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let (name, suites) = junit_marks(&xml);
    assert!(name.contains(REHEARSAL), "{name}");
    assert!(!suites.is_empty());
    assert!(
        suites.iter().all(|s| s.as_deref() == Some("true")),
        "{suites:?}"
    );
    assert!(xml.contains("name=\"rehearsal_reason\""));

    let xlsx = dir.join("test-summary-report.xlsx");
    let headers = xlsx_page_headers(&xlsx);
    assert!(headers.len() >= 3);
    for header in &headers {
        assert!(header.contains(REHEARSAL), "sheet header {header:?}");
    }
    let strings = xlsx_strings(&xlsx);
    let banner = strings
        .iter()
        .find(|(sheet, s)| sheet == "Test Summary" && s.starts_with(REHEARSAL))
        .unwrap_or_else(|| panic!("no banner row: {strings:?}"));
    assert!(banner.1.contains(why), "{banner:?}");
    assert!(
        strings.iter().all(|(_, s)| !s.contains(CAN_BE_SENT)),
        "a cell says it can be sent"
    );

    let pages = page_texts(&std::fs::read(dir.join("test-summary-report.pdf")).unwrap());
    assert!(!pages.is_empty());
    for (i, page) in pages.iter().enumerate() {
        // The band at the top and the footer both carry it.
        assert!(
            page.matches(REHEARSAL).count() >= 2,
            "page {} lacks the mark:\n{page}",
            i + 1
        );
        assert!(!page.contains(CAN_BE_SENT), "page {}:\n{page}", i + 1);
    }
}

/// The report in `dir` carries no rehearsal mark in any format; the XLSX page headers and
/// the PDF footers name `host`.
pub(crate) fn assert_not_rehearsal(dir: &Path, host: &str) {
    let report = json(&dir.join("report.json"));
    assert_eq!(report["rehearsal"], false);
    assert_eq!(report["rehearsal_reason"], Value::Null);
    for file in ["report.json", "summary.md", "junit.xml"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(!text.contains("REHEARSAL"), "{file}");
    }
    let (name, suites) = junit_marks(&std::fs::read_to_string(dir.join("junit.xml")).unwrap());
    assert_eq!(name, "irp-conformance");
    assert!(suites.iter().all(|s| s.as_deref() == Some("false")));
    let xlsx = dir.join("test-summary-report.xlsx");
    for header in xlsx_page_headers(&xlsx) {
        assert!(
            header.contains(host) && !header.contains("REHEARSAL"),
            "{header}"
        );
    }
    assert!(
        xlsx_strings(&xlsx)
            .iter()
            .all(|(_, s)| !s.contains("REHEARSAL"))
    );
    let pages = page_texts(&std::fs::read(dir.join("test-summary-report.pdf")).unwrap());
    for page in &pages {
        assert!(!page.contains("REHEARSAL"), "{page}");
        assert!(page.contains(host), "no {host} on the page:\n{page}");
    }
}

#[test]
fn a_run_against_the_in_process_emulator_is_a_rehearsal_in_every_format() {
    let out = tempfile::tempdir().unwrap();
    let output = conformance(&[
        "run",
        "--filter",
        "^auth_login$",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_rehearsal_everywhere(out.path(), "/__emulator__/health answered status ok");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(REHEARSAL),
        "{}",
        text(&output)
    );
}

/// A profile whose header is filled in, as a team's for NIC's sandbox would be.
pub(crate) const FILLED_PROFILE: &str = r#"
client_id = "erp-client"
client_secret = "erp-secret"
auth_public_key = "fetch"
signing_certificate = "fetch"

[parties.supplier]
gstin = "29AAACL1111A1ZD"

[report]
company = "Example Traders Pvt Ltd"
user_type = "ERP"
product = "Ledger ERP 4"
project_manager = "A. Manager, PM, pm@example.com, +91 90000 00000"
technical_contact = "T. Contact, Lead, tc@example.com, +91 90000 00001"
"#;

/// A journaled call: `status` 1 accepted, 0 rejected with `code`.
pub(crate) fn call(api: &str, status: u8, code: Option<&str>) -> JournalEntry {
    let details: Vec<Value> = code
        .iter()
        .map(|c| json!({"ErrorCode": c, "ErrorMessage": format!("message {c}")}))
        .collect();
    JournalEntry {
        wall_time: "2026-03-30T10:00:00+05:30".to_owned(),
        api: api.to_owned(),
        method: "POST".to_owned(),
        path: format!("/some/{api}"),
        client_id: Some("erp-a".to_owned()),
        gstin: Some("29AAACL1111A1ZD".to_owned()),
        user_name: Some("alice".to_owned()),
        http_status: 200,
        status: Some(status),
        error_codes: code.iter().map(|c| (*c).to_owned()).collect(),
        response: json!({"Status": status, "Data": {}, "ErrorDetails": details}),
        ..JournalEntry::default()
    }
}

/// Writes `entries` as JSON Lines to `path`.
pub(crate) fn write_journal(path: &Path, entries: &[JournalEntry]) {
    let lines: String = entries
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect();
    std::fs::write(path, lines).unwrap();
}

#[test]
fn a_proxy_journal_is_evidence_only_when_every_entry_went_to_a_real_irp() {
    const NIC: &str = "https://einv-apisandbox.nic.in";
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    std::fs::write(&profile, FILLED_PROFILE).unwrap();
    let mut entries = vec![
        call("auth", 1, None),
        call("generate_irn", 1, None),
        call("generate_irn", 0, Some("2150")),
        call("get_irn", 1, None),
    ];
    for entry in &mut entries {
        entry.upstream = Some(format!("{NIC}/"));
    }
    let journal = dir.path().join("proxy.jsonl");
    write_journal(&journal, &entries);
    let real = dir.path().join("real");
    let output = conformance(&[
        "report",
        "--journal",
        journal.to_str().unwrap(),
        "--profile",
        profile.to_str().unwrap(),
        "--out",
        real.to_str().unwrap(),
    ]);
    // Far below NIC's minimums: exit 1, with the target host, company and contacts.
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert_not_rehearsal(&real, "einv-apisandbox.nic.in");
    let report = json(&real.join("report.json"));
    assert_eq!(report["header"]["target"], NIC);
    assert_eq!(report["header"]["company"], "Example Traders Pvt Ltd");
    assert!(
        report["verdict"]
            .as_str()
            .unwrap()
            .starts_with("NOT READY:")
    );
    let missing: Vec<&str> = report["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(missing.iter().any(|m| m.starts_with("Generate IRN: ")));
    assert!(
        !missing.iter().any(|m| m.starts_with("Header: ")),
        "{missing:?}"
    );

    // One call the proxy did not send upstream: the journal is the emulator's.
    entries[2].upstream = None;
    write_journal(&journal, &entries);
    let mixed = dir.path().join("mixed");
    let output = conformance(&[
        "report",
        "--journal",
        journal.to_str().unwrap(),
        "--profile",
        profile.to_str().unwrap(),
        "--out",
        mixed.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert_rehearsal_everywhere(&mixed, "1 of 4 entries carry no upstream");
}
