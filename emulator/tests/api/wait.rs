//! `irp-emulator wait` as a script or a container health check runs it: exit 0 once the
//! emulator's health answers, exit 1 with a message once the timeout has passed, whatever
//! the port does meanwhile (refuses, accepts and stays silent, or starts serving late).

use std::{
    net::TcpListener,
    process::{Command, Output},
    time::{Duration, Instant},
};

use crate::wire::{BIN, Process};

fn wait(url: &str, timeout: &str) -> (Output, Duration) {
    let started = Instant::now();
    let output = Command::new(BIN)
        .args(["wait", "--url", url, "--timeout", timeout])
        .output()
        .unwrap();
    (output, started.elapsed())
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A port nothing listens on (bound, read, released).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn succeeds_against_a_running_emulator() {
    let cwd = tempfile::tempdir().unwrap();
    let emulator = Process::start(cwd.path(), &["--addr", "127.0.0.1:0", "--in-memory"]);
    let (output, took) = wait(&emulator.url, "10");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with(&format!("healthy: {}/__emulator__/health", emulator.url)),
        "{stdout}"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn fails_within_its_timeout_against_a_closed_port() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let (output, took) = wait(&url, "1");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "no healthy answer from {url}/__emulator__/health within 1 s"
        )),
        "{message}"
    );
    assert!(
        message.lines().count() == 1,
        "one line, no backtrace: {message}"
    );
    assert!(
        took >= Duration::from_millis(900),
        "gave up early: {took:?}"
    );
    assert!(took < Duration::from_secs(4), "overran: {took:?}");
}

/// A listener that accepts (in its backlog) and never answers must not hold the wait past
/// its timeout.
#[test]
fn gives_up_on_a_port_that_accepts_and_never_answers() {
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let (output, took) = wait(&url, "1.5");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no answer in time"),
        "{}",
        stderr(&output)
    );
    assert!(took < Duration::from_secs(4), "overran: {took:?}");
}

/// The CI case: the wait starts before the emulator does.
#[test]
fn polls_until_an_emulator_starts_late() {
    let port = closed_port();
    let url = format!("http://127.0.0.1:{port}");
    let waiting = Command::new(BIN)
        .args(["wait", "--url", &url, "--timeout", "30"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let cwd = tempfile::tempdir().unwrap();
    let addr = format!("127.0.0.1:{port}");
    let _emulator = Process::start(cwd.path(), &["--addr", &addr, "--in-memory"]);
    let output = waiting.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn refuses_what_it_cannot_poll_with_exit_2() {
    for url in ["https://127.0.0.1:8080", "127.0.0.1:8080"] {
        let (output, _) = wait(url, "1");
        assert_eq!(output.status.code(), Some(2), "{url}: {}", stderr(&output));
        assert!(stderr(&output).contains("http://"), "{}", stderr(&output));
    }
}
