//! The `irp-conformance` binary end to end: the whole onboarding suite against the
//! in-process emulator, exit codes 0/1/2, and a failing row in every report format.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

pub(crate) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The built-in emulator profile with the test keys as PEM files instead of `fetch`, as a
/// profile for NIC names them: for targets whose control namespace the harness cannot use.
pub(crate) fn pem_keys_profile(dir: &Path) -> PathBuf {
    let keys = workspace().join("keys");
    let profile = irp_conformance::profile::EMULATOR_PROFILE
        .replace(
            "auth_public_key = \"fetch\"",
            &format!("auth_public_key = {:?}", keys.join("auth-public.pem")),
        )
        .replace(
            "signing_certificate = \"fetch\"",
            &format!("signing_certificate = {:?}", keys.join("signing-cert.pem")),
        );
    let path = dir.join("pem-keys.toml");
    std::fs::write(&path, profile).unwrap();
    path
}

pub(crate) fn conformance(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_irp-conformance"))
        .args(args)
        .current_dir(workspace())
        .output()
        .unwrap()
}

/// The profile's `supplier` logged in at the IRP at `base`: its client, login and session.
pub(crate) async fn supplier_at(
    base: &str,
    profile: &irp_conformance::profile::Profile,
) -> (irp_client::Client, irp_client::Login, irp_client::Session) {
    let target = irp_conformance::target::Target::resolve(profile, base)
        .await
        .unwrap();
    let client = target.client(std::time::Duration::from_secs(30)).unwrap();
    let supplier = profile.party("supplier").unwrap();
    let login = irp_client::Login::new(
        &supplier.gstin,
        supplier.username.clone().unwrap(),
        supplier.password.clone().unwrap(),
    );
    let (answer, session) = client.auth(&login).await.unwrap();
    let session = session.unwrap_or_else(|| panic!("auth: {}", answer.doc));
    (client, login, session)
}

/// Audits the journal of the emulator at `base` (`irp-conformance audit`): the exit code
/// and `audit.json`.
pub(crate) async fn audit_journal(base: &str) -> (Option<i32>, Value) {
    let base = base.to_owned();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap().to_owned();
    let output = tokio::task::spawn_blocking(move || {
        conformance(&["audit", "--journal", &base, "--out", &dir])
    })
    .await
    .unwrap();
    let written = json(&out.path().join("audit.json"));
    assert!(out.path().join("audit.md").is_file(), "{}", text(&output));
    (output.status.code(), written)
}

/// The `name` of every finding of an `audit.json`.
pub(crate) fn finding_names(audit: &Value) -> Vec<String> {
    audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) fn text(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

pub(crate) fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The numbers in column `col` of the row whose first cell is `title` in sheet `sheet`.
fn row_of(xlsx: &Path, sheet: &str, title: &str) -> Vec<Data> {
    let mut book: Xlsx<_> = open_workbook(xlsx).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    range
        .rows()
        .find(|row| row.first().is_some_and(|c| *c == title))
        .unwrap_or_else(|| panic!("no row {title} in {sheet}"))
        .to_vec()
}

#[test]
fn the_onboarding_suite_passes_against_the_in_process_emulator_and_meets_every_minimum() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap();
    let output = conformance(&["run", "--require-minimums", "--out", out_dir]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let report = json(&out.path().join("report.json"));
    assert_eq!(report["passed"], true);
    // Every minimum met, every outcome as expected, and still only a rehearsal: the
    // emulator's GSTINs on a loopback target are no evidence for NIC.
    crate::rehearsal::assert_rehearsal_everywhere(
        out.path(),
        "/__emulator__/health answered status ok",
    );
    let outcomes = report["outcomes"].as_array().unwrap();
    assert!(outcomes.len() >= 390, "{} outcomes", outcomes.len());
    assert!(outcomes.iter().all(|o| o["verdict"] == "passed"));
    // The XLSX, read back with another crate, carries counts that meet NIC's minimums.
    let xlsx = out.path().join("test-summary-report.xlsx");
    for (title, min_success, min_failure) in [
        ("Authentication", 30.0, 10.0),
        ("Generate IRN", 100.0, 50.0),
        ("Cancel IRN", 40.0, 20.0),
        ("Generate e-way bill by IRN", 40.0, 20.0),
        ("Get IRN details", 30.0, 10.0),
        ("Get GSTIN details", 30.0, 10.0),
    ] {
        let row = row_of(&xlsx, "Test Summary", title);
        let number = |i: usize| match &row[i] {
            Data::Float(f) => *f,
            Data::Int(n) => *n as f64,
            other => panic!("{title}: column {i} is {other:?}"),
        };
        assert_eq!(
            (number(1), number(3)),
            (min_success, min_failure),
            "{title}: {row:?}"
        );
        assert!(number(2) >= min_success, "{title} successes: {row:?}");
        assert!(number(4) >= min_failure, "{title} failures: {row:?}");
        let tally = report["tallies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["api"] == api_name(title))
            .unwrap();
        assert_eq!(number(2), tally["success"].as_f64().unwrap(), "{title}");
        assert_eq!(number(4), tally["failure"].as_f64().unwrap(), "{title}");
    }
}

fn api_name(title: &str) -> &'static str {
    match title {
        "Authentication" => "auth",
        "Generate IRN" => "generate_irn",
        "Cancel IRN" => "cancel_irn",
        "Generate e-way bill by IRN" => "generate_ewb",
        "Get IRN details" => "get_irn",
        _ => "gstin_details",
    }
}

#[test]
fn the_emulator_only_scenarios_pass_against_the_in_process_emulator() {
    let out = tempfile::tempdir().unwrap();
    let output = conformance(&[
        "run",
        "--scenarios",
        "scenarios/emulator",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let report = json(&out.path().join("report.json"));
    let cases: Vec<&str> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"].as_u64() > Some(0))
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for id in ["AU-3", "AU-4", "C-5", "R-3"] {
        assert!(cases.contains(&id), "{id} not passed: {cases:?}");
    }
}

/// A scenario whose expectation is wrong on purpose: a valid login expected to be refused.
const WRONG: &str = r#"{
  "name": "deliberately_wrong",
  "steps": [
    { "name": "login", "call": "auth", "expect": { "status": 1 },
      "report": { "case": "AU-1", "feature": "Valid login" } },
    { "name": "login_expected_to_fail", "call": "auth",
      "expect": { "status": 0, "error_codes": ["1010"] },
      "report": { "case": "AU-5", "feature": "Wrong expectation on purpose" } }
  ]
}"#;

#[test]
fn a_wrong_expectation_exits_1_and_shows_a_failing_row_in_every_format() {
    let scenarios = tempfile::tempdir().unwrap();
    std::fs::write(scenarios.path().join("wrong.json"), WRONG).unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = conformance(&[
        "run",
        "--scenarios",
        scenarios.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("login_expected_to_fail"),
        "{}",
        text(&output)
    );
    let dir = out.path();
    let report = json(&dir.join("report.json"));
    assert_eq!(report["passed"], false);
    let failed: Vec<&Value> = report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["verdict"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["step"], "login_expected_to_fail");
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert_eq!(
        junit.matches("<failure").count() - minimum_failures(&junit),
        1,
        "{junit}"
    );
    assert!(junit.contains("login_expected_to_fail"));
    let markdown = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(markdown.contains("AU-5"), "{markdown}");
    let row = row_of(
        &dir.join("test-summary-report.xlsx"),
        "Cases",
        "Authentication",
    );
    let cases_sheet: Vec<String> = {
        let mut book: Xlsx<_> = open_workbook(dir.join("test-summary-report.xlsx")).unwrap();
        let range = book.worksheet_range("Cases").unwrap();
        range
            .rows()
            .filter(|r| r.iter().any(|c| *c == "AU-5"))
            .map(|r| {
                r.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect()
    };
    assert!(!row.is_empty());
    assert_eq!(cases_sheet.len(), 1, "{cases_sheet:?}");
    assert!(cases_sheet[0].contains("Fail"), "{cases_sheet:?}");
    let pdf = std::fs::read(dir.join("test-summary-report.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}

/// `<failure` elements of the "minimums" suite (a filtered run never meets them).
fn minimum_failures(junit: &str) -> usize {
    junit
        .split("<testsuite")
        .filter(|suite| suite.contains("name=\"minimums\""))
        .map(|suite| suite.matches("<failure").count())
        .sum()
}

#[test]
fn a_malformed_scenario_or_an_unreachable_target_exits_2_with_a_message() {
    let scenarios = tempfile::tempdir().unwrap();
    std::fs::write(
        scenarios.path().join("broken.json"),
        r#"{"name": "broken", "steps": [{"name": "x", "call": "auth", "expect": {"stauts": 1}}]}"#,
    )
    .unwrap();
    let output = conformance(&["run", "--scenarios", scenarios.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("broken.json"), "{}", text(&output));
    assert!(text(&output).contains("stauts"), "{}", text(&output));

    let output = conformance(&[
        "run",
        "--filter",
        "auth_login",
        "--target",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("unreachable"), "{}", text(&output));
}

#[test]
fn list_validates_and_names_every_onboarding_scenario() {
    let output = conformance(&["run", "--list"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let listed = String::from_utf8_lossy(&output.stdout);
    for name in [
        "auth_login",
        "generate_rejections",
        "cancel_irn",
        "ewb_by_irn",
        "get_irn",
        "gstin_details",
    ] {
        assert!(
            listed.lines().any(|l| l.starts_with(name)),
            "{name}: {listed}"
        );
    }
}

pub(crate) fn tally(report: &Value, api: &str) -> (u64, u64) {
    report["tallies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["api"] == api)
        .map_or((0, 0), |t| {
            (
                t["success"].as_u64().unwrap(),
                t["failure"].as_u64().unwrap(),
            )
        })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_journal_of_a_run_reports_the_counts_the_run_sent() {
    // An emulator the test owns, so its journal outlives the harness run.
    let emulator = irp_conformance::local::LocalEmulator::start()
        .await
        .unwrap();
    let base = emulator.base.clone();
    let run_out = tempfile::tempdir().unwrap();
    let journal_out = tempfile::tempdir().unwrap();
    let (run_dir, journal_dir) = (
        run_out.path().to_str().unwrap().to_owned(),
        journal_out.path().to_str().unwrap().to_owned(),
    );
    let target = base.clone();
    let (run, report) = tokio::task::spawn_blocking(move || {
        let run = conformance(&[
            "run",
            "--target",
            &target,
            "--filter",
            "^(gstin_|auth_rejections)",
            "--out",
            &run_dir,
        ]);
        let report = conformance(&["report", "--journal", &target, "--out", &journal_dir]);
        (run, report)
    })
    .await
    .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    // The journal holds far fewer calls than NIC's minimums: exit 1, with what is missing.
    assert_eq!(report.status.code(), Some(1), "{}", text(&report));
    let sent = json(&run_out.path().join("report.json"));
    let seen = json(&journal_out.path().join("report.json"));
    for api in ["gstin_details", "sync_gstin"] {
        assert_eq!(tally(&seen, api), tally(&sent, api), "{api}");
    }
    // Every rejected login of the run, plus the one login the run made to get a session.
    assert_eq!(tally(&seen, "auth"), (1, tally(&sent, "auth").1));
    assert!(
        seen["missing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m.as_str().unwrap().contains("Generate IRN"))
    );
    assert!(journal_out.path().join("test-summary-report.xlsx").exists());
    crate::rehearsal::assert_rehearsal_everywhere(
        journal_out.path(),
        "the journal came from the emulator",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn run_reaches_an_emulator_started_with_an_admin_token_only_with_it() {
    let emulator = emulator_with_admin_token("s3cret-admin").await;
    let base = emulator.base.clone();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap().to_owned();
    let (without, with) = tokio::task::spawn_blocking(move || {
        let args = |extra: &[&str]| {
            let mut args = vec![
                "run",
                "--scenarios",
                "scenarios/emulator",
                "--target",
                &base,
                "--out",
                &dir,
            ];
            args.extend_from_slice(extra);
            conformance(&args)
        };
        (args(&[]), args(&["--admin-token", "s3cret-admin"]))
    })
    .await
    .unwrap();
    assert_eq!(without.status.code(), Some(2), "{}", text(&without));
    assert!(
        String::from_utf8_lossy(&without.stderr).contains("--admin-token"),
        "{}",
        text(&without)
    );
    assert_eq!(with.status.code(), Some(0), "{}", text(&with));
    let report = json(&out.path().join("report.json"));
    let skipped: u64 = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["skipped"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(skipped, 0, "the clock steps ran: {report}");
    emulator.stop().await;
}

/// Outside a checkout the built-in suites are used; an unwritable `--out` stops the run
/// before any call; a cause is printed once.
#[test]
fn run_works_outside_the_repository_and_fails_early_and_once() {
    let elsewhere = tempfile::tempdir().unwrap();
    let from = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_irp-conformance"))
            .args(args)
            .current_dir(elsewhere.path())
            .output()
            .unwrap()
    };
    let listed = from(&["run", "--list"]);
    assert_eq!(listed.status.code(), Some(0), "{}", text(&listed));
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert!(stdout.starts_with("auth_login\t"), "{stdout}");
    let retry = from(&["run", "--list", "--scenarios", "builtin:retry"]);
    assert_eq!(
        String::from_utf8_lossy(&retry.stdout).lines().count(),
        17,
        "{}",
        text(&retry)
    );

    // A file where the output directory should be: refused before the target is touched
    // (the target is unreachable, and that is not what the error says).
    let file = elsewhere.path().join("taken");
    std::fs::write(&file, "").unwrap();
    let refused = from(&[
        "run",
        "--target",
        "http://127.0.0.1:1",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("--out") && !stderr.contains("unreachable"),
        "{stderr}"
    );

    let missing = from(&["run", "--profile", "nope.toml"]);
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(stderr.matches("No such file").count(), 1, "{stderr}");
}

/// On a target without the control namespace (NIC's sandbox, or an emulator whose admin
/// token the harness lacks), a scenario that needs it is skipped whole: none of its steps
/// runs, so none fails for want of the clock it would have moved.
#[tokio::test(flavor = "multi_thread")]
async fn run_skips_a_control_scenario_whole_where_there_is_no_control() {
    let emulator = emulator_with_admin_token("not-for-the-harness").await;
    let dir = tempfile::tempdir().unwrap();
    let profile_path = pem_keys_profile(dir.path());
    let (base, out) = (
        emulator.base.clone(),
        dir.path().join("out").to_str().unwrap().to_owned(),
    );
    let profile_arg = profile_path.to_str().unwrap().to_owned();
    let output = tokio::task::spawn_blocking(move || {
        conformance(&[
            "run",
            "--scenarios",
            "scenarios/emulator",
            "--target",
            &base,
            "--profile",
            &profile_arg,
            "--out",
            &out,
        ])
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let report = json(&dir.path().join("out").join("report.json"));
    let outcomes = report["outcomes"].as_array().unwrap();
    assert!(!outcomes.is_empty(), "{report}");
    assert!(
        outcomes.iter().all(|o| o["verdict"] == "skipped"),
        "every step skipped: {outcomes:?}"
    );
    emulator.stop().await;
}

/// An in-process emulator whose control namespace requires `token`.
async fn emulator_with_admin_token(token: &str) -> irp_conformance::local::LocalEmulator {
    let settings = irp_emulator::config::Settings {
        admin_token: Some(token.into()),
        ..irp_emulator::config::Settings::default()
    };
    irp_conformance::local::LocalEmulator::start_with(
        settings,
        irp_emulator::clock::Clock::system(),
    )
    .await
    .unwrap()
}
