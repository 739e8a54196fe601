//! Races as repeatable tests: the same contested operation fired by several tasks at once on
//! a multi-thread runtime, round after round (`IRP_RACE_ROUNDS`, 100 by default), through the
//! router with the in-memory store (the writer thread and its group commit are the same as
//! on disk).
//!
//! - identical Generate IRN: exactly one registers, every other gets 2150 with the winner's
//!   DUPIRN block;
//! - forced token refreshes of one user in the last ten minutes: one live token per identity,
//!   every answered token works or was replaced, and the book's current token works;
//! - Cancel IRN of one IRN: exactly one cancels, every other is told the IRN is not active.
//!
//! Cancel against e-way bill generation is `regression::cancel_vs_ewb_race_loser_is_told_what_won`;
//! a taxpayer replacement during logins is a unit test of `taxpayer::book`.

use irp_emulator::state::AppState;
use serde_json::{Value, json};
use time::Duration;

use crate::{helpers::*, invoice::sample};

/// Tasks per round.
const CONTENDERS: usize = 8;

fn rounds() -> usize {
    std::env::var("IRP_RACE_ROUNDS")
        .ok()
        .map_or(100, |n| n.parse().expect("IRP_RACE_ROUNDS: a number"))
}

/// Sends `CONTENDERS` copies of the request `make` builds, all at once; the answers.
async fn contend(
    state: &AppState,
    make: impl Fn() -> axum::http::Request<axum::body::Body>,
) -> Vec<Answer> {
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(CONTENDERS));
    let tasks: Vec<_> = (0..CONTENDERS)
        .map(|_| {
            let state = state.clone();
            let request = make();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                oneshot(&state, request).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

const CANCEL: &str = "/eicore/v1.03/Invoice/Cancel";
const GENERATE: &str = crate::invoice::GENERATE;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn identical_generate_irn_registers_once_and_every_other_gets_the_same_dupirn() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    for round in 0..rounds() {
        let invoice = sample(&format!("RACE/G/{round}"));
        let answers = contend(&state, || authed_post(&session, GENERATE, &invoice)).await;
        let (won, lost): (Vec<_>, Vec<_>) = answers.iter().partition(|a| a.body["Status"] == 1);
        assert_eq!(won.len(), 1, "round {round}: {answers:?}");
        let winner = open(&session, won[0]);
        let dupirn = json!([{"InfCd": "DUPIRN", "Desc": {
            "AckNo": winner["AckNo"], "AckDt": winner["AckDt"], "Irn": winner["Irn"]}}]);
        for loser in lost {
            loser.assert_error("2150");
            assert_eq!(loser.body["InfoDtls"], dupirn, "round {round}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_forced_refreshes_leave_one_live_token_that_works() {
    let (state, clock) = state();
    let lookup =
        |session: &Login| authed_get(session, "/eivital/v1.04/Master/gstin/27AAACB4444D1Z3");
    for round in 0..rounds() {
        let first = login(&state, LARGE, LARGE_USER, false).await;
        // Inside the last ten minutes of the token's hour.
        clock.advance(Duration::minutes(51));
        let forced = login_of(LARGE, LARGE_USER, PASSWORD, true);
        let answers = contend(&state, || {
            let outgoing =
                irp_client::request::auth_request(&caller(), &forced, &auth_public_key()).unwrap();
            outgoing.to_http("").unwrap().map(axum::body::Body::from)
        })
        .await;
        let mut tokens: Vec<Login> = answers
            .iter()
            .map(|a| {
                assert_eq!(a.body["Status"], 1, "round {round}: {a:?}");
                irp_client::answer::open_login(&forced, &a.body)
                    .unwrap()
                    .1
                    .unwrap()
            })
            .collect();
        tokens.sort_by(|a, b| a.token.cmp(&b.token));
        tokens.dedup_by(|a, b| a.token == b.token);
        // Every answered token works or was replaced; exactly one works.
        let mut live = Vec::new();
        for session in tokens.iter().chain([&first]) {
            let answer = oneshot(&state, lookup(session)).await;
            if answer.body["Status"] == 1 {
                live.push(session.token.clone());
            } else {
                answer.assert_error("1005");
            }
        }
        assert_eq!(live.len(), 1, "round {round}: live tokens {live:?}");
        assert_ne!(
            live[0], first.token,
            "round {round}: the refresh was not honoured"
        );
        // The token the book now hands out is the live one.
        let current = login(&state, LARGE, LARGE_USER, false).await;
        assert_eq!(current.token, live[0], "round {round}");
        // Let it expire: the next round starts with a fresh login.
        clock.advance(Duration::minutes(61));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_cancels_of_one_irn_cancel_it_once() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    for round in 0..rounds() {
        let answer = oneshot(
            &state,
            authed_post(&session, GENERATE, &sample(&format!("RACE/C/{round}"))),
        )
        .await;
        let irn = open(&session, &answer)["Irn"].clone();
        let body: Value = json!({"Irn": irn, "CnlRsn": "2", "CnlRem": "Data entry mistake"});
        let answers = contend(&state, || authed_post(&session, CANCEL, &body)).await;
        let (won, lost): (Vec<_>, Vec<_>) = answers.iter().partition(|a| a.body["Status"] == 1);
        assert_eq!(won.len(), 1, "round {round}: {answers:?}");
        assert_eq!(open(&session, won[0])["Irn"], irn);
        for loser in lost {
            loser.assert_error("9999");
        }
        let got = oneshot(
            &state,
            authed_get(
                &session,
                &format!("/eicore/v1.03/Invoice/irn/{}", irn.as_str().unwrap()),
            ),
        )
        .await;
        assert_eq!(open(&session, &got)["Status"], "CNL", "round {round}");
    }
}
