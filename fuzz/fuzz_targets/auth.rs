//! The credential decoder: `POST /eivital/v1.04/auth` (or v1.03) with fuzzed headers and
//! body, through the whole router.
//!
//! Input: one mode byte, then `Name: value` header lines, a blank line and the body (see
//! `irp_fuzz::Loose`). Mode bits 0–1 choose what the body becomes: 0 sent as is; 1 the
//! credentials JSON, encrypted as NIC specifies (base64, RSA PKCS#1 v1.5, base64) so the
//! fuzzer reaches the credentials parser; 2 RSA without the inner base64; 3 the body as the
//! `Data` string. Bit 4 picks v1.03, bit 5 drops the client headers.

#![no_main]

use axum::http::Method;
use base64::{Engine, engine::general_purpose::STANDARD};
use irp_client::{Encryption, cipher};
use irp_fuzz::{CLIENT_ID, CLIENT_SECRET, GSTIN, Loose, assert_irp_answer, build, harness};
use libfuzzer_sys::fuzz_target;
use rsa::Pkcs1v15Encrypt;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let harness = harness();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let loose = Loose::parse(rest);
    let body = match mode & 3 {
        0 => loose.body,
        1 => {
            match cipher::encrypt_credentials(&harness.auth_public, &loose.body, Encryption::Pkcs1)
            {
                Ok(data) => json!({ "Data": data }).to_string().into_bytes(),
                Err(_) => loose.body,
            }
        }
        2 => match harness.auth_public.encrypt(
            &mut rsa::rand_core::OsRng,
            Pkcs1v15Encrypt,
            &loose.body,
        ) {
            Ok(block) => json!({ "Data": STANDARD.encode(block) })
                .to_string()
                .into_bytes(),
            Err(_) => loose.body,
        },
        _ => json!({ "Data": String::from_utf8_lossy(&loose.body) })
            .to_string()
            .into_bytes(),
    };
    let path = if mode & 0x10 == 0 {
        "/eivital/v1.04/auth"
    } else {
        "/eivital/v1.03/auth"
    };
    let base: &[(&str, &str)] = if mode & 0x20 == 0 {
        &[
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("Gstin", GSTIN),
            ("content-type", "application/json"),
        ]
    } else {
        &[]
    };
    let request = build(Method::POST, path, base, &loose.headers, body);
    let (status, body) = harness.send(request);
    assert_irp_answer(status, &body);
});
