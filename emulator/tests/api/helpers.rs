//! Test harness: in-process apps, real-socket apps, and the client side, which is the
//! `irp-client` crate's sans-IO core (requests built and answers opened by it, sent through
//! the router with `oneshot`, no socket). Hand-built bodies for malformed cases stay in
//! their modules.

use std::net::SocketAddr;

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Method, Request, StatusCode},
};
use http_body_util::BodyExt;
use irp_client::{Caller, Encryption, Endpoint, Outgoing, cipher, request};
use irp_emulator::{clock::Clock, config::Settings, keys::KeySet, state::AppState};
use rsa::{RsaPublicKey, pkcs8::DecodePublicKey};
use serde_json::{Value, json};
use time::{OffsetDateTime, macros::datetime};
use tower::ServiceExt;

pub(crate) const CLIENT_ID: &str = "irp-emulator-client";
pub(crate) const CLIENT_SECRET: &str = "irp-emulator-secret";
pub(crate) const PASSWORD: &str = "Emulator@123";
pub(crate) const LARGE: &str = "29AAACL1111A1ZD";
pub(crate) const LARGE_USER: &str = "large_supplier";
pub(crate) const APP_KEY: [u8; 32] = [0x5a; 32];
/// The fixed start of every test clock: 2026-03-31 10:00:00 IST.
pub(crate) const T0: OffsetDateTime = datetime!(2026-03-31 10:00:00 +5:30);

/// An emulator state with the test keys and a fixed clock.
pub(crate) fn state_with(settings: Settings) -> (AppState, Clock) {
    let clock = Clock::fixed(T0);
    let state = AppState::new(settings, KeySet::embedded().unwrap(), clock.clone()).unwrap();
    (state, clock)
}

pub(crate) fn state() -> (AppState, Clock) {
    state_with(Settings::default())
}

/// A response, decoded.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) body: Value,
}

impl Answer {
    /// The first `ErrorCode`, or "" on success.
    pub(crate) fn code(&self) -> String {
        self.body["ErrorDetails"][0]["ErrorCode"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Asserts the IRP error envelope with `code`.
    #[track_caller]
    pub(crate) fn assert_error(&self, code: &str) {
        assert_eq!(self.body["Status"], json!(0), "{self:?}");
        assert_eq!(self.body["Data"], Value::Null, "{self:?}");
        assert_eq!(self.code(), code, "{self:?}");
        assert!(
            self.body["ErrorDetails"][0]["ErrorMessage"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        assert!(self.body.as_object().unwrap().contains_key("InfoDtls"));
    }
}

/// An answer as received: status, headers and the body as text (JSON or not) and bytes.
#[derive(Debug)]
pub(crate) struct Raw {
    pub(crate) status: StatusCode,
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) text: String,
    pub(crate) bytes: Vec<u8>,
}

impl Raw {
    /// The body as JSON (panics with the text when it is not).
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// A header's value, or "" without it.
    pub(crate) fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map_or("", |v| v.to_str().unwrap_or(""))
    }
}

/// Sends a request through the router (no socket), as a caller at `peer`; the answer raw.
pub(crate) async fn oneshot_from(
    state: &AppState,
    mut request: Request<Body>,
    peer: SocketAddr,
) -> Raw {
    request.extensions_mut().insert(ConnectInfo(peer));
    let response = irp_emulator::app(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Raw {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
        bytes: bytes.to_vec(),
    }
}

/// Sends a request through the router (no socket), as a loopback caller; the answer raw.
pub(crate) async fn oneshot_raw(state: &AppState, request: Request<Body>) -> Raw {
    oneshot_from(state, request, SocketAddr::from(([127, 0, 0, 1], 40000))).await
}

/// Sends a request through the router (no socket), as a loopback caller; the answer JSON.
pub(crate) async fn oneshot(state: &AppState, request: Request<Body>) -> Answer {
    let raw = oneshot_raw(state, request).await;
    Answer {
        status: raw.status,
        body: raw.json(),
    }
}

/// Headers of an auth call.
pub(crate) fn auth_request(gstin: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post("/eivital/v1.04/auth")
        .header("client_id", CLIENT_ID)
        .header("client_secret", CLIENT_SECRET)
        .header("Gstin", gstin)
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap()
}

/// The auth public key of the test set.
pub(crate) fn auth_public_key() -> RsaPublicKey {
    RsaPublicKey::from_public_key_pem(&KeySet::embedded().unwrap().pems.auth_public).unwrap()
}

/// The default API client of the emulator.
pub(crate) fn caller() -> Caller {
    Caller::new(CLIENT_ID, CLIENT_SECRET)
}

/// The auth body `{"Data": …}` of `credentials`, encrypted as NIC specifies (irp-client).
pub(crate) fn encrypt_credentials(credentials: &Value) -> String {
    let data = cipher::encrypt_credentials(
        &auth_public_key(),
        credentials.to_string().as_bytes(),
        Encryption::Pkcs1,
    )
    .unwrap();
    json!({ "Data": data }).to_string()
}

/// `user`'s login with `password` and the fixed test AppKey.
pub(crate) fn login_of(gstin: &str, user: &str, password: &str, force: bool) -> irp_client::Login {
    irp_client::Login::new(gstin, user, password)
        .with_app_key(&APP_KEY)
        .force_refresh(force)
}

/// The credentials JSON of `user` with the fixed test AppKey.
pub(crate) fn credentials(user: &str, password: &str, force: bool) -> Value {
    login_of("", user, password, force).credentials()
}

/// AES-ECB-PKCS7 decryption with a 16- or 32-byte key (irp-client, RustCrypto).
pub(crate) fn aes_decrypt(key: &[u8], ciphertext: &[u8]) -> Vec<u8> {
    cipher::unseal(key, ciphertext).unwrap()
}

/// AES-ECB-PKCS7 encryption under a session key (irp-client, RustCrypto).
pub(crate) fn aes_encrypt(key: &[u8], plaintext: &[u8]) -> Vec<u8> {
    cipher::seal(key, plaintext).unwrap()
}

/// An in-process request from a request the client built.
pub(crate) fn in_process(outgoing: &Outgoing) -> Request<Body> {
    outgoing.to_http("").unwrap().map(Body::from)
}

/// An endpoint of `method` and `path` in the IRP envelope.
fn endpoint(method: Method, path: &str) -> Endpoint {
    Endpoint {
        method,
        path: path.to_owned(),
        ewb_system: false,
    }
}

/// An authenticated POST whose `Data` is `payload` sealed under the session key.
pub(crate) fn authed_post(login: &Login, path: &str, payload: &Value) -> Request<Body> {
    let endpoint = endpoint(Method::POST, path);
    in_process(&request::api_request(&caller(), login, &endpoint, Some(payload)).unwrap())
}

/// An authenticated GET with the usual headers.
pub(crate) fn authed_get(login: &Login, path: &str) -> Request<Body> {
    let endpoint = endpoint(Method::GET, path);
    in_process(&request::api_request(&caller(), login, &endpoint, None).unwrap())
}

/// A logged-in session as a client holds it: the client crate's own.
pub(crate) type Login = irp_client::Session;

/// Authenticates `user` for `gstin` and unwraps the SEK, through the router.
pub(crate) async fn login(state: &AppState, gstin: &str, user: &str, force: bool) -> Login {
    let login = login_of(gstin, user, PASSWORD, force);
    let outgoing = request::auth_request(&caller(), &login, &auth_public_key()).unwrap();
    let answer = oneshot(state, in_process(&outgoing)).await;
    assert_eq!(answer.body["Status"], json!(1), "{answer:?}");
    let (_, session) = irp_client::answer::open_login(&login, &answer.body).unwrap();
    let session = session.unwrap();
    assert_eq!(session.sek.len(), 32);
    session
}

/// Decrypts the `Data` of a success answer with the session key.
pub(crate) fn open(login: &Login, answer: &Answer) -> Value {
    assert_eq!(answer.body["Status"], json!(1), "{answer:?}");
    let endpoint = Endpoint::generate_irn();
    let doc = irp_client::answer::open_answer(&endpoint, login, &answer.body).unwrap();
    assert!(!doc["Data"].is_string(), "Data is not JSON: {doc}");
    doc["Data"].clone()
}

/// A running emulator on a real loopback port.
pub(crate) struct TestApp {
    pub(crate) addr: SocketAddr,
    pub(crate) clock: Clock,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub(crate) async fn spawn_app() -> TestApp {
    spawn_app_with(Settings::default()).await
}

/// A running emulator with `settings` on a real loopback port.
pub(crate) async fn spawn_app_with(settings: Settings) -> TestApp {
    let (state, clock) = state_with(settings);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(irp_emulator::serve(listener, state.clone(), async {
        let _ = stopped.await;
    }));
    TestApp {
        addr,
        clock,
        stop: Some(stop),
    }
}
