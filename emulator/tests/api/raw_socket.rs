//! The protocol from hand-built bytes on a real socket, without the shared client helpers:
//! RSA-encrypt the credentials, authenticate, unwrap the SEK, fetch GSTIN details and
//! decrypt them. If this passes, a client written from NIC's documentation works.

use aes::cipher::{BlockDecryptMut, KeyInit, block_padding::Pkcs7};
use base64::{Engine, engine::general_purpose::STANDARD};
use rsa::{Pkcs1v15Encrypt, RsaPublicKey, pkcs8::DecodePublicKey};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::spawn_app;

/// Writes `request` verbatim and returns (status code, body) of the answer.
async fn exchange(addr: std::net::SocketAddr, request: &[u8]) -> (u16, Value) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("header/body separator");
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    assert!(head.starts_with("HTTP/1.1 "), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    (status, serde_json::from_str(body).unwrap())
}

#[tokio::test]
async fn handshake_and_gstin_lookup_from_raw_bytes() {
    let app = spawn_app().await;
    let public_pem = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../keys/auth-public.pem"
    ))
    .unwrap();
    let public = RsaPublicKey::from_public_key_pem(&public_pem).unwrap();

    // 1. Credentials JSON -> base64 text -> RSA PKCS#1 v1.5 -> base64.
    let app_key = [0x13u8; 32];
    let credentials = format!(
        r#"{{"UserName":"large_supplier","Password":"Emulator@123","AppKey":"{}","ForceRefreshAccessToken":false}}"#,
        STANDARD.encode(app_key)
    );
    let inner = STANDARD.encode(credentials.as_bytes());
    let block = public
        .encrypt(
            &mut rsa::rand_core::OsRng,
            Pkcs1v15Encrypt,
            inner.as_bytes(),
        )
        .unwrap();
    assert_eq!(block.len(), 256);
    let body = format!(r#"{{"Data":"{}"}}"#, STANDARD.encode(&block));
    let request = format!(
        "POST /eivital/v1.04/auth HTTP/1.1\r\nHost: localhost\r\nclient_id: irp-emulator-client\r\n\
         client_secret: irp-emulator-secret\r\nGstin: 29AAACL1111A1ZD\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let (status, auth) = exchange(app.addr, request.as_bytes()).await;
    assert_eq!(status, 200);
    assert_eq!(auth["Status"], 1, "{auth}");
    assert_eq!(auth["ErrorDetails"], Value::Null);
    let data = &auth["Data"];
    assert_eq!(data["ClientId"], "irp-emulator-client");
    assert_eq!(data["UserName"], "large_supplier");
    assert_eq!(data["TokenExpiry"], "2026-03-31 11:00:00");
    let token = data["AuthToken"].as_str().unwrap();

    // 2. Sek: base64 of AES-256-ECB-PKCS7(AppKey, 32-byte SEK): 48 bytes, 64 characters.
    let wrapped = STANDARD.decode(data["Sek"].as_str().unwrap()).unwrap();
    assert_eq!(wrapped.len(), 48);
    let sek = ecb::Decryptor::<aes::Aes256>::new_from_slice(&app_key)
        .unwrap()
        .decrypt_padded_vec_mut::<Pkcs7>(&wrapped)
        .unwrap();
    assert_eq!(sek.len(), 32);

    // 3. GSTIN details with the token; Data decrypts under the SEK to the master record.
    let request = format!(
        "GET /eivital/v1.03/Master/gstin/27AAACB4444D1Z3 HTTP/1.1\r\nHost: localhost\r\n\
         client-id: irp-emulator-client\r\nclient-secret: irp-emulator-secret\r\ngstin: 29AAACL1111A1ZD\r\n\
         user_name: large_supplier\r\nauthtoken: {token}\r\nConnection: close\r\n\r\n"
    );
    let (status, answer) = exchange(app.addr, request.as_bytes()).await;
    assert_eq!(status, 200);
    assert_eq!(answer["Status"], 1, "{answer}");
    let sealed = STANDARD.decode(answer["Data"].as_str().unwrap()).unwrap();
    let plain = ecb::Decryptor::<aes::Aes256>::new_from_slice(&sek)
        .unwrap()
        .decrypt_padded_vec_mut::<Pkcs7>(&sealed)
        .unwrap();
    let text = String::from_utf8(plain).unwrap();
    assert!(
        text.starts_with(r#"{"Gstin":"27AAACB4444D1Z3","TradeName":"MH Buyer","LegalName":"#),
        "{text}"
    );
    let details: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(details["StateCode"], 27);
    assert_eq!(details["AddrPncd"], 400021);
    assert_eq!(details["Status"], "ACT");
    assert_eq!(details["TxpType"], "REG");
    assert_eq!(details["DtReg"], "2017-07-01");
    assert_eq!(details["DtDReg"], Value::Null);

    // 4. An hour later the same request is refused with 1005, in the plain envelope.
    app.clock.advance(time::Duration::minutes(60));
    let (status, answer) = exchange(app.addr, request.as_bytes()).await;
    assert_eq!(status, 200);
    assert_eq!(answer["Status"], 0);
    assert_eq!(answer["ErrorDetails"][0]["ErrorCode"], "1005");
}

#[tokio::test]
async fn garbage_on_the_socket_gets_an_answer_and_the_server_lives() {
    let app = spawn_app().await;
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    stream
        .write_all(b"\x00\x01\x02 NOT HTTP\r\n\r\n")
        .await
        .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    // hyper answers 400 to an unparsable request line, or just closes; either way the
    // next well-formed request is served.
    let (status, answer) = exchange(
        app.addr,
        b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(answer["Status"], 0);
}
