//! The `irp-emulator` binary as a user runs it: no flags, port 0, first stdout line, TLS,
//! graceful shutdown on SIGTERM, `keys generate`, and several IRPs (`--irps`).

use std::{
    process::{Child, Command},
    time::Duration,
};

use serde_json::Value;

use crate::wire::{Process, json_of};

const BIN: &str = env!("CARGO_BIN_EXE_irp-emulator");

/// A process started in its own empty working directory.
struct Running {
    process: Process,
    url: String,
    /// The working directory (the default data directory lands in it).
    cwd: tempfile::TempDir,
}

fn start(args: &[&str]) -> Running {
    let cwd = tempfile::tempdir().unwrap();
    let process = Process::start(cwd.path(), args);
    Running {
        url: process.url.clone(),
        process,
        cwd,
    }
}

#[cfg(unix)]
fn terminate(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn wait_for_exit(child: &mut Child) -> std::process::ExitStatus {
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("emulator did not stop within 5 s of SIGTERM");
}

#[tokio::test]
async fn runs_from_anywhere_with_built_in_keys_and_stops_on_sigterm() {
    let mut running = start(&["--addr", "127.0.0.1:0"]);
    assert!(
        running.url.starts_with("http://127.0.0.1:"),
        "{}",
        running.url
    );
    let health: Value =
        json_of(crate::wire::http().get(format!("{}/__emulator__/health", running.url))).await;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["profile"], "NIC Sandbox");
    let db = running
        .cwd
        .path()
        .join(".irp-emulator")
        .join(irp_emulator::store::DB_FILE);
    assert!(db.is_file(), "state is kept in ./.irp-emulator by default");
    #[cfg(unix)]
    {
        terminate(&running.process.child);
        assert!(wait_for_exit(&mut running.process.child).success());
    }
}

#[tokio::test]
async fn tls_with_generated_keys_and_production_profile() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(BIN)
        .args(["keys", "generate", "--out"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let keys_dir = dir.path().to_str().unwrap();
    let running = start(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--tls",
        "--keys",
        keys_dir,
        "--profile",
        "production",
    ]);
    assert!(
        running.url.starts_with("https://127.0.0.1:"),
        "{}",
        running.url
    );

    let cert = std::fs::read(dir.path().join("tls-cert.pem")).unwrap();
    let ca = rustls_pki_types::pem::PemObject::from_pem_slice(&cert).unwrap();
    let client = reqwest::Client::builder()
        .use_preconfigured_tls(irp_client::tls_config(&[ca]).unwrap())
        .build()
        .unwrap();
    let url = running.url.replace("127.0.0.1", "localhost");
    let sandbox = json_of(client.get(format!("{url}/__emulator__/sandbox"))).await;
    assert_eq!(sandbox["issuer"], "NIC");
    assert_eq!(sandbox["token_lifetime_minutes"], 360);
    let public = std::fs::read_to_string(dir.path().join("auth-public.pem")).unwrap();
    assert_eq!(sandbox["auth_public_key_pem"], public.as_str());
}

#[test]
fn bad_config_file_is_reported_not_panicked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "no_such_key = 1").unwrap();
    let output = Command::new(BIN)
        .args(["--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown field"), "{stderr}");
}

#[tokio::test]
async fn a_faults_file_and_a_seed_are_in_force_from_the_first_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("faults.toml");
    std::fs::write(
        &path,
        r#"
        [[fault]]
        name = "down"
        phase = "before"
        match = { api = "gstin_details" }
        action = { type = "irp_error", code = "5001" }

        [[rate_limit]]
        per = "client_id"
        per_minute = 1000
        "#,
    )
    .unwrap();
    let running = start(&[
        "--addr",
        "127.0.0.1:0",
        "--in-memory",
        "--seed",
        "77",
        "--faults",
        path.to_str().unwrap(),
    ]);
    let http = crate::wire::http();
    let health: Value = json_of(http.get(format!("{}/__emulator__/health", running.url))).await;
    assert_eq!(health["seed"], 77);
    let faults: Value = json_of(http.get(format!("{}/__emulator__/faults", running.url))).await;
    assert_eq!(faults["faults"][0]["name"], "down");
    let limits: Value =
        json_of(http.get(format!("{}/__emulator__/rate-limits", running.url))).await;
    assert_eq!(limits["rate_limits"][0]["per_minute"], 1000);
    let details: Value = json_of(
        http.get(format!(
            "{}/eivital/v1.04/Master/gstin/29AAACL1111A1ZD",
            running.url
        ))
        .header("client_id", "irp-emulator-client")
        .header("Gstin", "29AAACL1111A1ZD"),
    )
    .await;
    assert_eq!(details["ErrorDetails"][0]["ErrorCode"], "5001");
}

#[test]
fn a_bad_faults_file_names_the_rule_and_the_emulator_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("faults.toml");
    std::fs::write(
        &path,
        "[[fault]]\nphase = \"before\"\naction = { type = \"truncate\", bytes = 1 }\n",
    )
    .unwrap();
    let output = Command::new(BIN)
        .args(["--in-memory", "--addr", "127.0.0.1:0", "--faults"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("number 1") && stderr.contains("after_commit"),
        "{stderr}"
    );
}

/// `--irps nic1,nic2` on port 0: one `listening on URL (NAME)` line per IRP in order, then
/// the seed line; each port answers as its IRP, with its own certificate, and the two
/// share one process (and stop together).
#[tokio::test]
async fn several_irps_print_one_named_line_each_and_answer_as_themselves() {
    let cwd = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args([
            "--addr",
            "127.0.0.1:0",
            "--in-memory",
            "--irps",
            "nic1,nic2",
            "--seed",
            "5",
        ])
        .env_remove("IRP_EMULATOR_ADDR")
        .env_remove("IRP_EMULATOR_IRPS")
        .current_dir(cwd.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..3 {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut out, &mut line).unwrap();
        lines.push(line.trim_end().to_owned());
    }
    let url_of = |line: &str, name: &str| {
        line.strip_prefix("listening on ")
            .and_then(|rest| rest.strip_suffix(&format!(" ({name})")))
            .unwrap_or_else(|| panic!("{lines:?}"))
            .to_owned()
    };
    let (nic1, nic2) = (url_of(&lines[0], "nic1"), url_of(&lines[1], "nic2"));
    assert_eq!(lines[2], "fault seed 5 (replay with --seed 5)");
    assert_ne!(nic1, nic2);
    let http = crate::wire::http();
    let mut kids = Vec::new();
    for (url, name) in [(&nic1, "nic1"), (&nic2, "nic2")] {
        let health: Value = json_of(http.get(format!("{url}/__emulator__/health"))).await;
        assert_eq!(health["irp"], name);
        let sandbox: Value = json_of(http.get(format!("{url}/__emulator__/sandbox"))).await;
        assert_eq!(sandbox["irp"], name);
        kids.push(sandbox["signing_kid"].as_str().unwrap().to_owned());
    }
    assert_ne!(kids[0], kids[1], "each IRP signs with its own certificate");
    #[cfg(unix)]
    {
        terminate(&child);
        assert!(wait_for_exit(&mut child).success());
    }
    #[cfg(not(unix))]
    let _ = child.kill();
}
