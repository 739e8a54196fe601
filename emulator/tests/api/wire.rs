//! The emulator binary as a separate process, and a client that speaks to it over the
//! network with the test-side crypto: for restarts, `kill -9`, and fixtures.

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
};

use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};

use crate::helpers::*;

const BIN: &str = env!("CARGO_BIN_EXE_irp-emulator");

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
        let mut child = Command::new(BIN)
            .args(args)
            .env_remove("IRP_EMULATOR_ADDR")
            .env_remove("IRP_EMULATOR_DATA_DIR")
            .env_remove("IRP_EMULATOR_IN_MEMORY")
            .current_dir(cwd)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
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
        let http = reqwest::Client::new();
        let auth: Value = http
            .post(format!("{base}/eivital/v1.04/auth"))
            .header("client_id", CLIENT_ID)
            .header("client_secret", CLIENT_SECRET)
            .header("Gstin", LARGE)
            .header("Content-Type", "application/json")
            .body(encrypt_credentials(&credentials(
                LARGE_USER, PASSWORD, false,
            )))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(auth["Status"], json!(1), "{auth}");
        let data = &auth["Data"];
        let sek = aes_decrypt(
            &APP_KEY,
            &STANDARD.decode(data["Sek"].as_str().unwrap()).unwrap(),
        );
        Self {
            http,
            base: base.to_owned(),
            login: Login {
                token: data["AuthToken"].as_str().unwrap().to_owned(),
                sek,
                expiry: data["TokenExpiry"].as_str().unwrap().to_owned(),
                gstin: LARGE.to_owned(),
                user: LARGE_USER.to_owned(),
            },
        }
    }

    /// The same session against another base URL (after a restart).
    pub(crate) fn at(&self, base: &str) -> Self {
        Self {
            base: base.to_owned(),
            ..self.clone()
        }
    }

    fn headers(&self, builder: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        builder
            .header("client_id", CLIENT_ID)
            .header("client_secret", CLIENT_SECRET)
            .header("Gstin", &self.login.gstin)
            .header("user_name", &self.login.user)
            .header("AuthToken", &self.login.token)
    }

    /// POSTs `payload` sealed under the SEK; the raw envelope, or the transport error.
    pub(crate) async fn post(&self, path: &str, payload: &Value) -> reqwest::Result<Value> {
        let sealed = STANDARD.encode(aes_encrypt(&self.login.sek, payload.to_string().as_bytes()));
        self.headers(self.http.post(format!("{}{path}", self.base)))
            .header("Content-Type", "application/json")
            .body(json!({ "Data": sealed }).to_string())
            .send()
            .await?
            .json()
            .await
    }

    /// GETs `path`; the raw envelope.
    pub(crate) async fn get(&self, path: &str) -> Value {
        json_of(self.headers(self.http.get(format!("{}{path}", self.base)))).await
    }

    /// The decrypted `Data` of a success envelope.
    pub(crate) fn open(&self, envelope: &Value) -> Value {
        assert_eq!(envelope["Status"], json!(1), "{envelope}");
        let sealed = STANDARD.decode(envelope["Data"].as_str().unwrap()).unwrap();
        serde_json::from_slice(&aes_decrypt(&self.login.sek, &sealed)).unwrap()
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

/// Sends and parses the JSON answer.
pub(crate) async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}
