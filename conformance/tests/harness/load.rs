//! `irp-conformance load` end to end against the in-process emulator: a mixed run's
//! counts, answers and percentiles; the open model's rate; fault rules with and without the
//! retry policy; `--mix` refusals; every report checked against
//! `schemas/load-report.schema.json`. Nothing here asserts a latency or a throughput figure
//! of this machine, only relations that hold on any machine.

use std::path::Path;

use serde_json::Value;

use crate::cli::{conformance, json, text, workspace};

fn validate(report: &Value) {
    let schema = json(&workspace().join("schemas/load-report.schema.json"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    let problems: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}\n{report:#}");
}

/// Runs `load` with `args` and `--json`, expecting exit `code`; the report.
fn load(dir: &Path, args: &[&str], code: i32) -> Value {
    let path = dir.join("load.json");
    let mut all = vec!["load", "--json", path.to_str().unwrap()];
    all.extend_from_slice(args);
    let output = conformance(&all);
    assert_eq!(output.status.code(), Some(code), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "{}", text(&output));
    assert!(stdout.starts_with("load: "), "{}", text(&output));
    let report = json(&path);
    validate(&report);
    report
}

fn assert_ordered_percentiles(name: &str, api: &Value) {
    let p: Vec<f64> = ["p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"]
        .iter()
        .map(|k| api[k].as_f64().unwrap())
        .collect();
    assert!(p[0] > 0.0, "{name}: {api}");
    assert!(p.windows(2).all(|w| w[0] <= w[1]), "{name}: {p:?}");
}

#[test]
fn a_mixed_closed_run_over_three_users_answers_every_request_as_expected() {
    let dir = tempfile::tempdir().unwrap();
    let mix = "generate=70,get=10,gstin=10,duplicate=10";
    let report = load(
        dir.path(),
        &[
            "--count",
            "200",
            "--connections",
            "4",
            "--mix",
            mix,
            "--users",
            "3",
        ],
        0,
    );
    assert_eq!(report["model"], "closed");
    // The built-in profile's two users and one registered for the run.
    assert_eq!(report["users"], 3);
    assert_eq!(report["requests"], 200);
    assert_eq!(report["errors"], 0);
    let apis = report["apis"].as_object().unwrap();
    let sum: u64 = apis.values().map(|a| a["count"].as_u64().unwrap()).sum();
    assert_eq!(sum, 200, "{report:#}");
    // The mix's pattern repeats every ten requests: exactly its proportions.
    assert_eq!(apis["generate"]["count"], 140);
    assert_eq!(apis["generate"]["ok"], apis["generate"]["count"]);
    // A duplicate is answered 2150, which is what it is for.
    assert_eq!(apis["duplicate"]["count"], 20);
    assert_eq!(apis["duplicate"]["ok"], 20);
    assert_eq!(apis["duplicate"]["errors"], 0);
    for (name, api) in apis {
        assert_eq!(api["ok"], api["count"], "{name}: {api}");
        assert_ordered_percentiles(name, api);
    }
    assert!(report["ceiling_ratio"].as_f64().unwrap() > 0.0);
    assert!(
        report["rsa2048_signs_per_second_per_core"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert_eq!(report["in_process"], true);
    if cfg!(target_os = "linux") {
        let cpu = &report["server_cpu"];
        assert_eq!(cpu["source"], "in-process", "{report:#}");
        assert!(cpu["per_request_ms"].as_f64().unwrap() >= 0.0);
        assert!(cpu["per_request_vs_one_signature"].is_number());
        assert!(cpu["generator_seconds"].is_number());
        // Not a pure Generate IRN mix: the two-signature ratio would mean nothing.
        assert!(cpu.get("per_generate_vs_two_signatures").is_none());
    }
}

#[test]
fn the_open_model_sends_at_its_rate() {
    let dir = tempfile::tempdir().unwrap();
    let report = load(dir.path(), &["--rate", "200", "--duration", "2"], 0);
    assert_eq!(report["model"], "open");
    assert_eq!(report["rate"], 200.0);
    let requests = report["requests"].as_u64().unwrap();
    // 400 intended in the window; a slow machine may fall behind, never ahead.
    assert!((200..=440).contains(&requests), "{report:#}");
    assert_eq!(report["apis"]["generate"]["count"], requests);
    if cfg!(target_os = "linux") {
        assert!(report["server_cpu"]["per_generate_vs_two_signatures"].is_number());
    }
}

#[test]
fn fault_rules_show_as_errors_and_the_retry_policy_absorbs_them() {
    let dir = tempfile::tempdir().unwrap();
    let faults = dir.path().join("faults.toml");
    std::fs::write(
        &faults,
        "[[fault]]\nphase = \"before\"\ntimes = 5\nmatch = { api = \"generate_irn\" }\n\
         action = { type = \"http_status\", status = 503 }\n",
    )
    .unwrap();
    let faults = faults.to_str().unwrap();
    let base = ["--count", "40", "--warmup", "0", "--faults", faults];
    let raw = load(dir.path(), &base, 1);
    let generate = &raw["apis"]["generate"];
    assert_eq!(generate["errors"], 5, "{raw:#}");
    assert_eq!(generate["retries"], 0);
    let codes = generate["error_codes"].as_object().unwrap();
    assert!(codes.keys().all(|c| c.starts_with("HTTP 503")), "{codes:?}");

    let mut retrying = base.to_vec();
    retrying.extend(["--max-attempts", "4"]);
    let retried = load(dir.path(), &retrying, 0);
    let generate = &retried["apis"]["generate"];
    assert_eq!(generate["errors"], 0, "{retried:#}");
    assert_eq!(generate["ok"], 40);
    assert_eq!(generate["retries"], 5);
    assert_eq!(retried["max_attempts"], 4);
}

#[test]
fn a_bad_mix_is_refused_with_exit_2() {
    for (mix, why) in [
        ("generate=70,sign=30", "unknown API `sign`"),
        ("generate=0", "add up to zero"),
        ("generate", "not API=WEIGHT"),
        ("generate=x", "not API=WEIGHT"),
    ] {
        let output = conformance(&["load", "--count", "1", "--mix", mix]);
        assert_eq!(output.status.code(), Some(2), "{mix}: {}", text(&output));
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(why),
            "{mix}: {}",
            text(&output)
        );
        assert!(output.stdout.is_empty());
    }
    let output = conformance(&["load", "--count", "1", "--duration", "1"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
}
