//! Test harness: in-process apps, real-socket apps, and an independent client.

use std::net::SocketAddr;

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyInit, block_padding::Pkcs7};
use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Request, StatusCode},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use http_body_util::BodyExt;
use irp_emulator::{clock::Clock, config::Settings, keys::KeySet, state::AppState};
use rsa::{Pkcs1v15Encrypt, RsaPublicKey, pkcs8::DecodePublicKey};
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

/// Sends a request through the router (no socket), as a loopback caller.
pub(crate) async fn oneshot(state: &AppState, mut request: Request<Body>) -> Answer {
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let response = irp_emulator::app(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    Answer { status, body }
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

/// RSA-PKCS#1 v1.5 encrypts base64(`credentials`) and wraps it as the auth body.
pub(crate) fn encrypt_credentials(credentials: &Value) -> String {
    let inner = STANDARD.encode(credentials.to_string());
    let block = auth_public_key()
        .encrypt(
            &mut rsa::rand_core::OsRng,
            Pkcs1v15Encrypt,
            inner.as_bytes(),
        )
        .unwrap();
    json!({ "Data": STANDARD.encode(block) }).to_string()
}

pub(crate) fn credentials(user: &str, password: &str, force: bool) -> Value {
    json!({
        "UserName": user,
        "Password": password,
        "AppKey": STANDARD.encode(APP_KEY),
        "ForceRefreshAccessToken": force,
    })
}

/// AES-ECB-PKCS7 decryption with a 16- or 32-byte key (RustCrypto).
pub(crate) fn aes_decrypt(key: &[u8], ciphertext: &[u8]) -> Vec<u8> {
    match key.len() {
        16 => ecb::Decryptor::<aes::Aes128>::new_from_slice(key)
            .unwrap()
            .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
            .unwrap(),
        32 => ecb::Decryptor::<aes::Aes256>::new_from_slice(key)
            .unwrap()
            .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
            .unwrap(),
        n => panic!("no AES-{}", n * 8),
    }
}

/// AES-256-ECB-PKCS7 encryption under a session key (RustCrypto).
pub(crate) fn aes_encrypt(key: &[u8], plaintext: &[u8]) -> Vec<u8> {
    ecb::Encryptor::<aes::Aes256>::new_from_slice(key)
        .unwrap()
        .encrypt_padded_vec_mut::<Pkcs7>(plaintext)
}

/// An authenticated POST whose `Data` is `payload` sealed under the session key.
pub(crate) fn authed_post(login: &Login, path: &str, payload: &Value) -> Request<Body> {
    let sealed = STANDARD.encode(aes_encrypt(&login.sek, payload.to_string().as_bytes()));
    with_session(Request::post(path), login)
        .header("Content-Type", "application/json")
        .body(Body::from(json!({ "Data": sealed }).to_string()))
        .unwrap()
}

/// A logged-in session as a client holds it.
#[derive(Debug, Clone)]
pub(crate) struct Login {
    pub(crate) token: String,
    pub(crate) sek: Vec<u8>,
    pub(crate) expiry: String,
    pub(crate) gstin: String,
    pub(crate) user: String,
}

/// Authenticates `user` for `gstin` and unwraps the SEK.
pub(crate) async fn login(state: &AppState, gstin: &str, user: &str, force: bool) -> Login {
    let answer = oneshot(
        state,
        auth_request(
            gstin,
            encrypt_credentials(&credentials(user, PASSWORD, force)),
        ),
    )
    .await;
    assert_eq!(answer.body["Status"], json!(1), "{answer:?}");
    let data = &answer.body["Data"];
    let sek = aes_decrypt(
        &APP_KEY,
        &STANDARD.decode(data["Sek"].as_str().unwrap()).unwrap(),
    );
    assert_eq!(sek.len(), 32);
    Login {
        token: data["AuthToken"].as_str().unwrap().to_owned(),
        sek,
        expiry: data["TokenExpiry"].as_str().unwrap().to_owned(),
        gstin: gstin.to_owned(),
        user: user.to_owned(),
    }
}

/// The client, user and token headers of a session.
fn with_session(
    builder: axum::http::request::Builder,
    login: &Login,
) -> axum::http::request::Builder {
    builder
        .header("client_id", CLIENT_ID)
        .header("client_secret", CLIENT_SECRET)
        .header("Gstin", &login.gstin)
        .header("user_name", &login.user)
        .header("AuthToken", &login.token)
}

/// An authenticated GET with the usual headers.
pub(crate) fn authed_get(login: &Login, path: &str) -> Request<Body> {
    with_session(Request::get(path), login)
        .body(Body::empty())
        .unwrap()
}

/// Decrypts the `Data` of a success answer with the session key.
pub(crate) fn open(login: &Login, answer: &Answer) -> Value {
    assert_eq!(answer.body["Status"], json!(1), "{answer:?}");
    let sealed = STANDARD
        .decode(answer.body["Data"].as_str().unwrap())
        .unwrap();
    serde_json::from_slice(&aes_decrypt(&login.sek, &sealed)).unwrap()
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
    let (state, clock) = state();
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
