//! The encrypted-envelope decoder: authenticated requests (a real session, so the token
//! check passes) whose body, `Data` and path parameters are fuzzed, through the router.
//!
//! Input: one mode byte, then `Name: value` header lines (they override the session's
//! headers; an empty value removes one), a blank line and the payload. Mode bits 0–1: 0 the
//! payload is the body; 1 it is the `Data` string; 2 it is sealed under the session key
//! (`{"Data": base64(AES(SEK, payload))}`), so the fuzzer reaches the API's own JSON;
//! 3 sealed in the e-way bill system's envelope (`{"action":"CANEWB","data":…}`). Bits 2–4
//! pick the API: Generate IRN, Cancel IRN, e-way bill by IRN, cancel e-way bill, and the
//! GETs whose path or query is the payload (Get IRN, IRN by document, GSTIN details,
//! e-way bill by IRN).

#![no_main]

use axum::http::Method;
use base64::{Engine, engine::general_purpose::STANDARD};
use irp_fuzz::{CLIENT_ID, CLIENT_SECRET, Loose, assert_irp_answer, build, harness};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

/// Percent-encodes everything but unreserved characters, so any bytes make a valid URI
/// (and undecodable UTF-8 reaches the emulator's path decoding).
fn escape(bytes: &[u8], keep: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let harness = harness();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let loose = Loose::parse(rest);
    let session = &harness.session;
    let payload = loose.body;
    let sealed = || {
        irp_client::cipher::seal(&session.sek, &payload)
            .map(|c| STANDARD.encode(c))
            .unwrap_or_default()
    };
    let body = match mode & 3 {
        0 => payload.clone(),
        1 => json!({ "Data": String::from_utf8_lossy(&payload) })
            .to_string()
            .into_bytes(),
        2 => json!({ "Data": sealed() }).to_string().into_bytes(),
        _ => json!({ "action": "CANEWB", "data": sealed() })
            .to_string()
            .into_bytes(),
    };
    let (method, path, body) = match (mode >> 2) & 7 {
        0 => (Method::POST, "/eicore/v1.03/Invoice".to_owned(), body),
        1 => (
            Method::POST,
            "/eicore/v1.03/Invoice/Cancel".to_owned(),
            body,
        ),
        2 => (Method::POST, "/eiewb/v1.03/ewaybill".to_owned(), body),
        3 => (Method::POST, "/ewaybillapi/v1.03/ewayapi".to_owned(), body),
        4 => (
            Method::GET,
            format!("/eicore/v1.03/Invoice/irn/{}", escape(&payload, b"")),
            Vec::new(),
        ),
        5 => (
            Method::GET,
            format!(
                "/eicore/v1.03/Invoice/irnbydocdetails?{}",
                escape(&payload, b"=&")
            ),
            Vec::new(),
        ),
        6 => (
            Method::GET,
            format!("/eivital/v1.04/Master/gstin/{}", escape(&payload, b"")),
            Vec::new(),
        ),
        _ => (
            Method::GET,
            format!("/eiewb/v1.03/ewaybill/irn/{}", escape(&payload, b"")),
            Vec::new(),
        ),
    };
    let base = [
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("Gstin", session.gstin.as_str()),
        ("user_name", session.user.as_str()),
        ("AuthToken", session.token.as_str()),
        ("content-type", "application/json"),
    ];
    let request = build(method, &path, &base, &loose.headers, body);
    let (status, body) = harness.send(request);
    assert_irp_answer(status, &body);
});
