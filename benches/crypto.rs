//! Wire-crypto costs, next to the machine's own RSA-2048 signing rate so results can be
//! quoted as ratios (these machines are noisy; ratios from one run are not).

#![allow(clippy::expect_used, clippy::indexing_slicing, missing_docs)]

use std::hint::black_box;

use base64::{Engine, engine::general_purpose::STANDARD};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use irp_emulator::{
    crypto::{aes_ecb_decrypt, aes_ecb_encrypt},
    keys::KeySet,
};
use rsa::{RsaPublicKey, pkcs8::DecodePublicKey};

fn rsa(c: &mut Criterion) {
    let keys = KeySet::embedded().expect("test keys");
    let public = RsaPublicKey::from_public_key_pem(&keys.pems.auth_public).expect("public key");
    let credentials: &[u8] =
        br#"{"UserName":"large_supplier","Password":"Emulator@123","AppKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","ForceRefreshAccessToken":false}"#;
    let block = STANDARD
        .decode(
            irp_client::cipher::encrypt_credentials(
                &public,
                credentials,
                irp_client::Encryption::Pkcs1,
            )
            .expect("encrypt"),
        )
        .expect("base64");
    let mut group = c.benchmark_group("rsa2048");
    group.bench_function("sign_sha256_reference", |b| {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let mut signature = vec![0u8; keys.signing.public_modulus_len()];
        b.iter(|| {
            keys.signing
                .sign(
                    &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                    &rng,
                    black_box(b"payload"),
                    &mut signature,
                )
                .expect("sign");
        });
    });
    group.bench_function("decrypt_credentials_pkcs1v15", |b| {
        b.iter(|| keys.credential.decrypt(black_box(&block)).expect("decrypt"));
    });
    group.finish();
}

fn aes(c: &mut Criterion) {
    let key = [7u8; 32];
    let mut group = c.benchmark_group("aes256_ecb");
    for size in [1024usize, 100 * 1024] {
        let plaintext = vec![b'x'; size];
        let sealed = aes_ecb_encrypt(&key, &plaintext).expect("encrypt");
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function(format!("encrypt_{size}"), |b| {
            b.iter(|| aes_ecb_encrypt(&key, black_box(&plaintext)).expect("encrypt"));
        });
        group.bench_function(format!("decrypt_{size}"), |b| {
            b.iter(|| aes_ecb_decrypt(&key, black_box(&sealed)).expect("decrypt"));
        });
    }
    group.finish();
}

criterion_group!(benches, rsa, aes);
criterion_main!(benches);
