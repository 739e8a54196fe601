//! `irp-conformance parity` end to end, against upstreams that are emulators the test
//! starts in-process: one configured differently (`[rules] totals = strict`), whose
//! differences must show in exactly the steps they touch; identically configured ones,
//! whose issued numbers, clocks and tokens differ but whose answers must compare the same;
//! one without a reachable control namespace; one holding parties the built-in master
//! lacks; and the exit-2 refusals.

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
    process::Output,
};

use irp_conformance::local::LocalEmulator;
use irp_emulator::{
    clock::Clock,
    config::Settings,
    rules::{RuleSettings, TotalsMode},
};
use serde_json::{Value, json};

use crate::cli::{conformance, json, pem_keys_profile, text, workspace};

/// The fixture scenarios: invoices whose `TotAmt` is `Qty × UnitPrice`, and two
/// (`unit_price_off`, `second_item_off`) whose `UnitPrice` was patched after the totals.
fn fixture() -> PathBuf {
    workspace().join("conformance/tests/fixtures/parity")
}

/// Runs the binary with `args` off the runtime's threads (the upstream is served by them).
async fn parity(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        conformance(&args)
    })
    .await
    .unwrap()
}

fn args(upstream: &str, scenarios: &Path, out: &Path, extra: &[&str]) -> Vec<String> {
    let mut all = vec![
        "parity".to_owned(),
        "--upstream".to_owned(),
        upstream.to_owned(),
        "--scenarios".to_owned(),
        scenarios.display().to_string(),
        "--out".to_owned(),
        out.display().to_string(),
    ];
    all.extend(extra.iter().map(|a| (*a).to_owned()));
    all
}

fn steps(report: &Value) -> &Vec<Value> {
    report["steps"].as_array().unwrap()
}

fn step<'a>(report: &'a Value, name: &str) -> &'a Value {
    steps(report)
        .iter()
        .find(|s| s["step"] == name)
        .unwrap_or_else(|| panic!("no step {name}"))
}

fn names_with(report: &Value, verdict: &str) -> BTreeSet<String> {
    steps(report)
        .iter()
        .filter(|s| s["verdict"] == verdict)
        .map(|s| s["step"].as_str().unwrap().to_owned())
        .collect()
}

fn api<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["apis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["api"] == name)
        .unwrap_or_else(|| panic!("no API {name} in {}", report["apis"]))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_totals_rule_only_the_upstream_checks_differs_in_exactly_the_invoices_it_rejects() {
    let strict = Settings {
        rules: RuleSettings {
            totals: TotalsMode::Strict,
            ..RuleSettings::default()
        },
        ..Settings::default()
    };
    let upstream = LocalEmulator::start_with(strict, Clock::system())
        .await
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = parity(args(&upstream.base, &fixture(), out.path(), &[])).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report = json(&out.path().join("parity.json"));

    let differing: BTreeSet<String> = ["second_item_off", "unit_price_off"]
        .map(str::to_owned)
        .into();
    assert_eq!(names_with(&report, "differs"), differing, "{report:#}");
    assert_eq!(names_with(&report, "skipped"), BTreeSet::new());
    assert_eq!(names_with(&report, "same").len(), 6, "{report:#}");
    for name in &differing {
        let s = step(&report, name);
        assert_eq!(s["api"], "generate_irn");
        assert_eq!(s["upstream"]["seen"], "answered");
        assert_eq!(s["upstream"]["status"], 0, "{s:#}");
        assert_eq!(s["upstream"]["error_codes"], json!(["2192"]), "{s:#}");
        assert_eq!(s["emulator"]["status"], 1, "{s:#}");
        assert_eq!(s["emulator"]["error_codes"], json!([]), "{s:#}");
        let d = &s["differences"];
        assert_eq!(d["status"], json!({"upstream": 0, "emulator": 1}));
        assert_eq!(
            d["error_codes"],
            json!({"upstream": ["2192"], "emulator": []})
        );
        let only_here: Vec<&str> = d["fields_only_emulator"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        for field in [
            "/AckNo",
            "/AckDt",
            "/Irn",
            "/SignedInvoice",
            "/SignedQRCode",
        ] {
            assert!(only_here.contains(&field), "{field} in {only_here:?}");
        }
    }
    // A rejection both settings share is the same on both sides, codes and all.
    let shared = step(&report, "missing_version");
    assert_eq!(shared["verdict"], "same");
    assert_eq!(shared["upstream"]["error_codes"], json!(["2140"]));
    assert_eq!(shared["emulator"]["error_codes"], json!(["2140"]));

    let generate = api(&report, "generate_irn");
    assert_eq!(generate["verdict"], "differs");
    assert_eq!(
        (generate["differs"].as_u64(), generate["same"].as_u64()),
        (Some(2), Some(3))
    );
    for same in ["get_irn", "generate_ewb", "gstin_details"] {
        assert_eq!(api(&report, same)["verdict"], "same", "{same}");
    }
    let summary = &report["summary"];
    assert_eq!(summary["verdict"], "differs");
    assert_eq!(
        (summary["compared"].as_u64(), summary["differs"].as_u64()),
        (Some(8), Some(2))
    );
    assert_eq!(summary["apis_differing"], 1);
    assert_eq!(report["upstream"]["emulator"], true);
    assert_eq!(
        report["emulator"]["registered"],
        Value::Null,
        "built-in profile"
    );

    let markdown = std::fs::read_to_string(out.path().join("parity.md")).unwrap();
    assert!(
        markdown.contains("| generate_irn | differs | 5 | 3 | 2 | 0 |"),
        "{markdown}"
    );
    assert!(markdown.contains("error codes 2192 \\| none"), "{markdown}");
    assert!(markdown.contains("compares two emulators"), "{markdown}");
    upstream.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn identically_configured_emulators_are_the_same_in_every_step_though_their_numbers_and_clocks_differ()
 {
    // The upstream's clock runs three minutes behind, and a run against it first uses up
    // AckNos and an e-way bill number: every AckNo, AckDt, EwbNo, token and signature it
    // issues below differs from the in-process emulator's.
    let clock = Clock::system();
    clock.advance(time::Duration::minutes(-3));
    let upstream = LocalEmulator::start_with(Settings::default(), clock)
        .await
        .unwrap();
    let warm = tempfile::tempdir().unwrap();
    let warmed = parity(vec![
        "run".into(),
        "--target".into(),
        upstream.base.clone(),
        "--scenarios".into(),
        fixture().display().to_string(),
        "--out".into(),
        warm.path().display().to_string(),
    ])
    .await;
    assert_eq!(warmed.status.code(), Some(0), "{}", text(&warmed));

    let fixture_out = tempfile::tempdir().unwrap();
    let output = parity(args(&upstream.base, &fixture(), fixture_out.path(), &[])).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let report = json(&fixture_out.path().join("parity.json"));
    assert_eq!(names_with(&report, "same").len(), 8, "{report:#}");

    let out = tempfile::tempdir().unwrap();
    let filter = "^(get_irn|gstin_details|ewb_by_irn|cancel_rejections|auth_rejections)$";
    let output = parity(args(
        &upstream.base,
        Path::new("builtin:onboarding"),
        out.path(),
        &["--filter", filter],
    ))
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let report = json(&out.path().join("parity.json"));
    let summary = &report["summary"];
    assert_eq!(summary["verdict"], "same", "{summary}");
    assert_eq!(summary["differs"], 0);
    assert_eq!(summary["skipped"], 0);
    assert!(summary["compared"].as_u64().unwrap() > 200, "{summary}");
    for name in [
        "generate_irn",
        "get_irn",
        "generate_ewb",
        "get_ewb",
        "gstin_details",
        "auth",
    ] {
        let a = api(&report, name);
        assert_eq!(a["verdict"], "same", "{a}");
        assert!(a["same"].as_u64().unwrap() > 0, "{a}");
    }
    // What must differ is compared by form only, and the form is the same on both sides.
    let forms = |api: &str, pointer: &str| -> BTreeSet<String> {
        steps(&report)
            .iter()
            .filter(|s| s["api"] == api && s["upstream"]["status"] == 1)
            .flat_map(|s| [&s["upstream"], &s["emulator"]])
            .filter_map(|side| side["values"][pointer].as_str().map(str::to_owned))
            .collect()
    };
    let one = |form: &str| BTreeSet::from([form.to_owned()]);
    assert_eq!(forms("generate_irn", "/Irn"), one("<hex 64>"));
    assert_eq!(forms("generate_irn", "/AckNo"), one("<number, 15 digits>"));
    assert_eq!(forms("generate_irn", "/AckDt"), one("9999-99-99 99:99:99"));
    assert_eq!(forms("generate_irn", "/SignedInvoice"), one("<jws>"));
    assert_eq!(forms("generate_ewb", "/EwbNo"), one("<number, 12 digits>"));
    let markdown = std::fs::read_to_string(out.path().join("parity.md")).unwrap();
    assert!(markdown.contains("## Steps that differ (0)"), "{markdown}");
    upstream.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scenarios_needing_the_control_namespace_are_skipped_when_the_upstream_has_none() {
    // The admin token is not given to the harness: the upstream's control namespace refuses
    // it, so its keys come from PEM files as they would for NIC.
    let settings = Settings {
        admin_token: Some("not-for-the-harness".into()),
        ..Settings::default()
    };
    let upstream = LocalEmulator::start_with(settings, Clock::system())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let profile_path = pem_keys_profile(dir.path());
    let scenarios = dir.path().join("scenarios");
    std::fs::create_dir(&scenarios).unwrap();
    for file in [
        fixture().join("totals.json"),
        workspace().join("scenarios/emulator/time_windows.json"),
    ] {
        std::fs::copy(&file, scenarios.join(file.file_name().unwrap())).unwrap();
    }
    let out = dir.path().join("out");
    let output = parity(args(
        &upstream.base,
        &scenarios,
        &out,
        &["--profile", profile_path.to_str().unwrap()],
    ))
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let report = json(&out.join("parity.json"));
    assert_eq!(report["upstream"]["control"], false);
    assert_eq!(report["emulator"]["control"], true);
    let (timed, plain): (Vec<&Value>, Vec<&Value>) = steps(&report)
        .iter()
        .partition(|s| s["scenario"] == "time_windows");
    assert!(!timed.is_empty());
    for s in timed {
        assert_eq!(s["verdict"], "skipped", "{s}");
        assert_eq!(s["upstream"]["seen"], "skipped", "{s}");
        assert!(
            s["skipped"]
                .as_str()
                .unwrap()
                .starts_with("upstream: the scenario needs the control namespace"),
            "{s}"
        );
    }
    assert!(plain.iter().all(|s| s["verdict"] == "same"), "{plain:#?}");
    assert_eq!(
        report["summary"]["compared"].as_u64(),
        Some(plain.len() as u64)
    );
    let markdown = std::fs::read_to_string(out.join("parity.md")).unwrap();
    assert!(markdown.contains("## Steps not compared"), "{markdown}");
    upstream.stop().await;
}

/// A supplier and a buyer the built-in master does not hold, as a sandbox profile names
/// a team's own GSTINs and user.
const OWN_SUPPLIER: &str = "29AABCP4321K1Z2";
const OWN_BUYER: &str = "27AABCQ8765L1Z9";

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_s_own_parties_are_registered_in_the_in_process_emulator() {
    let upstream = LocalEmulator::start().await.unwrap();
    // The upstream knows the parties (as NIC's sandbox knows a team's), as the kinds of
    // taxpayer the built-in profile's roles are: a block status left out would show as a
    // difference in the GSTIN lookup.
    let http = irp_client::http_builder().unwrap().build().unwrap();
    for record in [
        json!({"Gstin": OWN_SUPPLIER, "LegalName": "OWN SUPPLIER", "StateCode": 29,
               "AddrPncd": 560001, "AatoCrore": 250.0, "BlkStatus": "U",
               "Users": [{"UserName": "own_api_user", "Password": "Own@12345"}]}),
        json!({"Gstin": OWN_BUYER, "LegalName": "OWN BUYER", "StateCode": 27, "AddrPncd": 400021,
               "BlkStatus": "U"}),
    ] {
        let answer = http
            .post(format!("{}/__emulator__/taxpayers", upstream.base))
            .json(&record)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{record}");
    }
    let profile = irp_conformance::profile::EMULATOR_PROFILE
        .replace("29AAACL1111A1ZD", OWN_SUPPLIER)
        .replace("\"large_supplier\"", "\"own_api_user\"")
        .replacen("\"Emulator@123\"", "\"Own@12345\"", 1)
        .replace("27AAACB4444D1Z3", OWN_BUYER);
    let dir = tempfile::tempdir().unwrap();
    let profile_path = dir.path().join("own.toml");
    std::fs::write(&profile_path, profile).unwrap();
    let out = dir.path().join("out");
    let output = parity(args(
        &upstream.base,
        &fixture(),
        &out,
        &["--profile", profile_path.to_str().unwrap()],
    ))
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let report = json(&out.join("parity.json"));
    assert_eq!(
        report["emulator"]["registered"],
        json!([OWN_BUYER, OWN_SUPPLIER])
    );
    assert_eq!(names_with(&report, "same").len(), 8, "{report:#}");
    // The GSTIN lookup found the registered buyer on both sides, as the same kind.
    let lookup = step(&report, "gstin_of_buyer");
    assert_eq!(lookup["upstream"]["values"]["/Status"], "ACT");
    assert_eq!(lookup["emulator"]["values"]["/StateCode"], "27");
    upstream.stop().await;
}

#[test]
fn parity_refuses_an_earlier_report_and_an_unreachable_upstream_with_exit_2() {
    let out = tempfile::tempdir().unwrap();
    // Nothing listens on port 9 of this machine.
    let unreachable = "http://127.0.0.1:9";
    std::fs::write(out.path().join("parity.json"), "{}").unwrap();
    let refused = conformance(
        &args(unreachable, &fixture(), out.path(), &[])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--overwrite"), "{stderr}");
    assert!(
        !stderr.contains("unreachable"),
        "checked before any call: {stderr}"
    );

    let overwrite = args(unreachable, &fixture(), out.path(), &["--overwrite"]);
    let output = conformance(&overwrite.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unreachable"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.path().join("parity.json")).unwrap(),
        "{}",
        "an earlier report is left alone when the run cannot start"
    );
}
