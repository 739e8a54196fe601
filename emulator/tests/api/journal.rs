//! The journal: every call recorded with its decrypted request and answer, filters, paging,
//! request ids, retention, and no secret in the stored bytes.

use axum::{body::Body, http::Request};
use irp_emulator::{
    clock::Clock,
    config::Settings,
    journal::Retention,
    keys::KeySet,
    state::AppState,
    store::{Location, Store, StoreOptions},
};
use serde_json::{Value, json};

use crate::{
    helpers::*,
    invoice::{GENERATE, sample},
};

const SMALL: &str = "29AAACS2222B1ZY";
const SMALL_USER: &str = "small_supplier";

async fn journal(state: &AppState, query: &str) -> Vec<Value> {
    let answer = oneshot(
        state,
        Request::get(format!("/__emulator__/journal{query}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    answer.body["entries"].as_array().unwrap().clone()
}

fn with_request_id(mut request: Request<Body>, id: &str) -> Request<Body> {
    request
        .headers_mut()
        .insert("requestid", id.parse().unwrap());
    request
}

/// A known sequence of calls: two logins, a bad login, a registration, its duplicate
/// (sent twice under one request id), a lookup, and an unknown path.
async fn traffic(state: &AppState) -> Value {
    let large = login(state, LARGE, LARGE_USER, false).await;
    let small = login(state, SMALL, SMALL_USER, false).await;
    let wrong = credentials(LARGE_USER, "not-the-password", false);
    oneshot(state, auth_request(LARGE, encrypt_credentials(&wrong))).await;
    let made = open(
        &large,
        &oneshot(state, authed_post(&large, GENERATE, &sample("J-1"))).await,
    );
    for _ in 0..2 {
        let retry = with_request_id(authed_post(&large, GENERATE, &sample("J-1")), "retry-42");
        oneshot(state, retry).await.assert_error("2150");
    }
    oneshot(
        state,
        authed_get(&small, &format!("/eivital/v1.03/Master/gstin/{LARGE}")),
    )
    .await;
    oneshot(
        state,
        Request::get("/no/such/api").body(Body::empty()).unwrap(),
    )
    .await;
    made
}

#[tokio::test]
async fn every_call_is_recorded_decrypted_and_filters_select_them() {
    let (state, _) = state();
    let made = traffic(&state).await;
    let all = journal(&state, "").await;
    let apis: Vec<&str> = all.iter().map(|e| e["api"].as_str().unwrap()).collect();
    assert_eq!(
        apis,
        [
            "auth",
            "auth",
            "auth",
            "generate_irn",
            "generate_irn",
            "generate_irn",
            "gstin_details",
            "unknown"
        ]
    );

    // The registration: request and answer in clear, times, caller.
    let generate = &all[3];
    assert_eq!(generate["status"], 1);
    assert_eq!(generate["request"]["DocDtls"]["No"], "J-1");
    assert_eq!(generate["response"]["Data"]["Irn"], made["Irn"]);
    assert_eq!(
        generate["response"]["Data"]["SignedInvoice"],
        made["SignedInvoice"]
    );
    assert_eq!(generate["virtual_time"], "2026-03-31T10:00:00+05:30");
    assert_eq!(
        (generate["client_id"].as_str(), generate["gstin"].as_str()),
        (Some(CLIENT_ID), Some(LARGE))
    );
    assert_eq!(generate["user_name"], LARGE_USER);
    assert!(generate["latency_us"].as_u64().unwrap() > 0);
    assert_ne!(generate["wall_time"], generate["virtual_time"]);

    // The duplicate: codes extracted, and the retry shares the client's request id.
    let duplicate = &all[4];
    assert_eq!(
        (
            duplicate["status"].as_u64(),
            duplicate["http_status"].as_u64()
        ),
        (Some(0), Some(200))
    );
    assert_eq!(duplicate["error_codes"], json!(["2150"]));
    assert_eq!(duplicate["info_codes"], json!(["DUPIRN"]));
    let retries = journal(&state, "?request_id=retry-42").await;
    assert_eq!(retries.len(), 2);
    assert_ne!(
        all[3]["request_id"], all[0]["request_id"],
        "generated ids differ"
    );

    // The failed login is recorded with its code, its password masked.
    assert_eq!(all[2]["error_codes"], json!(["1019"]), "{}", all[2]);
    assert_eq!(all[2]["request"]["Password"], "***");
    assert_eq!(all[2]["request"]["UserName"], LARGE_USER);

    // Filters.
    let ids = |entries: &[Value]| {
        entries
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    let all_ids = ids(&all);
    assert_eq!(journal(&state, "?api=generate_irn").await.len(), 3);
    assert_eq!(journal(&state, "?api=generate_irn&status=0").await.len(), 2);
    assert_eq!(journal(&state, "?status=1").await.len(), 4);
    assert_eq!(journal(&state, &format!("?gstin={SMALL}")).await.len(), 2);
    assert_eq!(ids(&journal(&state, "?limit=2").await), all_ids[6..]);
    let after = all_ids[4];
    assert_eq!(
        ids(&journal(&state, &format!("?after_id={after}&limit=2")).await),
        all_ids[5..7]
    );
    let since = all[5]["wall_time"].as_str().unwrap().replace('+', "%2B");
    let since_ids = ids(&journal(&state, &format!("?since={since}")).await);
    assert!(
        since_ids.first().is_some_and(|id| *id <= all_ids[5]) && since_ids.ends_with(&all_ids[5..])
    );

    // Bad filters get the control namespace's own error, not an empty list.
    for bad in ["?api=nope", "?since=yesterday", "?colour=red"] {
        let answer = oneshot(
            &state,
            Request::get(format!("/__emulator__/journal{bad}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(answer.status, 400, "{bad}: {answer:?}");
    }

    // JSON Lines: the same entries, one per line.
    let response = irp_emulator::app(state.clone());
    let lines =
        {
            use tower::ServiceExt;
            let mut request = Request::get("/__emulator__/journal.jsonl?api=generate_irn")
                .body(Body::empty())
                .unwrap();
            request.extensions_mut().insert(axum::extract::ConnectInfo(
                std::net::SocketAddr::from(([127, 0, 0, 1], 1)),
            ));
            let answer = response.oneshot(request).await.unwrap();
            let bytes = http_body_util::BodyExt::collect(answer.into_body())
                .await
                .unwrap()
                .to_bytes();
            String::from_utf8(bytes.to_vec()).unwrap()
        };
    let parsed: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(parsed, journal(&state, "?api=generate_irn").await);
}

#[tokio::test]
async fn retention_keeps_only_the_newest_entries() {
    let settings = Settings {
        journal: Retention {
            max_entries: 5,
            max_age_days: 30,
            ..Retention::default()
        },
        ..Settings::default()
    };
    let (state, _) = state_with(settings);
    let session = login(&state, LARGE, LARGE_USER, false).await;
    for _ in 0..12 {
        oneshot(
            &state,
            authed_get(&session, &format!("/eivital/v1.03/Master/gstin/{LARGE}")),
        )
        .await;
    }
    let kept = journal(&state, "?limit=100").await;
    assert_eq!(kept.len(), 5);
    assert!(kept.iter().all(|e| e["api"] == "gstin_details"));
    assert_eq!(kept.last().unwrap()["id"], 13, "the newest are kept");
}

#[tokio::test]
async fn no_password_app_key_or_session_key_reaches_the_disk() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(
            &Location::Dir(dir.path().to_owned()),
            StoreOptions::default(),
        )
        .unwrap();
        let state = AppState::open(
            Settings::default(),
            KeySet::embedded().unwrap(),
            Clock::fixed(T0),
            store,
        )
        .unwrap();
        let made = traffic(&state).await;
        assert!(made["Irn"].is_string());
        let session = login(&state, LARGE, LARGE_USER, true).await;
        let mut secrets: Vec<Vec<u8>> = vec![
            PASSWORD.into(),
            b"not-the-password".to_vec(),
            APP_KEY.to_vec(),
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, APP_KEY).into(),
            session.sek.clone(),
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &session.sek).into(),
        ];
        // A taxpayer added at run time: its password is kept, but sealed.
        let added = json!({"Gstin": "33AAACT5555Q1Z0", "LegalName": "T", "StateCode": "33",
            "AddrPncd": 600001, "Users": [{"UserName": "tn_user", "Password": "tn-secret-pw"}]});
        let answer = oneshot(
            &state,
            Request::post("/__emulator__/taxpayers")
                .header("content-type", "application/json")
                .body(Body::from(added.to_string()))
                .unwrap(),
        )
        .await;
        assert_eq!(answer.status, 200);
        secrets.push(b"tn-secret-pw".to_vec());
        state.journal.flush().await.unwrap();
        assert!(!journal(&state, "").await.is_empty());
        // Every file the state left behind, WAL included.
        let mut bytes = Vec::new();
        for file in std::fs::read_dir(dir.path()).unwrap() {
            bytes.extend(std::fs::read(file.unwrap().path()).unwrap());
        }
        assert!(bytes.len() > 4096);
        for secret in &secrets {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_slice()),
                "{:?} found in the stored bytes",
                String::from_utf8_lossy(secret)
            );
        }
        // The stored bytes do hold the traffic itself (the search would find a secret).
        let irn = made["Irn"].as_str().unwrap().as_bytes();
        assert!(bytes.windows(irn.len()).any(|w| w == irn));
    }
}

/// Every path of the API table (aliases, any case, parameters filled in) reaches its API and
/// is journaled under its name; a known path with the wrong method, and an unknown path, are
/// journaled as `unknown`. The calls carry no session, so each is refused, which is enough
/// to be routed and recorded.
#[tokio::test]
async fn every_path_of_the_api_table_is_journaled_under_its_api() {
    use irp_emulator::api::Api;

    let (state, _) = state();
    let mut expected = Vec::new();
    for api in Api::served() {
        for path in api.paths() {
            let filled = path
                .replace("{gstin}", LARGE)
                .replace("{irn}", &"a".repeat(64));
            for spelling in [filled.clone(), filled.to_ascii_lowercase()] {
                let request = Request::builder()
                    .method(api.method())
                    .uri(spelling)
                    .header("content-type", "application/json")
                    .body(Body::from("{}"))
                    .unwrap();
                let answer = oneshot(&state, request).await;
                assert_ne!(answer.status, 404, "{api:?} {path}");
                assert_ne!(answer.status, 405, "{api:?} {path}");
                expected.push(api.name());
            }
        }
        let other = if api.method() == "GET" { "POST" } else { "GET" };
        let wrong = Request::builder()
            .method(other)
            .uri(api.paths()[0].replace("{gstin}", LARGE))
            .body(Body::empty())
            .unwrap();
        assert_eq!(oneshot(&state, wrong).await.status, 405, "{api:?}");
        expected.push("unknown");
    }
    let entries = journal(&state, "?limit=1000").await;
    let recorded: Vec<&str> = entries.iter().map(|e| e["api"].as_str().unwrap()).collect();
    assert_eq!(recorded, expected);
}
