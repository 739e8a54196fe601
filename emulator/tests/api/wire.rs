//! The emulator binary as a separate process, and a client that speaks to it over the
//! network with `irp-client`'s wire core: for restarts, `kill -9`, and fixtures.

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
};

use axum::http::Method;
use irp_client::{Endpoint, Outgoing, answer, request};
use serde_json::{Value, json};

use crate::helpers::*;

/// The `irp-emulator` binary cargo built for these tests.
pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_irp-emulator");

/// A running `irp-emulator` process.
pub(crate) struct Process {
    pub(crate) child: Child,
    pub(crate) url: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Process {
    /// Starts the binary in `cwd` with `args` and waits for its "listening on" line.
    pub(crate) fn start(cwd: &Path, args: &[&str]) -> Self {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .env_remove("IRP_EMULATOR_ADDR")
            .env_remove("IRP_EMULATOR_DATA_DIR")
            .env_remove("IRP_EMULATOR_IN_MEMORY")
            .current_dir(cwd)
            .stderr(Stdio::null());
        Self::spawn(command)
    }

    /// Runs `command` (the binary, set up by the caller: arguments, environment, stderr) with
    /// its stdout piped, and waits for its "listening on" line.
    pub(crate) fn spawn(mut command: Command) -> Self {
        let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line: {line:?}"))
            .to_owned();
        Self { child, url }
    }

    /// Starts the binary on a free port with its state in `data_dir`.
    pub(crate) fn with_data_dir(data_dir: &Path) -> Self {
        let dir = data_dir.to_str().unwrap();
        Self::start(
            data_dir.parent().unwrap(),
            &["--addr", "127.0.0.1:0", "--data-dir", dir],
        )
    }

    /// SIGKILL: no shutdown code runs.
    pub(crate) fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, and waits for a clean exit (the state is checkpointed into the database
    /// file). Uses `kill -TERM`, so Unix only at run time.
    pub(crate) fn stop(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("emulator did not stop within 10 s of SIGTERM");
    }
}

/// A client session against a process.
#[derive(Clone)]
pub(crate) struct Wire {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
    pub(crate) login: Login,
}

impl Wire {
    /// Authenticates the large supplier's user.
    pub(crate) async fn login(base: &str) -> Self {
        let http = http();
        let login = login_of(LARGE, LARGE_USER, PASSWORD, false);
        let outgoing = request::auth_request(&caller(), &login, &auth_public_key()).unwrap();
        let auth = json_of_request(&http, &outgoing, base).await;
        let (_, session) = answer::open_login(&login, &auth).unwrap();
        Self {
            http,
            base: base.to_owned(),
            login: session.unwrap_or_else(|| panic!("auth: {auth}")),
        }
    }

    /// The same session against another base URL (after a restart).
    pub(crate) fn at(&self, base: &str) -> Self {
        Self {
            base: base.to_owned(),
            ..self.clone()
        }
    }

    fn outgoing(&self, method: Method, path: &str, payload: Option<&Value>) -> Outgoing {
        let endpoint = Endpoint {
            method,
            path: path.to_owned(),
            ewb_system: false,
        };
        request::api_request(&caller(), &self.login, &endpoint, payload).unwrap()
    }

    /// POSTs `payload` sealed under the SEK; the raw envelope, or the transport error.
    pub(crate) async fn post(&self, path: &str, payload: &Value) -> reqwest::Result<Value> {
        let outgoing = self.outgoing(Method::POST, path, Some(payload));
        let request = reqwest::Request::try_from(outgoing.to_http(&self.base).unwrap())?;
        self.http.execute(request).await?.json().await
    }

    /// GETs `path`; the raw envelope.
    pub(crate) async fn get(&self, path: &str) -> Value {
        json_of_request(
            &self.http,
            &self.outgoing(Method::GET, path, None),
            &self.base,
        )
        .await
    }

    /// The decrypted `Data` of a success envelope.
    pub(crate) fn open(&self, envelope: &Value) -> Value {
        assert_eq!(envelope["Status"], json!(1), "{envelope}");
        let endpoint = Endpoint::generate_irn();
        answer::open_answer(&endpoint, &self.login, envelope).unwrap()["Data"].clone()
    }

    /// A control-namespace POST.
    pub(crate) async fn control(&self, path: &str, body: &Value) -> Value {
        json_of(
            self.http
                .post(format!("{}/__emulator__/{path}", self.base))
                .json(body),
        )
        .await
    }
}

/// A reqwest client on the workspace's TLS setup (no `ring`).
pub(crate) fn http() -> reqwest::Client {
    irp_client::http_builder().unwrap().build().unwrap()
}

/// Sends a request the client built to `base`; the JSON answer.
pub(crate) async fn json_of_request(
    http: &reqwest::Client,
    outgoing: &Outgoing,
    base: &str,
) -> Value {
    let request = reqwest::Request::try_from(outgoing.to_http(base).unwrap()).unwrap();
    http.execute(request).await.unwrap().json().await.unwrap()
}

/// Sends and parses the JSON answer.
pub(crate) async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}
