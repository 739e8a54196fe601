//! The harness's retry policy against the emulator's faults: every scenario of
//! `scenarios/retry/` passes with it, and the ones whose fault needs a retry fail without.

use crate::cli::{conformance, json, text};

fn run(extra: &[&str]) -> (std::process::Output, serde_json::Value) {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec![
        "run",
        "--scenarios",
        "scenarios/retry",
        "--out",
        out.path().to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = conformance(&args);
    let report = json(&out.path().join("report.json"));
    (output, report)
}

#[test]
fn every_retry_scenario_passes_with_the_policy_and_most_fail_without() {
    let (output, _) = run(&[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.matches("\nok   retry_").count(), 17, "{stderr}");

    let (output, _) = run(&["--max-attempts", "1"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    // A 1005 is renewed whatever the policy; a slow answer needs no retry.
    for passing in [
        "retry_irp_error_1005",
        "retry_revoked_token",
        "retry_token_expiry_mid_batch",
        "retry_latency",
        "retry_slow_body",
    ] {
        assert!(
            stderr.contains(&format!("ok   {passing}:")),
            "{passing}: {stderr}"
        );
    }
    assert_eq!(stderr.matches("\nFAIL retry_").count(), 12, "{stderr}");
}
