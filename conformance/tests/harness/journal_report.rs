//! `irp-conformance report --journal` on journal files: the catalogue cases never seen
//! (on stderr and in every format), the `--client-id`, `--gstin` and `--user` filters, and
//! where the report goes (a new timestamped folder by default; an earlier report is never
//! overwritten silently, for `run` either).

use std::{path::Path, process::Command};

use calamine::{Data, Reader, Xlsx, open_workbook};
use irp_conformance::journal::JournalEntry;
use serde_json::{Value, json};

use crate::cli::{conformance, json, tally, text};
use crate::rehearsal::{call, write_journal};
use crate::report_formats::page_texts;

/// A case no call in [`shared_journal`] shows.
const NEVER: &str = "Generate IRN G-5 (EXPWP export with payment): no call yet";

/// One journal of three callers:
/// - `erp-a`, `29AAACL1111A1ZD`, `alice` (her login names her only in its body): a login,
///   two invoices and a duplicate;
/// - `erp-b`, `29AAACS2222B1ZY`, `bob`: a login, a Get IRN and a rejected Get IRN;
/// - `erp-a`, `29AAACS2222B1ZY`, `carol`: a GSTIN lookup.
fn shared_journal() -> Vec<JournalEntry> {
    let mut alice_login = call("auth", 1, None);
    alice_login.user_name = None;
    alice_login.request = json!({"UserName": "alice"});
    alice_login.response["Data"] = json!({"AuthToken": "t-a"});
    let b2b = |number: &str| {
        let mut entry = call("generate_irn", 1, None);
        entry.request = json!({
            "TranDtls": {"SupTyp": "B2B", "RegRev": "N"},
            "DocDtls": {"Typ": "INV", "No": number, "Dt": "30/03/2026"},
            "SellerDtls": {"Gstin": "29AAACL1111A1ZD", "Stcd": "29"},
            "BuyerDtls": {"Pos": "29"},
            "ItemList": [{}],
        });
        entry
    };
    let bob = |mut entry: JournalEntry| {
        entry.client_id = Some("erp-b".to_owned());
        entry.gstin = Some("29AAACS2222B1ZY".to_owned());
        entry.user_name = Some("bob".to_owned());
        entry
    };
    let mut bob_login = bob(call("auth", 1, None));
    bob_login.response["Data"] = json!({"AuthToken": "t-b"});
    let mut carol = call("gstin_details", 1, None);
    carol.gstin = Some("29aaacs2222b1zy".to_owned());
    carol.user_name = Some("carol".to_owned());
    carol.method = "GET".to_owned();
    carol.path = "/eivital/v1.03/Master/gstin/27AAACB4444D1Z3".to_owned();
    vec![
        alice_login,
        b2b("A/1"),
        b2b("A/2"),
        call("generate_irn", 0, Some("2150")),
        bob_login,
        bob(call("get_irn", 1, None)),
        bob(call("get_irn", 0, Some("2148"))),
        carol,
    ]
}

fn report(journal: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "report",
        "--journal",
        journal.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    conformance(&args)
}

#[test]
fn report_lists_the_catalogue_cases_never_seen_on_stderr_and_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    write_journal(&journal, &shared_journal());
    let out = dir.path().join("out");
    let output = report(&journal, &out, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(NEVER), "{stderr}");
    assert!(
        stderr.contains("catalogue case(s) never seen (listed above) in")
            && stderr.contains("8 of 8 entries kept"),
        "{stderr}"
    );

    let report = json(&out.join("report.json"));
    let never: Vec<&str> = report["never_seen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(never.contains(&NEVER), "{never:?}");
    assert!(
        !never.iter().any(|c| c.contains(" G-1 ")),
        "G-1 was seen: {never:?}"
    );
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(
        md.contains(&format!("## Catalogue cases never seen ({})", never.len())),
        "{md}"
    );
    assert!(md.contains(&format!("- {NEVER}")), "{md}");
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert!(junit.contains("testsuite name=\"catalogue cases never seen\""));
    assert!(junit.contains(&format!("name=\"{NEVER}\"")), "{junit}");
    let mut book: Xlsx<_> = open_workbook(out.join("test-summary-report.xlsx")).unwrap();
    let sheet = book.worksheet_range("Never seen").unwrap();
    let listed: Vec<String> = sheet
        .rows()
        .filter_map(|r| match r.get(1) {
            Some(Data::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(listed.iter().any(|s| s == NEVER), "{listed:?}");
    assert_eq!(listed.len(), never.len() + 1, "a head row and every case");
    let pages = page_texts(&std::fs::read(out.join("test-summary-report.pdf")).unwrap());
    let pdf = pages.join("\n");
    assert!(pdf.contains("Catalogue cases never seen ("), "{pdf}");
    assert!(pdf.contains("EXPWP export with payment"), "{pdf}");
}

/// `(success, failure)` of every API in the report of `dir`.
fn counts(dir: &Path) -> Vec<(&'static str, (u64, u64))> {
    let report = json(&dir.join("report.json"));
    ["auth", "generate_irn", "get_irn", "gstin_details"]
        .into_iter()
        .map(|api| (api, tally(&report, api)))
        .collect()
}

#[test]
fn report_keeps_only_the_calls_the_filters_name_and_says_so_in_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    write_journal(&journal, &shared_journal());
    // (success, failure) of auth, generate_irn, get_irn, gstin_details.
    type Counts = [(u64, u64); 4];
    let cases: [(&[&str], Counts); 4] = [
        (&[], [(2, 0), (2, 1), (1, 1), (1, 0)]),
        (&["--client-id", "erp-a"], [(1, 0), (2, 1), (0, 0), (1, 0)]),
        (
            &["--gstin", "29aaacs2222b1zy"],
            [(1, 0), (0, 0), (1, 1), (1, 0)],
        ),
        (
            &["--user", "alice", "--client-id", "erp-a"],
            [(1, 0), (2, 1), (0, 0), (0, 0)],
        ),
    ];
    for (i, (filters, expected)) in cases.iter().enumerate() {
        let out = dir.path().join(format!("out-{i}"));
        let output = report(&journal, &out, filters);
        assert_eq!(output.status.code(), Some(1), "{}", text(&output));
        let got: Vec<(u64, u64)> = counts(&out).into_iter().map(|(_, c)| c).collect();
        assert_eq!(got, expected, "{filters:?}");
        let header = &json(&out.join("report.json"))["header"];
        let shown: Vec<&str> = header["filters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        let mut wanted: Vec<String> = filters
            .chunks(2)
            .map(|pair| format!("{} {}", pair[0], pair[1]))
            .collect();
        wanted.sort_by_key(|f| {
            ["--client-id", "--gstin", "--user"]
                .iter()
                .position(|k| f.starts_with(k))
        });
        assert_eq!(shown, wanted, "{filters:?}");
        for filter in &wanted {
            assert!(header["source"].as_str().unwrap().contains(filter.as_str()));
        }
        // The header block of the XLSX and the PDF say which filters were applied.
        let mut book: Xlsx<_> = open_workbook(out.join("test-summary-report.xlsx")).unwrap();
        let summary = book.worksheet_range("Test Summary").unwrap();
        let row = summary
            .rows()
            .find(|r| r.first().is_some_and(|c| *c == "Filters"))
            .unwrap()
            .to_vec();
        let expected_text = if wanted.is_empty() {
            "none".to_owned()
        } else {
            wanted.join(", ")
        };
        assert_eq!(row[1], Data::String(expected_text.clone()), "{filters:?}");
        let pdf = page_texts(&std::fs::read(out.join("test-summary-report.pdf")).unwrap());
        assert!(pdf[0].contains(&expected_text), "{}", pdf[0]);
        if !wanted.is_empty() {
            let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
            assert!(md.contains(&format!("Filters: {expected_text}")), "{md}");
        }
    }
    // The GSTIN filter's participants: only the two callers of that GSTIN.
    let header = &json(&dir.path().join("out-2").join("report.json"))["header"];
    assert_eq!(header["user_ids"], json!(["bob", "carol"]));

    // A filter no call matches is a mistake, not an empty report.
    let out = dir.path().join("none");
    let output = report(&journal, &out, &["--user", "nobody"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--user nobody"),
        "{}",
        text(&output)
    );
    assert!(!out.join("report.json").exists());
}

#[test]
fn an_out_folder_holding_a_report_is_refused_unless_overwrite_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    write_journal(&journal, &shared_journal());
    let out = dir.path().join("out");
    assert_eq!(report(&journal, &out, &[]).status.code(), Some(1));
    let first = std::fs::read(out.join("report.json")).unwrap();

    // Another journal into the same folder: refused, the first report untouched.
    let other = dir.path().join("other.jsonl");
    write_journal(&other, &shared_journal()[..2]);
    let refused = report(&other, &out, &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("already holds a report") && stderr.contains("--overwrite"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(out.join("report.json")).unwrap(), first);

    let replaced = report(&other, &out, &["--overwrite"]);
    assert_eq!(replaced.status.code(), Some(1), "{}", text(&replaced));
    assert_ne!(std::fs::read(out.join("report.json")).unwrap(), first);

    // `run` refuses before its first call: the target is unreachable, and that is not
    // what it says.
    let run = conformance(&[
        "run",
        "--target",
        "http://127.0.0.1:1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("--overwrite") && !stderr.contains("unreachable"),
        "{stderr}"
    );
    // A folder with other files but no report is used as it is.
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("readme.txt"), "mine").unwrap();
    assert_eq!(report(&journal, &notes, &[]).status.code(), Some(1));
    assert!(notes.join("report.json").exists() && notes.join("readme.txt").exists());
}

#[test]
fn without_out_each_report_gets_a_new_timestamped_folder() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    write_journal(&journal, &shared_journal());
    let from_dir = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_irp-conformance"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    for _ in 0..2 {
        let output = from_dir(&["report", "--journal", journal.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    }
    let parent = dir.path().join("irp-conformance-report");
    let mut folders: Vec<String> = std::fs::read_dir(&parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    folders.sort();
    assert_eq!(folders.len(), 2, "{folders:?}");
    let stamp = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(-\d+)?$").unwrap();
    for folder in &folders {
        assert!(stamp.is_match(folder), "{folder}");
        let report: Value = json(&parent.join(folder).join("report.json"));
        assert_eq!(report["rehearsal"], true);
    }

    let help = from_dir(&["report", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    for words in [
        "irp-conformance-report/<yyyy-mm-ddTHH-MM-SS>/",
        "--overwrite",
        "--profile",
        "--client-id",
        "--gstin",
        "--user",
    ] {
        assert!(help.contains(words), "{words}: {help}");
    }
    let help = from_dir(&["run", "--help"]);
    assert!(
        String::from_utf8_lossy(&help.stdout)
            .contains("irp-conformance-report/<yyyy-mm-ddTHH-MM-SS>/")
    );
}
