//! The container image's start-up, on the bare binary (the tests need no container engine):
//! the Dockerfile's `ENV` names are the CLI's; a start configured only through those
//! variables binds every interface, keeps nothing on disk with `IRP_EMULATOR_IN_MEMORY`,
//! answers health to any caller and the rest only with the admin token; the `HEALTHCHECK`
//! command passes; and, when the tests run as root, the binary serves and writes its state
//! as an unprivileged user.

use std::{
    net::{IpAddr, UdpSocket},
    path::Path,
    process::{Command, Stdio},
};

use serde_json::Value;

use crate::wire::{BIN, Process, http};

fn dockerfile() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Dockerfile");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The Dockerfile's instructions, continuation lines joined, comments dropped.
fn instructions(text: &str) -> Vec<String> {
    let mut all = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('#') || (line.is_empty() && current.is_empty()) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(head) => current.push_str(head),
            None => {
                current.push_str(line);
                all.push(std::mem::take(&mut current));
            }
        }
    }
    all
}

/// `NAME=value` pairs of every `ENV` instruction.
fn env_of(text: &str) -> Vec<(String, String)> {
    instructions(text)
        .iter()
        .filter_map(|i| i.strip_prefix("ENV "))
        .flat_map(str::split_whitespace)
        .map(|pair| {
            let (name, value) = pair
                .split_once('=')
                .unwrap_or_else(|| panic!("ENV {pair}: use NAME=value"));
            (name.to_owned(), value.trim_matches('"').to_owned())
        })
        .collect()
}

/// The shell command of the `HEALTHCHECK` instruction.
fn healthcheck(text: &str) -> String {
    let instruction = instructions(text)
        .into_iter()
        .find(|i| i.starts_with("HEALTHCHECK "))
        .expect("a HEALTHCHECK");
    let (_, command) = instruction.split_once(" CMD ").expect("HEALTHCHECK … CMD");
    command.trim().to_owned()
}

/// A command for the binary with nothing of this test process's environment but `PATH`, so
/// the start proves the variables it is given are enough.
fn bare(program: &str) -> Command {
    let mut command = Command::new(program);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stderr(Stdio::null());
    command
}

/// The image's environment with the test's address, data directory and extras applied.
fn image_env(overrides: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut env = env_of(&dockerfile());
    for (name, value) in overrides {
        env.retain(|(n, _)| n != name);
        env.push(((*name).to_owned(), (*value).to_owned()));
    }
    env
}

/// The port of a `listening on http://HOST:PORT` URL.
fn port_of(url: &str) -> u16 {
    url.rsplit(':').next().unwrap().parse().unwrap()
}

/// An address of this machine that is not loopback, if it has one (a UDP "connect" sends
/// nothing; it only picks the route).
fn non_loopback_ip() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

async fn get(url: &str, bearer: Option<&str>) -> (u16, Value) {
    let mut request = http().get(url);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[test]
fn every_env_name_the_dockerfile_sets_is_one_the_cli_reads() {
    let text = dockerfile();
    let names: Vec<String> = env_of(&text).into_iter().map(|(n, _)| n).collect();
    for expected in [
        "IRP_EMULATOR_ADDR",
        "IRP_EMULATOR_DATA_DIR",
        "IRP_EMULATOR_IN_MEMORY",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not in {names:?}"
        );
    }
    let help = bare(BIN).arg("--help").output().unwrap();
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    for name in &names {
        assert!(
            name.starts_with("IRP_EMULATOR_"),
            "{name}: not the emulator's"
        );
        assert!(
            help.contains(&format!("[env: {name}=")),
            "{name} is not read by the CLI"
        );
    }
    assert!(
        healthcheck(&text).starts_with("irp-emulator wait --url "),
        "{}",
        healthcheck(&text)
    );
}

#[tokio::test]
async fn starts_as_the_image_does_from_environment_variables_only() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap();
    let token = "ci-admin-token";
    let env = image_env(&[
        ("IRP_EMULATOR_ADDR", "0.0.0.0:0"),
        ("IRP_EMULATOR_DATA_DIR", dir),
        ("IRP_EMULATOR_IN_MEMORY", "true"),
        ("IRP_EMULATOR_ADMIN_TOKEN", token),
    ]);
    let mut command = bare(BIN);
    command.envs(env).current_dir(data.path());
    let emulator = Process::spawn(command);
    assert!(
        emulator.url.starts_with("http://0.0.0.0:"),
        "binds every interface: {}",
        emulator.url
    );
    let port = port_of(&emulator.url);
    let local = format!("http://127.0.0.1:{port}");

    let (status, health) = get(&format!("{local}/__emulator__/health"), None).await;
    assert_eq!((status, &health["status"]), (200, &Value::from("ok")));
    assert_eq!(health["control_allowed"], false, "a token is set: {health}");
    let (status, sandbox) = get(&format!("{local}/__emulator__/sandbox"), Some(token)).await;
    assert_eq!(status, 200, "{sandbox}");

    // A caller from outside loopback, as every caller of a container is.
    match non_loopback_ip() {
        Some(ip) => {
            let remote = format!("http://{ip}:{port}");
            let (status, _) = get(&format!("{remote}/__emulator__/health"), None).await;
            assert_eq!(status, 200, "health from {ip}");
            let (status, refused) = get(&format!("{remote}/__emulator__/sandbox"), None).await;
            assert_eq!(
                status, 403,
                "sandbox from {ip} without the token: {refused}"
            );
            let (status, _) = get(&format!("{remote}/__emulator__/sandbox"), Some(token)).await;
            assert_eq!(status, 200, "sandbox from {ip} with the token");
        }
        None => eprintln!("no non-loopback address on this machine: remote callers not checked"),
    }

    // The image's HEALTHCHECK, run by a shell as the engine runs it.
    let healthcheck = healthcheck(&dockerfile());
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let check = bare("sh")
        .args(["-c", &healthcheck])
        .env("PATH", path)
        .env("IRP_EMULATOR_ADDR", format!("0.0.0.0:{port}"))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{healthcheck}: {}",
        String::from_utf8_lossy(&check.stderr)
    );

    let written: Vec<_> = std::fs::read_dir(data.path()).unwrap().collect();
    assert!(written.is_empty(), "in memory, yet wrote {written:?}");
}

/// As root, the binary started as `nobody` (65534) with a data directory it owns: it serves
/// and its database is written by that user, so the image's non-root user is enough.
#[tokio::test]
async fn serves_and_keeps_state_as_an_unprivileged_user() {
    use std::os::unix::fs::MetadataExt;

    let root = Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&root.stdout).trim() != "0" {
        eprintln!("not root: the unprivileged start is not checked");
        return;
    }
    if Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("no setpriv (util-linux): the unprivileged start is not checked");
        return;
    }
    const NOBODY: u32 = 65534;
    let data = tempfile::tempdir().unwrap();
    std::os::unix::fs::chown(data.path(), Some(NOBODY), Some(NOBODY)).unwrap();
    let dir = data.path().to_str().unwrap();
    let env = image_env(&[
        ("IRP_EMULATOR_ADDR", "0.0.0.0:0"),
        ("IRP_EMULATOR_DATA_DIR", dir),
    ]);
    let mut command = bare("setpriv");
    command
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN])
        .envs(env)
        .current_dir(data.path());
    let emulator = Process::spawn(command);
    let status = std::fs::read_to_string(format!("/proc/{}/status", emulator.child.id())).unwrap();
    let uid = status.lines().find(|l| l.starts_with("Uid:")).unwrap();
    assert!(
        uid.split_whitespace().skip(1).all(|id| id == "65534"),
        "{uid}"
    );

    let local = format!("http://127.0.0.1:{}", port_of(&emulator.url));
    let (status, _) = get(&format!("{local}/__emulator__/health"), None).await;
    assert_eq!(status, 200);
    let database = data.path().join(irp_emulator::store::DB_FILE);
    let owner = std::fs::metadata(&database)
        .unwrap_or_else(|e| panic!("{}: {e}", database.display()))
        .uid();
    assert_eq!(
        owner, NOBODY,
        "the state is written by the unprivileged user"
    );
    emulator.stop();
}
