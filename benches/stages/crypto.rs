//! The reference signature and the wire crypto: the credentials' RSA decryption and
//! AES-256-ECB at 1 KiB and 100 KiB (a five-item invoice seals to about 3 KiB).

use std::hint::black_box;

use aws_lc_rs::{rand::SystemRandom, signature::RSA_PKCS1_SHA256};
use base64::{Engine, engine::general_purpose::STANDARD};
use criterion::{BenchmarkId, Criterion, Throughput};
use irp_emulator::{
    crypto::{aes_ecb_decrypt, aes_ecb_encrypt},
    keys::KeySet,
};
use rsa::{RsaPublicKey, pkcs8::DecodePublicKey};

/// `stage/rsa2048_sign`: one RSA-2048 PKCS#1 v1.5 SHA-256 signature of a short message
/// with the signing key, as `signing.rs` makes it.
pub(crate) fn reference(c: &mut Criterion, keys: &KeySet) {
    let rng = SystemRandom::new();
    let mut signature = vec![0u8; keys.signing.public_modulus_len()];
    let sign = |message: &[u8], signature: &mut [u8]| {
        keys.signing
            .sign(&RSA_PKCS1_SHA256, &rng, message, signature)
            .expect("sign");
    };
    sign(b"payload", &mut signature);
    let mut group = c.benchmark_group("stage");
    group.bench_function("rsa2048_sign", |b| {
        b.iter(|| sign(black_box(b"payload"), &mut signature));
    });
    group.finish();
}

/// `stage/credential_decrypt` and `stage/aes_ecb_{encrypt,decrypt}/{1KiB,100KiB}`.
pub(crate) fn stages(c: &mut Criterion, keys: &KeySet) {
    let public = RsaPublicKey::from_public_key_pem(&keys.pems.auth_public).expect("public key");
    let credentials: &[u8] =
        br#"{"UserName":"large_supplier","Password":"Emulator@123","AppKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","ForceRefreshAccessToken":false}"#;
    let encrypted = irp_client::cipher::encrypt_credentials(
        &public,
        credentials,
        irp_client::Encryption::Pkcs1,
    )
    .expect("encrypt");
    let block = STANDARD.decode(encrypted).expect("base64");
    let plain = keys.credential.decrypt(&block).expect("decrypt");
    assert_eq!(
        STANDARD.decode(plain.trim_ascii()).expect("base64"),
        credentials
    );
    let mut group = c.benchmark_group("stage");
    group.bench_function("credential_decrypt", |b| {
        b.iter(|| keys.credential.decrypt(black_box(&block)).expect("decrypt"));
    });
    group.finish();

    let key = [7u8; 32];
    let mut group = c.benchmark_group("stage");
    for (label, size) in [("1KiB", 1024usize), ("100KiB", 100 * 1024)] {
        let plaintext = vec![b'x'; size];
        let sealed = aes_ecb_encrypt(&key, &plaintext).expect("encrypt");
        assert_eq!(aes_ecb_decrypt(&key, &sealed).expect("decrypt"), plaintext);
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function(BenchmarkId::new("aes_ecb_encrypt", label), |b| {
            b.iter(|| aes_ecb_encrypt(&key, black_box(&plaintext)).expect("encrypt"));
        });
        group.bench_function(BenchmarkId::new("aes_ecb_decrypt", label), |b| {
            b.iter(|| aes_ecb_decrypt(&key, black_box(&sealed)).expect("decrypt"));
        });
    }
    group.finish();
}
