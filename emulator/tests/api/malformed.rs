//! Malformed requests of every kind. Each gets the IRP envelope with its documented code,
//! never a panic or a bare error page, and the emulator keeps serving afterwards.

use axum::{body::Body, http::Request};
use base64::{Engine, engine::general_purpose::STANDARD};
use irp_emulator::keys::KeySet;
use rsa::{Oaep, Pkcs1v15Encrypt, RsaPrivateKey, pkcs8::DecodePrivateKey};
use serde_json::json;

use crate::helpers::*;

fn rsa_block(plaintext: &[u8]) -> Vec<u8> {
    auth_public_key()
        .encrypt(&mut rsa::rand_core::OsRng, Pkcs1v15Encrypt, plaintext)
        .unwrap()
}

fn data(block: &[u8]) -> String {
    json!({ "Data": STANDARD.encode(block) }).to_string()
}

fn creds_text(text: &str) -> String {
    data(&rsa_block(STANDARD.encode(text).as_bytes()))
}

fn good() -> String {
    encrypt_credentials(&credentials(LARGE_USER, PASSWORD, false))
}

/// (name, request, expected HTTP status, expected code).
fn table() -> Vec<(&'static str, Request<Body>, u16, &'static str)> {
    let other_key =
        RsaPrivateKey::from_pkcs8_pem(&KeySet::embedded().unwrap().pems.tls_private).unwrap();
    let inner = STANDARD.encode(credentials(LARGE_USER, PASSWORD, false).to_string());
    let wrong_key = other_key
        .to_public_key()
        .encrypt(
            &mut rsa::rand_core::OsRng,
            Pkcs1v15Encrypt,
            inner.as_bytes(),
        )
        .unwrap();
    let oaep = auth_public_key()
        .encrypt(
            &mut rsa::rand_core::OsRng,
            Oaep::new::<sha1::Sha1>(),
            inner.as_bytes(),
        )
        .unwrap();
    let mut flipped = rsa_block(inner.as_bytes());
    flipped[100] ^= 0xff;
    let good_block = rsa_block(inner.as_bytes());
    let good_b64 = STANDARD.encode(&good_block);
    let with_app_key = |key: serde_json::Value| {
        let mut c = credentials(LARGE_USER, PASSWORD, false);
        c["AppKey"] = key;
        encrypt_credentials(&c)
    };
    let auth = |body: String| auth_request(LARGE, body);
    let mut text_plain = auth(good());
    text_plain
        .headers_mut()
        .insert("content-type", "text/plain".parse().unwrap());
    vec![
        ("empty body", auth(String::new()), 200, "1007"),
        ("whitespace body", auth("  \n ".into()), 200, "1007"),
        ("body not JSON", auth("Data=abc".into()), 200, "1007"),
        (
            "truncated JSON",
            auth(r#"{"Data":"abc"#.into()),
            200,
            "1007",
        ),
        ("JSON array", auth("[1,2]".into()), 200, "1007"),
        ("Data missing", auth(r#"{"data2":"x"}"#.into()), 200, "1007"),
        ("Data a number", auth(r#"{"Data":12}"#.into()), 200, "1007"),
        ("Data empty", auth(r#"{"Data":""}"#.into()), 200, "1007"),
        (
            "Data not base64",
            auth(r#"{"Data":"***not base64***"}"#.into()),
            200,
            "1007",
        ),
        (
            "base64 with its tail cut",
            auth(json!({"Data": &good_b64[..good_b64.len() - 3]}).to_string()),
            200,
            "1007",
        ),
        (
            "truncated ciphertext",
            auth(data(&good_block[..128])),
            200,
            "1013",
        ),
        ("ciphertext one byte long", auth(data(&[1])), 200, "1013"),
        (
            "encrypted with another RSA key",
            auth(data(&wrong_key)),
            200,
            "1013",
        ),
        (
            "OAEP instead of PKCS#1 v1.5",
            auth(data(&oaep)),
            200,
            "1013",
        ),
        ("tampered ciphertext", auth(data(&flipped)), 200, "1013"),
        (
            "credentials JSON without the base64 layer",
            auth(data(&rsa_block(
                credentials(LARGE_USER, PASSWORD, false)
                    .to_string()
                    .as_bytes(),
            ))),
            200,
            "1007",
        ),
        (
            "credentials base64 but not JSON",
            auth(creds_text("hello")),
            200,
            "1007",
        ),
        (
            "credentials a JSON array",
            auth(creds_text("[]")),
            200,
            "1007",
        ),
        (
            "UserName a number",
            auth(creds_text(
                r#"{"UserName":12,"Password":"x","AppKey":"AAAA"}"#,
            )),
            200,
            "1007",
        ),
        (
            "ForceRefresh not a boolean",
            auth(creds_text(&format!(
                r#"{{"UserName":"{LARGE_USER}","Password":"{PASSWORD}","AppKey":"{}","ForceRefreshAccessToken":"maybe"}}"#,
                STANDARD.encode(APP_KEY)
            ))),
            200,
            "1007",
        ),
        (
            "Password missing",
            auth(creds_text(&format!(
                r#"{{"UserName":"{LARGE_USER}","AppKey":"{}"}}"#,
                STANDARD.encode(APP_KEY)
            ))),
            200,
            "1007",
        ),
        (
            "AppKey missing",
            auth(creds_text(&format!(
                r#"{{"UserName":"{LARGE_USER}","Password":"{PASSWORD}"}}"#
            ))),
            200,
            "1016",
        ),
        (
            "AppKey not base64",
            auth(with_app_key(json!("%%%"))),
            200,
            "1016",
        ),
        (
            "AppKey of 31 bytes",
            auth(with_app_key(json!(STANDARD.encode([1u8; 31])))),
            200,
            "1016",
        ),
        (
            "AppKey a number",
            auth(with_app_key(json!(42))),
            200,
            "1016",
        ),
        ("content type text/plain", text_plain, 415, "415"),
        (
            "unknown path",
            Request::get("/eivital/v1.04/nothing")
                .body(Body::empty())
                .unwrap(),
            404,
            "404",
        ),
        (
            "NIC doc placeholder path",
            Request::post("/api/auth").body(Body::from(good())).unwrap(),
            404,
            "404",
        ),
        (
            "GET on the auth API",
            Request::get("/eivital/v1.04/auth")
                .body(Body::empty())
                .unwrap(),
            405,
            "405",
        ),
        (
            "DELETE on GSTIN details",
            Request::delete(format!("/eivital/v1.03/Master/gstin/{LARGE}"))
                .body(Body::empty())
                .unwrap(),
            405,
            "405",
        ),
    ]
}

#[tokio::test]
async fn each_malformed_request_gets_its_envelope_and_code() {
    let (state, _) = state();
    let cases = table();
    assert!(cases.len() >= 20);
    let mut failures = Vec::new();
    for (name, request, status, code) in cases {
        let answer = oneshot(&state, request).await;
        let ok = answer.status.as_u16() == status
            && answer.code() == code
            && answer.body["Status"] == json!(0)
            && answer.body["ErrorDetails"].is_array();
        if !ok {
            failures.push(format!(
                "{name}: expected {status}/{code}, got {}/{}",
                answer.status, answer.body
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Still serving.
    login(&state, LARGE, LARGE_USER, false).await;
}

#[tokio::test]
async fn ten_megabyte_body_gets_5002_over_a_socket_and_the_server_keeps_serving() {
    let app = spawn_app().await;
    let client = crate::wire::http();
    let huge = format!(r#"{{"Data":"{}"}}"#, "A".repeat(10 * 1024 * 1024));
    let url = format!("http://{}/eivital/v1.04/auth", app.addr);
    let send = |body: String| {
        client
            .post(&url)
            .header("client_id", CLIENT_ID)
            .header("client_secret", CLIENT_SECRET)
            .header("Gstin", LARGE)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let response = send(huge).await.unwrap();
    assert_eq!(response.status(), 413);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["ErrorDetails"][0]["ErrorCode"], "5002");
    assert_eq!(body["Status"], 0);

    let response = send(good()).await.unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["Status"], 1, "{body}");
}

#[tokio::test]
async fn body_over_the_limit_without_content_length_is_refused_too() {
    let (state, _) = state();
    // No Content-Length header: the limit is enforced while reading.
    let request = Request::post("/eivital/v1.04/auth")
        .header("client_id", CLIENT_ID)
        .header("client_secret", CLIENT_SECRET)
        .header("Gstin", LARGE)
        .body(Body::from(vec![b' '; 12 * 1024 * 1024]))
        .unwrap();
    assert!(request.headers().get("content-length").is_none());
    let answer = oneshot(&state, request).await;
    assert_eq!(answer.status, 413);
    answer.assert_error("5002");
}
