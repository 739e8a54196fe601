//! Journal mode end to end: a real emulator on a loopback port takes a scripted mix of
//! calls from an independent client, and the report built from its journal counts exactly
//! what was sent, per API and per case.
//!
//! The client here is hand-scripted on purpose, not `irp-client`: it plays a team's own ERP,
//! whose traffic the journal classifier must read without help from the harness's client
//! (only its TLS-less HTTP client comes from `irp_client::http_builder`, the workspace's one
//! way to build reqwest).

use std::collections::BTreeMap;

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyInit, block_padding::Pkcs7};
use base64::{Engine, engine::general_purpose::STANDARD};
use irp_conformance::{
    api::{Api, Minimums},
    journal::{self, JournalError},
    report::{Header, Kind, Report, Verdict},
};
use irp_emulator::{
    clock::Clock,
    config::Settings,
    keys::KeySet,
    samples::{self, InvoiceSpec, ItemSpec},
    state::AppState,
};
use rsa::{Pkcs1v15Encrypt, RsaPublicKey, pkcs8::DecodePublicKey};
use serde_json::{Value, json};
use time::macros::{date, datetime};

const CLIENT_ID: &str = "irp-emulator-client";
const CLIENT_SECRET: &str = "irp-emulator-secret";
const GSTIN: &str = "29AAACL1111A1ZD";
const USER: &str = "large_supplier";
const PASSWORD: &str = "Emulator@123";
const APP_KEY: [u8; 32] = [0x5a; 32];

/// An emulator serving on a loopback port until dropped.
struct Emulator {
    base: String,
    http: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Emulator {
    async fn start(settings: Settings) -> Self {
        let clock = Clock::fixed(datetime!(2026-03-31 10:00:00 +5:30));
        let state = AppState::new(settings, KeySet::embedded().unwrap(), clock).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(irp_emulator::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Self {
            base: format!("http://{addr}"),
            http: irp_client::http_builder().unwrap().build().unwrap(),
            stop: Some(stop),
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Value {
        request.send().await.unwrap().json().await.unwrap()
    }

    /// Authenticates; the session when it succeeded.
    async fn auth(&self, password: &str) -> (Value, Option<Session>) {
        let sandbox: Value = self
            .send(self.http.get(format!("{}/__emulator__/sandbox", self.base)))
            .await;
        let key =
            RsaPublicKey::from_public_key_pem(sandbox["auth_public_key_pem"].as_str().unwrap())
                .unwrap();
        let credentials = json!({"UserName": USER, "Password": password,
            "AppKey": STANDARD.encode(APP_KEY), "ForceRefreshAccessToken": false});
        let inner = STANDARD.encode(credentials.to_string());
        let block = key
            .encrypt(
                &mut rsa::rand_core::OsRng,
                Pkcs1v15Encrypt,
                inner.as_bytes(),
            )
            .unwrap();
        let answer = self
            .send(
                self.http
                    .post(format!("{}/eivital/v1.04/auth", self.base))
                    .header("client_id", CLIENT_ID)
                    .header("client_secret", CLIENT_SECRET)
                    .header("Gstin", GSTIN)
                    .json(&json!({"Data": STANDARD.encode(block)})),
            )
            .await;
        let session = (answer["Status"] == 1).then(|| {
            let sealed = STANDARD
                .decode(answer["Data"]["Sek"].as_str().unwrap())
                .unwrap();
            Session {
                token: answer["Data"]["AuthToken"].as_str().unwrap().to_owned(),
                sek: decrypt(&APP_KEY, &sealed),
            }
        });
        (answer, session)
    }

    fn with(&self, request: reqwest::RequestBuilder, token: &str) -> reqwest::RequestBuilder {
        request
            .header("client_id", CLIENT_ID)
            .header("client_secret", CLIENT_SECRET)
            .header("Gstin", GSTIN)
            .header("user_name", USER)
            .header("AuthToken", token)
    }

    /// A sealed POST; the answer with `Data` decrypted.
    async fn post(&self, session: &Session, path: &str, payload: &Value) -> Value {
        let sealed = STANDARD.encode(encrypt(&session.sek, payload.to_string().as_bytes()));
        let request = self.http.post(format!("{}{path}", self.base));
        let answer = self
            .send(
                self.with(request, &session.token)
                    .json(&json!({"Data": sealed})),
            )
            .await;
        open(session, answer)
    }

    /// An authenticated GET; the answer with `Data` decrypted.
    async fn get(&self, session: &Session, path: &str) -> Value {
        let request = self.http.get(format!("{}{path}", self.base));
        let answer = self.send(self.with(request, &session.token)).await;
        open(session, answer)
    }
}

struct Session {
    token: String,
    sek: Vec<u8>,
}

fn open(session: &Session, mut answer: Value) -> Value {
    if answer["Status"] == 1 {
        let sealed = STANDARD.decode(answer["Data"].as_str().unwrap()).unwrap();
        answer["Data"] = serde_json::from_slice(&decrypt(&session.sek, &sealed)).unwrap();
    }
    answer
}

fn encrypt(key: &[u8], plain: &[u8]) -> Vec<u8> {
    ecb::Encryptor::<aes::Aes256>::new_from_slice(key)
        .unwrap()
        .encrypt_padded_vec_mut::<Pkcs7>(plain)
}

fn decrypt(key: &[u8], sealed: &[u8]) -> Vec<u8> {
    ecb::Decryptor::<aes::Aes256>::new_from_slice(key)
        .unwrap()
        .decrypt_padded_vec_mut::<Pkcs7>(sealed)
        .unwrap()
}

fn invoice(number: &str, inter_state: bool, lines: usize) -> Value {
    let mut spec = InvoiceSpec::simple(number, date!(2026 - 03 - 30));
    spec.inter_state = inter_state;
    spec.items = (0..lines)
        .map(|i| ItemSpec::goods("84713010", 1.0 + i as f64, 100.0, 18.0))
        .collect();
    samples::invoice(&spec)
}

/// The script: 5 good and 2 bad logins, 3 invoices and a duplicate, a cancel, two lookups,
/// an unknown GSTIN, a call with a stale token, and a path that is no API.
async fn traffic(emulator: &Emulator) {
    let mut session = None;
    for _ in 0..5 {
        let (answer, login) = emulator.auth(PASSWORD).await;
        assert_eq!(answer["Status"], 1, "{answer}");
        session = login;
    }
    let session = session.unwrap();
    for _ in 0..2 {
        let (answer, _) = emulator.auth("not-the-password").await;
        assert_eq!(answer["Status"], 0, "{answer}");
    }
    let mut irns = Vec::new();
    for (number, inter, lines) in [("J/1", false, 1), ("J/2", true, 1), ("J/3", false, 3)] {
        let answer = emulator
            .post(
                &session,
                "/eicore/v1.03/Invoice",
                &invoice(number, inter, lines),
            )
            .await;
        assert_eq!(answer["Status"], 1, "{answer}");
        irns.push(answer["Data"]["Irn"].as_str().unwrap().to_owned());
    }
    let duplicate = emulator
        .post(&session, "/eicore/v1.03/Invoice", &invoice("J/1", false, 1))
        .await;
    assert_eq!(duplicate["ErrorDetails"][0]["ErrorCode"], "2150");
    let cancel = json!({"Irn": irns[1], "CnlRsn": "1", "CnlRem": "Duplicate"});
    let answer = emulator
        .post(&session, "/eicore/v1.03/Invoice/Cancel", &cancel)
        .await;
    assert_eq!(answer["Status"], 1, "{answer}");
    for irn in &irns[..2] {
        let answer = emulator
            .get(&session, &format!("/eicore/v1.03/Invoice/irn/{irn}"))
            .await;
        assert_eq!(answer["Status"], 1, "{answer}");
    }
    let unknown = emulator
        .get(&session, "/eivital/v1.03/Master/gstin/29ABCDE1234F1Z5")
        .await;
    assert_eq!(unknown["ErrorDetails"][0]["ErrorCode"], "3001", "{unknown}");
    let stale = Session {
        token: "not-a-token".to_owned(),
        sek: session.sek.clone(),
    };
    let answer = emulator
        .get(&stale, &format!("/eicore/v1.03/Invoice/irn/{}", irns[0]))
        .await;
    assert_eq!(answer["ErrorDetails"][0]["ErrorCode"], "1005", "{answer}");
    let nothing = emulator
        .http
        .get(format!("{}/no/such/api", emulator.base))
        .send()
        .await
        .unwrap();
    assert_eq!(nothing.status(), 404);
}

#[tokio::test]
async fn the_report_from_the_journal_counts_exactly_what_was_sent() {
    let emulator = Emulator::start(Settings::default()).await;
    traffic(&emulator).await;

    let entries = journal::read(&emulator.base, None).await.unwrap();
    assert_eq!(entries.len(), 17, "every call, the unknown path included");
    let outcomes = journal::outcomes(&entries);
    assert_eq!(outcomes.len(), 16, "the unknown path is no outcome");
    assert!(outcomes.iter().all(|o| o.verdict == Verdict::Passed));

    let mut cases: BTreeMap<(Api, &str), usize> = BTreeMap::new();
    for outcome in &outcomes {
        *cases
            .entry((outcome.api.unwrap(), outcome.case.as_deref().unwrap()))
            .or_default() += 1;
    }
    let expected: BTreeMap<(Api, &str), usize> = [
        ((Api::Auth, "AU-1"), 1),
        ((Api::Auth, "AU-2"), 4),
        ((Api::Auth, "AU-6"), 2),
        ((Api::GenerateIrn, "G-1"), 1),
        ((Api::GenerateIrn, "G-2"), 1),
        ((Api::GenerateIrn, "G-11"), 1),
        ((Api::GenerateIrn, "GF-1"), 1),
        ((Api::CancelIrn, "C-1"), 1),
        ((Api::GetIrn, "R-1"), 1),
        ((Api::GetIrn, "R-2"), 1),
        ((Api::GetIrn, "AU-11"), 1),
        ((Api::GstinDetails, "GS-3"), 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(cases, expected);

    let missing = journal::missing_cases(&outcomes);
    let report = Report::build(Header::default(), Minimums::Nic, outcomes);
    let counts = |api| {
        let tally = report.tally(api).unwrap();
        (tally.success, tally.failure, tally.failed, tally.skipped)
    };
    assert_eq!(counts(Api::Auth), (5, 2, 0, 0));
    assert_eq!(counts(Api::GenerateIrn), (3, 1, 0, 0));
    assert_eq!(counts(Api::CancelIrn), (1, 0, 0, 0));
    assert_eq!(counts(Api::GetIrn), (2, 1, 0, 0));
    assert_eq!(counts(Api::GstinDetails), (0, 1, 0, 0));
    assert_eq!(counts(Api::GenerateEwb), (0, 0, 0, 0));
    assert_eq!(report.tallies.len(), 6, "no uncounted API was called");

    let g2 = report.cases.iter().find(|c| c.id == "G-2").unwrap();
    assert_eq!(g2.feature, "B2B inter-state (IGST), INV, 1 item");
    assert_eq!(g2.kind, Kind::Success);
    let exchange = g2.representative.as_ref().unwrap();
    assert_eq!(exchange.call, "POST /eicore/v1.03/Invoice");
    assert!(
        exchange.request.contains("\"No\": \"J/2\""),
        "{}",
        exchange.request
    );
    assert!(
        exchange.response.contains("\"Irn\""),
        "{}",
        exchange.response
    );
    let gf1 = report.cases.iter().find(|c| c.id == "GF-1").unwrap();
    assert!(gf1.actual.starts_with("Status 0: 2150 "), "{}", gf1.actual);
    assert!(gf1.actual.contains("InfoDtls DUPIRN"), "{}", gf1.actual);

    assert!(
        missing
            .iter()
            .any(|m| m == "Generate IRN G-5 (EXPWP export with payment): no call yet"),
        "{missing:#?}"
    );
    assert!(
        !missing
            .iter()
            .any(|m| m.contains(" G-1 ") || m.contains(" C-5 ")),
        "{missing:#?}"
    );

    let facts = journal::participants(&entries);
    assert_eq!(facts.gstins, [GSTIN]);
    assert_eq!(facts.user_ids, [USER]);
    assert!(facts.first_day.is_some());
}

#[tokio::test]
async fn a_saved_journal_page_reads_like_the_live_export() {
    let emulator = Emulator::start(Settings::default()).await;
    traffic(&emulator).await;
    let live = journal::read(&emulator.base, None).await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let fetch = |path: &str| {
        let request = emulator.http.get(format!("{}{path}", emulator.base));
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let page_file = dir.path().join("journal.json");
    std::fs::write(&page_file, fetch("/__emulator__/journal?limit=10000").await).unwrap();
    let lines_file = dir.path().join("journal.jsonl");
    std::fs::write(&lines_file, fetch("/__emulator__/journal.jsonl").await).unwrap();

    for file in [&page_file, &lines_file] {
        let read = journal::read(file.to_str().unwrap(), None).await.unwrap();
        assert_eq!(read, live, "{}", file.display());
    }
    // A journal URL with filters is used as given.
    let generates = journal::read(
        &format!(
            "{}/__emulator__/journal.jsonl?api=generate_irn",
            emulator.base
        ),
        None,
    )
    .await
    .unwrap();
    assert_eq!(generates.len(), 4);
}

#[tokio::test]
async fn reading_errors_say_what_went_wrong() {
    let guarded = Emulator::start(Settings {
        admin_token: Some("T0k3n".to_owned()),
        ..Settings::default()
    })
    .await;
    let err = journal::read(&guarded.base, None).await.unwrap_err();
    assert!(
        matches!(err, JournalError::Status { status: 403, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("admin token"), "{err}");
    let err = journal::read(&guarded.base, Some("wrong"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, JournalError::Status { status: 403, .. }),
        "{err}"
    );
    let empty = journal::read(&guarded.base, Some("T0k3n")).await.unwrap();
    assert!(empty.is_empty());

    // A port nothing listens on: bind one, note it, let it go.
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let err = journal::read(&format!("http://{addr}"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, JournalError::Unreachable { .. }), "{err}");
    assert!(err.to_string().contains(&addr.to_string()), "{err}");
}
