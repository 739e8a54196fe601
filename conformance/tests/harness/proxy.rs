//! `irp-conformance proxy` between an "ERP" (the `irp-client` crate, which shares no code
//! with the proxy's crypto) and an upstream emulator started with its own, different key
//! set, as NIC's keys differ from the emulator's built-in ones.
//!
//! A tap between the proxy and the upstream records what the proxy sends and receives, so
//! the tests can see the proxy's own AppKey (decrypted with the upstream's private key)
//! and the upstream's raw answers.

use std::{
    collections::{BTreeMap, BTreeSet},
    net::SocketAddr,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, Method, Uri},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use irp_client::{Answer, Caller, Client, Login, Portal, Session, Verifier, cipher, request};
use irp_conformance::{
    generator::{Generator, Parties},
    local::LocalEmulator,
    profile::Profile,
    proxy::{self, Limits, Options, Proxy},
    scenario::InvoiceSpec,
    target::IST,
};
use irp_emulator::{
    clock::Clock,
    config::Settings,
    crypto::{hex_lower, hex_upper},
    journal::token_fingerprint,
    keys::{KeyPems, KeySet},
};
use rsa::{RsaPublicKey, pkcs8::DecodePublicKey};
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};
use tokio::sync::oneshot;

use crate::cli::{conformance, json as read_json, text, workspace};

/// One exchange the tap saw: the body the proxy sent upstream and the upstream's answer.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    request: Vec<u8>,
    response: Vec<u8>,
}

/// Records every exchange between the proxy and the upstream, passing it on unchanged.
#[derive(Clone)]
struct Tap {
    target: String,
    http: reqwest::Client,
    seen: Arc<Mutex<Vec<Seen>>>,
}

async fn tap_handler(
    State(tap): State<Tap>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let mut forwarded = headers.clone();
    forwarded.remove("host");
    forwarded.remove("content-length");
    let answer = tap
        .http
        .request(method, format!("{}{path}", tap.target))
        .headers(forwarded)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    let status = answer.status();
    let headers = answer.headers().clone();
    let bytes = answer.bytes().await.unwrap().to_vec();
    tap.seen.lock().unwrap().push(Seen {
        path,
        request: body.to_vec(),
        response: bytes.clone(),
    });
    let content_type = headers.get("content-type").cloned();
    let mut response = (status, bytes).into_response();
    if let Some(value) = content_type {
        response.headers_mut().insert("content-type", value);
    }
    response
}

/// Serves `router` on a free loopback port until the sender is dropped.
async fn spawn(router: Router) -> (String, oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    (format!("http://{addr}"), stop)
}

/// An emulator with its own key set, behind a tap.
struct Upstream {
    emulator: LocalEmulator,
    pems: KeyPems,
    tap: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    _keys: tempfile::TempDir,
    _stop_tap: oneshot::Sender<()>,
}

impl Upstream {
    async fn start() -> Self {
        let keys = tempfile::tempdir().unwrap();
        irp_emulator::keys::generate(keys.path()).unwrap();
        let pems = KeyPems::read_dir(keys.path()).unwrap();
        assert_ne!(pems.auth_public, KeyPems::embedded().auth_public);
        let emulator = LocalEmulator::start_with_keys(
            Settings::default(),
            KeySet::from_pems(pems.clone()).unwrap(),
            Clock::system(),
        )
        .await
        .unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let tap = Tap {
            target: emulator.base.clone(),
            http: http(),
            seen: seen.clone(),
        };
        let router = Router::new().fallback(tap_handler).with_state(tap);
        let (base, stop) = spawn(router).await;
        Self {
            emulator,
            pems,
            tap: base,
            seen,
            _keys: keys,
            _stop_tap: stop,
        }
    }

    /// The auth exchanges the tap saw, oldest first.
    fn logins(&self) -> Vec<Seen> {
        let seen = self.seen.lock().unwrap();
        seen.iter()
            .filter(|s| s.path.ends_with("/auth"))
            .cloned()
            .collect()
    }

    /// The credentials the proxy sent upstream in `login`, decrypted with the upstream's key.
    fn credentials(&self, login: &Seen) -> Value {
        let keys = KeySet::from_pems(self.pems.clone()).unwrap();
        let outer: Value = serde_json::from_slice(&login.request).unwrap();
        let block = STANDARD.decode(outer["Data"].as_str().unwrap()).unwrap();
        let inner = keys.credential.decrypt(&block).unwrap();
        serde_json::from_slice(&STANDARD.decode(inner).unwrap()).unwrap()
    }
}

/// A proxy started in this process.
struct Running {
    base: String,
    _stop: oneshot::Sender<()>,
}

async fn start_proxy(upstream: &str, profile: Profile, journal_out: Option<PathBuf>) -> Running {
    let proxy = Proxy::new(Options {
        upstream: upstream.to_owned(),
        profile,
        keys: KeyPems::embedded(),
        journal_out,
        admin_token: None,
        limits: Limits::default(),
    })
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(proxy::serve(listener, proxy, async {
        let _ = stopped.await;
    }));
    Running { base, _stop: stop }
}

/// The ERP: the harness's client, pointed at the proxy with the proxy's public key (the
/// emulator's built-in test key, read from `keys/auth-public.pem`).
fn erp(proxy: &str, profile: &Profile) -> Client {
    let pem = std::fs::read_to_string(workspace().join("keys/auth-public.pem")).unwrap();
    let portal = Portal {
        base: proxy.to_owned(),
        caller: Caller::new(&profile.client_id, &profile.client_secret),
        auth_public: RsaPublicKey::from_public_key_pem(&pem).unwrap(),
        admin_token: None,
    };
    Client::new(portal, Duration::from_secs(30)).unwrap()
}

fn supplier_login(profile: &Profile) -> Login {
    let supplier = profile.party("supplier").unwrap();
    Login::new(
        &supplier.gstin,
        supplier.username.clone().unwrap(),
        supplier.password.clone().unwrap(),
    )
}

fn invoice(profile: &Profile, spec: Value, doc_no: &str, date: Date) -> Value {
    let spec: InvoiceSpec = serde_json::from_value(spec).unwrap();
    let parties = Parties {
        seller: profile.party("supplier").unwrap(),
        buyer: Some(profile.party("buyer_other_state").unwrap()),
    };
    Generator::new(7, "proxy").invoice(&spec, parties, doc_no, date)
}

fn ok(answer: &Answer) {
    assert_eq!(answer.status(), Some(1), "{}: {}", answer.call, answer.doc);
}

/// An HTTP client (rustls on AWS-LC, as the client crate sets it up).
fn http() -> reqwest::Client {
    irp_client::http_builder().unwrap().build().unwrap()
}

async fn get_text(url: &str) -> String {
    let response = http().get(url).send().await.unwrap();
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    response.text().await.unwrap()
}

async fn journal(base: &str) -> Vec<Value> {
    let text = get_text(&format!("{base}/__emulator__/journal?limit=10000")).await;
    let page: Value = serde_json::from_str(&text).unwrap();
    page["entries"].as_array().unwrap().clone()
}

/// The IRNs of accepted Generate IRN calls in a journal.
fn generated_irns(entries: &[Value]) -> BTreeSet<String> {
    entries
        .iter()
        .filter(|e| e["api"] == "generate_irn" && e["status"] == 1)
        .map(|e| e["response"]["Data"]["Irn"].as_str().unwrap().to_owned())
        .collect()
}

/// `report --journal SOURCE` (exit 0 or 1: counts are reported either way); the per-API
/// success and failure tallies of its `report.json`.
async fn tallies(source: String) -> BTreeMap<String, (u64, u64)> {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap().to_owned();
    let output = tokio::task::spawn_blocking(move || {
        conformance(&["report", "--journal", &source, "--out", &dir])
    })
    .await
    .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        text(&output)
    );
    let report = read_json(&out.path().join("report.json"));
    report["tallies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let count = |k: &str| t[k].as_u64().unwrap();
            (
                t["api"].as_str().unwrap().to_owned(),
                (count("success"), count("failure") + count("failed")),
            )
        })
        .collect()
}

fn assert_holds_none(what: &str, bytes: &[u8], secrets: &[(String, String)]) {
    let text = String::from_utf8_lossy(bytes);
    for (name, secret) in secrets {
        assert!(!secret.is_empty(), "{name} is empty");
        assert!(!text.contains(secret.as_str()), "{what} holds the {name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erp_through_the_proxy_reaches_the_upstream_and_the_journals_agree() {
    let upstream = Upstream::start().await;
    let files = tempfile::tempdir().unwrap();
    let jsonl = files.path().join("proxy.jsonl");
    let proxy = start_proxy(&upstream.tap, Profile::emulator(), Some(jsonl.clone())).await;
    let profile = Profile::emulator();
    let client = erp(&proxy.base, &profile);
    let verifier = Verifier::from_certificate_pem(&upstream.pems.signing_cert).unwrap();
    let builtin = Verifier::from_certificate_pem(&KeyPems::embedded().signing_cert).unwrap();

    let login = supplier_login(&profile);
    let (answer, session) = client.auth(&login).await.unwrap();
    ok(&answer);
    let session: Session = session.unwrap();
    let buyer = profile.party("buyer_other_state").unwrap();
    let details = client.gstin_details(&session, &buyer.gstin).await.unwrap();
    ok(&details);
    assert_eq!(details.data()["Gstin"], buyer.gstin.as_str());

    // Generate IRN without and with an e-way bill; the signed documents are the
    // upstream's, verified with its certificate and not with the proxy's.
    let today = OffsetDateTime::now_utc().to_offset(IST).date();
    let plain = invoice(&profile, json!({ "items": 2 }), "PX/1", today);
    let first = client.generate_irn(&session, &plain).await.unwrap();
    ok(&first);
    let irn = first.data()["Irn"].as_str().unwrap().to_owned();
    for member in ["SignedInvoice", "SignedQRCode"] {
        let jws = first.data()[member].as_str().unwrap();
        assert_eq!(
            verifier.verify(jws).unwrap()["Irn"],
            irn.as_str(),
            "{member}"
        );
        assert!(
            builtin.verify(jws).is_err(),
            "{member} verifies with the built-in key"
        );
    }
    let ewb_spec = json!({ "items": 2, "ewb": { "mode": 1, "distance": 950 } });
    let with_ewb = invoice(&profile, ewb_spec, "PX/2", today);
    let second = client.generate_irn(&session, &with_ewb).await.unwrap();
    ok(&second);
    let ewb_no = second.data()["EwbNo"].as_u64().unwrap();
    let got = client.get_irn(&session, &irn).await.unwrap();
    ok(&got);
    let signed = got.data()["SignedInvoice"].as_str().unwrap();
    assert_eq!(verifier.verify(signed).unwrap()["Irn"], irn.as_str());
    ok(&client
        .cancel_irn(&session, &irn, "1", "Duplicate")
        .await
        .unwrap());
    let duplicate = client.generate_irn(&session, &with_ewb).await.unwrap();
    assert_eq!(duplicate.status(), Some(0));
    assert!(duplicate.error_codes().contains(&"2150".to_owned()));
    assert!(duplicate.info_codes().contains(&"DUPIRN".to_owned()));
    let mut bad_hsn = invoice(&profile, json!({ "items": 1 }), "PX/3", today);
    bad_hsn["ItemList"][0]["HsnCd"] = json!("8471");
    let refused = client.generate_irn(&session, &bad_hsn).await.unwrap();
    assert_eq!(refused.error_codes(), ["2176"], "{}", refused.doc);
    // The e-way bill system's lower-case envelope goes through too.
    let irn2 = second.data()["Irn"].as_str().unwrap();
    ok(&client.get_ewb(&session, irn2).await.unwrap());
    let cancelled = client
        .cancel_ewb(&session, ewb_no, 2, "Order cancelled")
        .await
        .unwrap();
    ok(&cancelled);

    // A second login, hand-built and read as raw bytes: the ERP's answer is the upstream's,
    // byte for byte, but for the value of Data.Sek.
    let relogin = supplier_login(&profile);
    let out = request::auth_request(
        &Caller::new(&profile.client_id, &profile.client_secret),
        &relogin,
        &client.portal().auth_public,
    )
    .unwrap();
    let raw = http()
        .execute(reqwest::Request::try_from(out.to_http(&proxy.base).unwrap()).unwrap())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let logins = upstream.logins();
    assert_eq!(logins.len(), 2, "two logins went upstream");
    let upstream_raw = &logins[1].response;
    let erp_sek = serde_json::from_slice::<Value>(&raw).unwrap()["Data"]["Sek"]
        .as_str()
        .unwrap()
        .to_owned();
    let upstream_sek = serde_json::from_slice::<Value>(upstream_raw).unwrap()["Data"]["Sek"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(erp_sek, upstream_sek);
    assert_eq!(
        String::from_utf8(raw.clone())
            .unwrap()
            .replace(&erp_sek, &upstream_sek),
        String::from_utf8(upstream_raw.clone()).unwrap()
    );
    assert_eq!(
        cipher::open(&relogin.app_key, &erp_sek).unwrap(),
        session.sek,
        "the same SEK, wrapped under the ERP's AppKey"
    );

    // The proxy logged in with AppKeys of its own, never the ERP's.
    let erp_keys: Vec<String> = [&login, &relogin]
        .iter()
        .map(|l| STANDARD.encode(&l.app_key))
        .collect();
    let proxy_keys: Vec<String> = logins
        .iter()
        .map(|l| {
            let credentials = upstream.credentials(l);
            assert_eq!(credentials["UserName"], login.user_name.as_str());
            assert_eq!(credentials["Password"], login.password.as_str());
            credentials["AppKey"].as_str().unwrap().to_owned()
        })
        .collect();
    for key in &proxy_keys {
        assert_eq!(STANDARD.decode(key).unwrap().len(), 32);
        assert!(!erp_keys.contains(key), "the ERP's AppKey went upstream");
    }

    // The upstream registered what the ERP was told, and the proxy journaled it decrypted.
    let upstream_journal = journal(&upstream.emulator.base).await;
    let entries = journal(&proxy.base).await;
    assert_eq!(entries.len(), 11, "{entries:#?}");
    assert_eq!(entries.len(), upstream_journal.len());
    let irn2 = irn2.to_owned();
    assert_eq!(
        generated_irns(&entries),
        BTreeSet::from([irn.clone(), irn2.clone()])
    );
    assert_eq!(generated_irns(&upstream_journal), generated_irns(&entries));
    for entry in &entries {
        assert_eq!(entry["upstream"], upstream.tap.as_str(), "{entry}");
        assert_eq!(entry["fault"], Value::Null);
    }
    let apis: Vec<&str> = entries.iter().map(|e| e["api"].as_str().unwrap()).collect();
    assert_eq!(
        apis,
        [
            "auth",
            "gstin_details",
            "generate_irn",
            "generate_irn",
            "get_irn",
            "cancel_irn",
            "generate_irn",
            "generate_irn",
            "get_ewb",
            "cancel_ewb",
            "auth",
        ]
    );
    let auth = &entries[0];
    assert_eq!(auth["request"]["UserName"], login.user_name.as_str());
    assert_eq!(auth["request"]["Password"], "***");
    assert_eq!(auth["request"]["AppKey"], "***");
    assert_eq!(auth["response"]["Data"]["Sek"], "***");
    assert_eq!(
        auth["response"]["Data"]["AuthToken"],
        token_fingerprint(&session.token)
    );
    let generate = &entries[2];
    assert_eq!(generate["request"]["DocDtls"]["No"], "PX/1");
    assert_eq!(generate["response"]["Data"]["Irn"], irn.as_str());
    assert!(
        generate["response"]["Data"]["SignedInvoice"]
            .as_str()
            .unwrap()
            .starts_with("eyJ")
    );
    assert_eq!(entries[6]["error_codes"], json!(["2150"]));
    assert_eq!(entries[6]["info_codes"], json!(["DUPIRN"]));
    assert_eq!(entries[7]["error_codes"], json!(["2176"]));
    assert_eq!(entries[7]["request"]["ItemList"][0]["HsnCd"], "8471");
    assert_eq!(entries[5]["request"]["CnlRsn"], "1");
    assert_eq!(entries[9]["request"]["ewbNo"], ewb_no);
    assert_eq!(entries[9]["response"]["status"], "1");
    assert!(entries[9]["response"]["data"]["cancelDate"].is_string());
    assert_eq!(entries[9]["status"], 1);

    // No secret anywhere in the journal's bytes: the file, the page and the export.
    let sek = &session.sek;
    let wrapped_for_erp = STANDARD.encode(cipher::seal(&login.app_key, sek).unwrap());
    let mut secrets = vec![
        ("password".to_owned(), login.password.clone()),
        ("SEK (base64)".to_owned(), STANDARD.encode(sek)),
        ("SEK (hex)".to_owned(), hex_lower(sek)),
        ("SEK (HEX)".to_owned(), hex_upper(sek)),
        ("Sek wrapped for the ERP".to_owned(), wrapped_for_erp),
        ("Sek of the re-login".to_owned(), erp_sek.clone()),
        ("Sek wrapped for the proxy".to_owned(), upstream_sek.clone()),
        ("AuthToken".to_owned(), session.token.clone()),
    ];
    for key in erp_keys.iter().chain(&proxy_keys) {
        secrets.push(("AppKey".to_owned(), key.clone()));
    }
    let page = get_text(&format!("{}/__emulator__/journal?limit=10000", proxy.base)).await;
    let export = get_text(&format!("{}/__emulator__/journal.jsonl", proxy.base)).await;
    let file = std::fs::read(&jsonl).unwrap();
    assert_eq!(
        file,
        export.as_bytes(),
        "the file holds what the export gives"
    );
    assert_holds_none("the journal page", page.as_bytes(), &secrets);
    assert_holds_none("the journal export", export.as_bytes(), &secrets);
    assert_holds_none("--journal-out", &file, &secrets);

    // The report of the proxy's journal counts what the report of the upstream's counts.
    let from_proxy = tallies(proxy.base.clone()).await;
    let from_upstream = tallies(upstream.emulator.base.clone()).await;
    assert_eq!(from_proxy, from_upstream);
    assert_eq!(from_proxy["generate_irn"], (2, 2));
    assert_eq!(from_proxy["auth"], (2, 0));
}

/// A profile for an upstream that is no emulator: PEM paths (any RSA key will do for an
/// upstream that never answers) and a short timeout.
fn pem_profile(dir: &std::path::Path, timeout_seconds: u64) -> PathBuf {
    let keys = workspace().join("keys");
    let text = irp_conformance::profile::EMULATOR_PROFILE
        .replace(
            "auth_public_key = \"fetch\"",
            &format!(
                "auth_public_key = {:?}\ntimeout_seconds = {timeout_seconds}",
                keys.join("auth-public.pem").display().to_string()
            ),
        )
        .replace(
            "signing_certificate = \"fetch\"",
            &format!(
                "signing_certificate = {:?}",
                keys.join("signing-cert.pem").display().to_string()
            ),
        );
    let path = dir.join("profile.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// A session the proxy never saw issued.
fn stranger_session(profile: &Profile) -> Session {
    let supplier = profile.party("supplier").unwrap();
    Session {
        gstin: supplier.gstin.clone(),
        user: supplier.username.clone().unwrap(),
        token: "NotATokenTheProxySawIssued".to_owned(),
        sek: vec![1; 32],
        expiry: String::new(),
    }
}

fn assert_upstream_failure(answer: &Answer, http_status: u16) {
    assert_eq!(answer.http_status, http_status, "{}", answer.doc);
    assert_eq!(answer.status(), Some(0));
    assert_eq!(answer.error_codes(), [http_status.to_string()]);
    let message = answer.doc["ErrorDetails"][0]["ErrorMessage"]
        .as_str()
        .unwrap();
    assert!(message.contains("upstream"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_says_where_it_listens_and_answers_an_unreachable_upstream_with_an_envelope() {
    use std::io::BufRead;

    let files = tempfile::tempdir().unwrap();
    let profile_path = pem_profile(files.path(), 5);
    let jsonl = files.path().join("proxy.jsonl");
    // A port nobody listens on any more.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_irp-conformance"))
        .args([
            "proxy",
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            &upstream,
            "--profile",
            profile_path.to_str().unwrap(),
            "--journal-out",
            jsonl.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let first = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .unwrap();
        line
    })
    .await
    .unwrap();
    let base = first
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {first:?}"))
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");

    let profile = Profile::emulator();
    let client = erp(&base, &profile);
    let (answer, session) = client.auth(&supplier_login(&profile)).await.unwrap();
    assert!(session.is_none());
    assert_upstream_failure(&answer, 502);
    let answer = client
        .gstin_details(&stranger_session(&profile), "29AAACB3333C1Z7")
        .await
        .unwrap();
    assert_upstream_failure(&answer, 502);

    let entries = journal(&base).await;
    let apis: Vec<&str> = entries.iter().map(|e| e["api"].as_str().unwrap()).collect();
    assert_eq!(apis, ["auth", "gstin_details"]);
    for entry in &entries {
        assert_eq!(entry["http_status"], 502);
        assert_eq!(entry["status"], 0);
        assert_eq!(entry["error_codes"], json!(["502"]));
        assert_eq!(entry["upstream"], upstream.as_str());
    }
    // The credentials were read (and masked) before the upstream was found missing.
    assert_eq!(entries[0]["request"]["UserName"], "large_supplier");
    assert_eq!(entries[0]["request"]["Password"], "***");
    let file = std::fs::read_to_string(&jsonl).unwrap();
    assert_eq!(file.lines().count(), 2, "{file}");

    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unreachable") && stderr.contains("logins are answered HTTP 502"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_upstream_is_answered_504_after_the_profile_timeout() {
    // Accepts connections and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = format!("http://{}", silent.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            held.push(stream);
        }
    });
    let files = tempfile::tempdir().unwrap();
    let profile = Profile::load(&pem_profile(files.path(), 1)).unwrap();
    let proxy = start_proxy(&upstream, profile.clone(), None).await;
    let client = erp(&proxy.base, &profile);
    let (answer, _) = client.auth(&supplier_login(&profile)).await.unwrap();
    assert_upstream_failure(&answer, 504);
    let answer = client
        .get_irn(&stranger_session(&profile), &"a".repeat(64))
        .await
        .unwrap();
    assert_upstream_failure(&answer, 504);
    let entries = journal(&proxy.base).await;
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e["http_status"] == 504));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_logins_get_the_upstreams_envelope_and_the_proxy_keeps_serving() {
    let upstream = Upstream::start().await;
    let proxy = start_proxy(&upstream.tap, Profile::emulator(), None).await;
    let profile = Profile::emulator();
    let proxy_key = RsaPublicKey::from_public_key_pem(&KeyPems::embedded().auth_public).unwrap();
    let sealed = |text: &[u8], how| {
        json!({ "Data": cipher::encrypt_credentials(&proxy_key, text, how).unwrap() }).to_string()
    };
    let bad_app_key = json!({ "UserName": "large_supplier", "Password": "Emulator@123",
        "AppKey": "not base64!", "ForceRefreshAccessToken": false });
    let bodies: Vec<(String, &str)> = vec![
        (String::new(), "1007"),
        ("not json".to_owned(), "1007"),
        ("[]".to_owned(), "1007"),
        (r#"{"Data":"!!"}"#.to_owned(), "1007"),
        (
            json!({ "Data": STANDARD.encode([7u8; 256]) }).to_string(),
            "1013",
        ),
        (sealed(b"{}", irp_client::Encryption::Oaep), "1013"),
        (sealed(b"not json", irp_client::Encryption::Pkcs1), "1013"),
        // The proxy opens this one and sends the credentials on with the AppKey as it is.
        (
            sealed(
                bad_app_key.to_string().as_bytes(),
                irp_client::Encryption::Pkcs1,
            ),
            "1016",
        ),
    ];
    let caller = Caller::new(&profile.client_id, &profile.client_secret);
    let supplier = profile.party("supplier").unwrap();
    for (body, code) in &bodies {
        let response = http()
            .post(format!("{}/eivital/v1.04/auth", proxy.base))
            .header("client_id", &caller.client_id)
            .header("client_secret", &caller.client_secret)
            .header("Gstin", &supplier.gstin)
            .header("Content-Type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let status = response.status();
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["Status"], 0, "{body}: {answer}");
        assert_eq!(
            answer["ErrorDetails"][0]["ErrorCode"], *code,
            "{body}: {answer}"
        );
        assert_eq!(status, 200, "{body}");
    }
    // A body over the proxy's limit never reaches the upstream.
    let huge = http()
        .post(format!("{}/eicore/v1.03/Invoice", proxy.base))
        .body(vec![b' '; proxy::BODY_LIMIT + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);
    let answer: Value = huge.json().await.unwrap();
    assert_eq!(answer["ErrorDetails"][0]["ErrorCode"], "5002");

    // An ERP that encrypts with the upstream's key instead of the proxy's still works:
    // the proxy forwards what it cannot open, but cannot decrypt that session's calls.
    let mut portal = erp(&proxy.base, &profile).portal().clone();
    portal.auth_public = RsaPublicKey::from_public_key_pem(&upstream.pems.auth_public).unwrap();
    let misconfigured = Client::new(portal, Duration::from_secs(30)).unwrap();
    let (answer, session) = misconfigured.auth(&supplier_login(&profile)).await.unwrap();
    ok(&answer);
    let details = misconfigured
        .gstin_details(&session.unwrap(), "29AAACB3333C1Z7")
        .await
        .unwrap();
    ok(&details);

    // And the proxy still serves a well-made login.
    let client = erp(&proxy.base, &profile);
    let (answer, session) = client.auth(&supplier_login(&profile)).await.unwrap();
    ok(&answer);
    ok(&client
        .gstin_details(&session.unwrap(), "29AAACB3333C1Z7")
        .await
        .unwrap());

    let entries = journal(&proxy.base).await;
    assert_eq!(entries.len(), bodies.len() + 5, "{entries:#?}");
    let codes: Vec<&str> = entries
        .iter()
        .take(bodies.len())
        .map(|e| e["error_codes"][0].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = bodies.iter().map(|(_, code)| *code).collect();
    assert_eq!(codes, expected);
    // What the proxy could open is journaled, masked; what it could not is null.
    let opened = &entries[bodies.len() - 1]["request"];
    assert_eq!(opened["AppKey"], "***");
    assert_eq!(opened["Password"], "***");
    assert!(
        entries[..bodies.len() - 1]
            .iter()
            .all(|e| e["request"].is_null())
    );
    let huge = &entries[bodies.len()];
    assert_eq!(
        (huge["http_status"].as_u64(), huge["api"].as_str()),
        (Some(413), Some("generate_irn"))
    );
    let unread = &entries[bodies.len() + 2];
    assert_eq!(unread["api"], "gstin_details");
    assert!(unread["response"]["Data"].is_string(), "{unread}");
    let read = &entries[bodies.len() + 4];
    assert_eq!(read["response"]["Data"]["Gstin"], "29AAACB3333C1Z7");
    // The upstream emulator's control namespace is never reached through the proxy, in
    // any spelling: it would answer the proxy (a loopback caller) with every password.
    let sandbox_calls = || {
        let seen = upstream.seen.lock().unwrap();
        seen.iter().filter(|s| s.path.contains("sandbox")).count()
    };
    let before = sandbox_calls();
    for path in [
        "/__emulator__/sandbox",
        "/__Emulator__/sandbox",
        "/%5F%5Femulator__/sandbox",
    ] {
        let response = http()
            .get(format!("{}{path}", proxy.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
    assert_eq!(sandbox_calls(), before);
    // Unknown journal filters are refused, as by the emulator.
    let refused = http()
        .get(format!("{}/__emulator__/journal?colour=red", proxy.base))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
}
