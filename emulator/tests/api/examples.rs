//! The sample invoices of `examples/invoices/`: every file is accepted as it stands (Status 1,
//! no `InfoDtls`, an e-way bill exactly when it carries `EwbDtls`) on the test clock's day,
//! on today's date from the real clock, and years later, because their seller is below the
//! 30-day rule's turnover threshold and their dates are fixed in the past. Posting a file
//! twice meets 2150, which is why the example clients give each run a fresh number.

use std::path::PathBuf;

use irp_emulator::{clock::Clock, config::Settings, keys::KeySet, state::AppState};
use serde_json::{Value, json};
use time::{OffsetDateTime, macros::datetime};

use crate::helpers::*;
use crate::invoice::GENERATE;

/// Every `examples/invoices/*.json`, by file name, in name order.
fn sample_invoices() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/invoices");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let invoice = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                invoice,
            )
        })
        .collect()
}

/// The user the control namespace publishes for `gstin` (as the example clients find it).
async fn user_for(state: &AppState, gstin: &str) -> String {
    let request = axum::http::Request::get("/__emulator__/sandbox")
        .body(axum::body::Body::empty())
        .unwrap();
    let sandbox = oneshot(state, request).await.body;
    sandbox["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["gstin"] == gstin && u["clients"].as_array().is_none_or(Vec::is_empty))
        .unwrap_or_else(|| panic!("no user for {gstin} in the sandbox"))["username"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Posts every sample to a fresh emulator whose clock is `clock`.
async fn every_sample_is_accepted(clock: Clock) {
    let when = clock.now();
    let state = AppState::new(Settings::default(), KeySet::embedded().unwrap(), clock).unwrap();
    for (name, invoice) in sample_invoices() {
        let seller = invoice["SellerDtls"]["Gstin"].as_str().unwrap();
        let user = user_for(&state, seller).await;
        let session = login(&state, seller, &user, false).await;
        let answer = oneshot(&state, authed_post(&session, GENERATE, &invoice)).await;
        assert_eq!(
            answer.body["Status"],
            json!(1),
            "{name} refused on {when}: {}",
            answer.body
        );
        assert_eq!(answer.body["InfoDtls"], Value::Null, "{name} on {when}");
        let data = open(&session, &answer);
        assert_eq!(data["Status"], "ACT", "{name}");
        assert_eq!(data["Irn"].as_str().unwrap().len(), 64, "{name}");
        let with_ewb = invoice.get("EwbDtls").is_some();
        assert_eq!(
            data["EwbNo"].is_u64(),
            with_ewb,
            "{name}: EwbNo {}",
            data["EwbNo"]
        );

        // The same document again is a duplicate: clients need a fresh number per run.
        let again = oneshot(&state, authed_post(&session, GENERATE, &invoice)).await;
        again.assert_error("2150");
        assert_eq!(
            again.body["InfoDtls"][0]["Desc"]["Irn"], data["Irn"],
            "{name}"
        );
    }
}

/// The set covers what `examples/invoices/README.md` promises.
#[test]
fn the_samples_cover_every_promised_kind() {
    let samples = sample_invoices();
    let has = |what: &dyn Fn(&Value) -> bool| samples.iter().any(|(_, i)| what(i));
    let supply = |i: &Value| i["TranDtls"]["SupTyp"].as_str().unwrap().to_owned();
    let intra = |i: &Value| i["SellerDtls"]["Stcd"] == i["BuyerDtls"]["Pos"];
    assert!(has(&|i| supply(i) == "B2B" && intra(i)), "B2B intra-state");
    assert!(has(&|i| supply(i) == "B2B" && !intra(i)), "B2B inter-state");
    assert!(has(&|i| supply(i).starts_with("EXP")), "export");
    assert!(has(&|i| i["DocDtls"]["Typ"] == "CRN"), "credit note");
    assert!(has(&|i| i.get("EwbDtls").is_some()), "e-way bill details");
    let mut numbers: Vec<(&Value, &Value, &Value)> = samples
        .iter()
        .map(|(_, i)| {
            (
                &i["SellerDtls"]["Gstin"],
                &i["DocDtls"]["Typ"],
                &i["DocDtls"]["No"],
            )
        })
        .collect();
    let count = numbers.len();
    numbers.sort_by_key(|k| format!("{k:?}"));
    numbers.dedup();
    assert_eq!(numbers.len(), count, "two samples share a document number");
}

#[tokio::test]
async fn every_sample_is_accepted_on_the_test_clock() {
    every_sample_is_accepted(Clock::fixed(T0)).await;
}

#[tokio::test]
async fn every_sample_is_accepted_today() {
    every_sample_is_accepted(Clock::system()).await;
}

#[tokio::test]
async fn every_sample_is_accepted_years_later() {
    const LATER: OffsetDateTime = datetime!(2031-02-28 18:00:00 +5:30);
    every_sample_is_accepted(Clock::fixed(LATER)).await;
}
