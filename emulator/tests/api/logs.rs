//! The log as an operator reads it: the binary run with stderr piped (as under CI or a
//! container's log driver), one line per IRP call with the API, the caller's GSTIN, the HTTP
//! status, the IRP `Status` and codes, the latency and the fault; no colour codes, and none
//! of the secrets that crossed the wire in those calls.

use std::{
    io::Read,
    process::{Command, Stdio},
};

use base64::{Engine, engine::general_purpose::STANDARD};
use irp_client::{answer, request};
use serde_json::{Value, json};

use crate::{
    helpers::*,
    wire::{BIN, Process, Wire, http, json_of_request},
};

const BUYER: &str = "29AAACB3333C1Z7";
const WRONG_PASSWORD: &str = "Wrong@Pass123";

/// What a run logged, and the secrets its calls carried.
struct Run {
    stderr: String,
    secrets: Vec<String>,
}

/// Starts the binary with `args` and stderr piped; makes four IRP calls (a login, a Get
/// GSTIN details, the same under a one-shot fault, a login with a wrong password); stops it
/// with SIGTERM and returns everything it wrote to stderr.
async fn four_calls(args: &[&str]) -> Run {
    let cwd = tempfile::tempdir().unwrap();
    let mut command = Command::new(BIN);
    command
        .args(["--addr", "127.0.0.1:0", "--in-memory"])
        .args(args)
        .env_remove("IRP_EMULATOR_LOG")
        .env_remove("IRP_EMULATOR_LOG_FORMAT")
        .current_dir(cwd.path())
        .stderr(Stdio::piped());
    let mut process = Process::spawn(command);
    let mut pipe = process.child.stderr.take().unwrap();
    // Read while the process runs, so a full pipe can never block it.
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        pipe.read_to_string(&mut text).unwrap();
        text
    });

    let wire = Wire::login(&process.url).await;
    let details = wire
        .get(&format!("/eivital/v1.04/Master/gstin/{BUYER}"))
        .await;
    assert_eq!(details["Status"], 1, "{details}");
    let rule = wire
        .control(
            "faults",
            &json!({"name": "down", "phase": "before", "match": {"api": "gstin_details"},
                "action": {"type": "irp_error", "code": "5001"}, "times": 1}),
        )
        .await;
    assert_eq!(rule["name"], "down", "{rule}");
    let faulted = wire
        .get(&format!("/eivital/v1.04/Master/gstin/{BUYER}"))
        .await;
    assert_eq!(faulted["ErrorDetails"][0]["ErrorCode"], "5001", "{faulted}");
    let wrong = login_of(LARGE, LARGE_USER, WRONG_PASSWORD, false);
    let outgoing = request::auth_request(&caller(), &wrong, &auth_public_key()).unwrap();
    let refused = json_of_request(&http(), &outgoing, &process.url).await;
    assert_eq!(refused["Status"], 0, "{refused}");
    assert!(answer::open_login(&wrong, &refused).unwrap().1.is_none());

    process.stop();
    let stderr = reader.join().unwrap();
    Run {
        stderr,
        secrets: vec![
            PASSWORD.to_owned(),
            WRONG_PASSWORD.to_owned(),
            CLIENT_SECRET.to_owned(),
            STANDARD.encode(APP_KEY),
            STANDARD.encode(&wire.login.sek),
            wire.login.token.clone(),
        ],
    }
}

impl Run {
    #[track_caller]
    fn assert_clean(&self) {
        assert!(
            !self.stderr.contains('\u{1b}'),
            "an ESC byte (colour code) in a piped log:\n{}",
            self.stderr
        );
        for secret in &self.secrets {
            assert!(
                !self.stderr.contains(secret.as_str()),
                "a secret in the log:\n{}",
                self.stderr
            );
        }
    }

    fn call_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains("irp call"))
            .collect()
    }
}

#[tokio::test]
async fn text_lines_say_what_happened_without_colour_or_secrets() {
    let run = four_calls(&[]).await;
    run.assert_clean();
    let lines = run.call_lines();
    assert_eq!(lines.len(), 4, "{}", run.stderr);
    let expected: [&[&str]; 4] = [
        &[
            "irp_emulator::call",
            "api=\"auth\"",
            "gstin=\"29AAACL1111A1ZD\"",
            "client_id=\"irp-emulator-client\"",
            "http_status=200",
            "status=1",
        ],
        &["api=\"gstin_details\"", "http_status=200", "status=1"],
        &[
            "api=\"gstin_details\"",
            "status=0",
            "error_codes=\"5001\"",
            "fault=\"1:down:irp_error:before\"",
        ],
        &["api=\"auth\"", "status=0", "error_codes=\"1019\""],
    ];
    for (line, wanted) in lines.iter().zip(expected) {
        assert!(line.contains(" INFO "), "{line}");
        assert!(line.contains("latency_ms="), "{line}");
        for needle in wanted {
            assert!(line.contains(needle), "{needle} not in {line}");
        }
    }
    assert!(
        !lines[0].contains("error_codes"),
        "absent fields are left out: {}",
        lines[0]
    );
    assert!(!lines[0].contains("fault"), "{}", lines[0]);
}

#[tokio::test]
async fn json_lines_parse_and_carry_the_same_fields() {
    let run = four_calls(&["--log-format", "json"]).await;
    run.assert_clean();
    let lines: Vec<Value> = run
        .stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let calls: Vec<&Value> = lines
        .iter()
        .filter(|l| l["message"] == "irp call")
        .collect();
    assert_eq!(calls.len(), 4, "{}", run.stderr);
    let auth = calls[0];
    assert_eq!(auth["level"], "INFO");
    assert_eq!(auth["target"], "irp_emulator::call");
    assert_eq!(auth["api"], "auth");
    assert_eq!(auth["gstin"], LARGE);
    assert_eq!(auth["http_status"], 200);
    assert_eq!(auth["status"], 1);
    assert!(
        auth["latency_ms"].as_f64().is_some_and(|ms| ms > 0.0),
        "{auth}"
    );
    assert!(
        auth.get("error_codes").is_none() && auth.get("fault").is_none(),
        "{auth}"
    );
    assert!(auth["timestamp"].is_string(), "{auth}");
    let faulted = calls[2];
    assert_eq!(faulted["error_codes"], "5001");
    assert_eq!(faulted["fault"], "1:down:irp_error:before");
    assert_eq!(calls[3]["error_codes"], "1019");
}
