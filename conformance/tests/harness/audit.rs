//! `irp-conformance audit` end to end on journal files: exit 0 for a client that handles
//! failures right, 1 for one that does not, 2 when the journal or the output directory is
//! unusable; `audit.json` and `audit.md` written, one line on the terminal. And on a live
//! journal: the harness's own retry policy, through every fault of `scenarios/retry/`,
//! passes the audit (the auditor does not flag careful behaviour).
//!
//! The fixtures (`conformance/tests/fixtures/audit-*.jsonl`) have the emulator's
//! `journal.jsonl` shape: a clean run with a 503, a reset, a 429 waited out and a duplicate
//! read from its DUPIRN block; and a retry storm.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::Value;

use crate::cli::{conformance, json, text};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .to_str()
        .unwrap()
        .to_owned()
}

fn audit(journal: &str, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_irp-conformance"))
        .args(["audit", "--journal", journal, "--out"])
        .arg(out)
        .args(extra)
        .env_remove("IRP_EMULATOR_ADMIN_TOKEN")
        .output()
        .unwrap()
}

fn written(out: &Path) -> (Value, String) {
    let json = serde_json::from_slice(&std::fs::read(out.join("audit.json")).unwrap()).unwrap();
    let md = std::fs::read_to_string(out.join("audit.md")).unwrap();
    (json, md)
}

fn names(json: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    names.dedup();
    names
}

#[test]
fn a_client_that_handles_failures_right_passes_with_exit_0() {
    let out = tempfile::tempdir().unwrap();
    let output = audit(&fixture("audit-clean.jsonl"), out.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("irp-conformance audit: 10 calls, 4 retries: nothing found;"),
        "{stderr}"
    );
    let (json, md) = written(out.path());
    assert_eq!(json["passed"], true);
    assert_eq!(json["findings"], serde_json::json!([]));
    let summary = &json["summary"];
    assert_eq!(summary["calls"], 10);
    assert_eq!(summary["logins"], 1);
    assert_eq!(summary["retries"], 4);
    assert_eq!(summary["documents"], 3);
    assert_eq!(summary["irns_generated"], 2);
    assert_eq!(summary["documents_with_irn"], 3);
    assert_eq!(
        summary["age_days"],
        serde_json::json!({"min": 3, "median": 3.0, "max": 3})
    );
    assert!(
        json["tool"]
            .as_str()
            .unwrap()
            .starts_with("irp-conformance ")
    );
    assert!(md.contains("**Nothing found.**"), "{md}");
    assert!(md.contains("| `late_submission` | warning |"), "{md}");
}

#[test]
fn a_retry_storm_is_graded_with_exit_1() {
    let out = tempfile::tempdir().unwrap();
    let output = audit(&fixture("audit-retry-storm.jsonl"), out.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("finding(s)"), "{stderr}");
    let (json, md) = written(out.path());
    assert_eq!(json["passed"], false);
    assert_eq!(
        names(&json),
        [
            "retry_after_ignored",
            "no_backoff",
            "reauth_every_call",
            "duplicate_not_reconciled",
            // The renumbered invoice holds a second IRN beside the one DUPIRN named.
            "two_irns_for_one_invoice"
        ]
    );
    let renumbered = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "duplicate_not_reconciled")
        .unwrap();
    assert_eq!(renumbered["entries"], serde_json::json!([10, 12]));
    assert_eq!(renumbered["client_id"], "acme-erp");
    assert!(md.contains("### `no_backoff` (error)"), "{md}");
    // Filtered to another client, nothing is left to grade: that is a mistake, exit 2.
    let other = audit(
        &fixture("audit-retry-storm.jsonl"),
        out.path(),
        &["--client-id", "someone-else"],
    );
    assert_eq!(other.status.code(), Some(2), "{}", text(&other));
    // A looser limit does not hide what else is wrong.
    let loose = audit(
        &fixture("audit-retry-storm.jsonl"),
        out.path(),
        &["--max-retries", "100"],
    );
    assert_eq!(loose.status.code(), Some(1), "{}", text(&loose));
}

#[test]
fn an_unreadable_journal_or_out_dir_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("out");
    let missing = dir.path().join("missing.jsonl");
    let output = audit(missing.to_str().unwrap(), &out, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing.jsonl"));
    assert!(!out.exists());

    let broken = dir.path().join("broken.jsonl");
    std::fs::write(
        &broken,
        "{\"api\":\"auth\",\"http_status\":200}\n{not json\n",
    )
    .unwrap();
    let output = audit(broken.to_str().unwrap(), &out, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("line 2"),
        "{}",
        text(&output)
    );

    // The output "directory" is a file.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let output = audit(&fixture("audit-clean.jsonl"), &file, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("writing the audit"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_harness_retry_policy_passes_the_audit_through_every_fault_kind() {
    // An emulator the test owns, so its journal outlives the harness run.
    let emulator = irp_conformance::local::LocalEmulator::start()
        .await
        .unwrap();
    let target = emulator.base.clone();
    let run_out = tempfile::tempdir().unwrap();
    let audit_out = tempfile::tempdir().unwrap();
    let (run_dir, audit_dir) = (
        run_out.path().to_str().unwrap().to_owned(),
        audit_out.path().to_str().unwrap().to_owned(),
    );
    let (run, audit) = tokio::task::spawn_blocking(move || {
        let run = conformance(&[
            "run",
            "--scenarios",
            "scenarios/retry",
            "--target",
            &target,
            "--out",
            &run_dir,
        ]);
        let audit = conformance(&["audit", "--journal", &target, "--out", &audit_dir]);
        (run, audit)
    })
    .await
    .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    assert_eq!(audit.status.code(), Some(0), "{}", text(&audit));
    let audit = json(&audit_out.path().join("audit.json"));
    let summary = &audit["summary"];
    // Faults of every kind were met and retried.
    assert!(summary["retries"].as_u64().unwrap() >= 10, "{summary}");
    assert!(summary["failures"].as_u64().unwrap() >= 10, "{summary}");
    assert_eq!(
        summary["documents_with_irn"], summary["documents"],
        "{summary}"
    );
    emulator.stop().await;
}
