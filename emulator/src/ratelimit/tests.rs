//! The sliding windows on explicit instants (and one on Tokio's paused clock), the key cap,
//! and the rule's checks.

use std::time::Duration;

use tokio::time::Instant;

use super::*;

const A: &str = "29AAACL1111A1ZD";
const B: &str = "29AAACS2222B1ZY";

fn rule(json: &str) -> RateLimitRule {
    RateLimitRule::parse(json.as_bytes()).unwrap_or_else(|e| unreachable!("{json}: {e}"))
}

fn limiter(rules: &[&str]) -> RateLimiter {
    let mut limiter = RateLimiter::default();
    for json in rules {
        limiter.add(rule(json));
    }
    limiter
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// `None` if admitted, else `(retry_after, limit)`.
fn send(limiter: &mut RateLimiter, gstin: &str, at: Instant) -> Option<(u64, String)> {
    limiter
        .check(Api::GenerateIrn, Some("client"), Some(gstin), at)
        .map(|r| (r.retry_after, r.limit()))
}

fn refused(retry_after: u64, limit: &str) -> Option<(u64, String)> {
    Some((retry_after, limit.to_owned()))
}

#[test]
fn second_minute_and_hour_windows_hold_together() {
    let mut l = limiter(&[r#"{"per":"gstin","per_second":2,"per_minute":3,"per_hour":4}"#]);
    let t0 = Instant::now();
    assert_eq!(send(&mut l, A, t0), None);
    assert_eq!(send(&mut l, A, t0 + ms(100)), None);
    assert_eq!(send(&mut l, A, t0 + ms(200)), refused(1, "gstin:second"));
    assert_eq!(
        send(&mut l, A, t0 + ms(1000)),
        None,
        "the first left the second"
    );
    // The minute holds t0, t0+0.1, t0+1: it frees when t0 leaves, at t0+60.
    assert_eq!(send(&mut l, A, t0 + ms(2000)), refused(58, "gstin:minute"));
    assert_eq!(send(&mut l, A, t0 + ms(59_999)), refused(1, "gstin:minute"));
    assert_eq!(send(&mut l, A, t0 + ms(60_000)), None, "fourth of the hour");
    // The hour is full until t0 leaves it; the minute (t0+0.1 still in) is full too.
    assert_eq!(
        send(&mut l, A, t0 + ms(60_050)),
        refused(3540, "gstin:hour")
    );
    assert_eq!(
        send(&mut l, A, t0 + ms(3_599_500)),
        refused(1, "gstin:hour")
    );
    assert_eq!(send(&mut l, A, t0 + ms(3_600_000)), None);
    assert_eq!(l.rules().first().map(|r| r.refused), Some(5));
}

#[test]
fn retry_after_is_the_wait_for_the_oldest_entry_rounded_up() {
    let mut l = limiter(&[r#"{"per":"gstin","per_minute":1}"#]);
    let t0 = Instant::now();
    assert_eq!(send(&mut l, A, t0), None);
    for (after_ms, expected) in [(1, 60), (500, 60), (1000, 59), (1001, 59), (59_000, 1)] {
        assert_eq!(
            send(&mut l, A, t0 + ms(after_ms)),
            refused(expected, "gstin:minute"),
            "{after_ms} ms"
        );
    }
    assert_eq!(send(&mut l, A, t0 + ms(59_999)), refused(1, "gstin:minute"));
    assert_eq!(
        send(&mut l, A, t0 + ms(60_000)),
        None,
        "it left at exactly 60 s"
    );
}

#[test]
fn refused_requests_are_not_counted() {
    let mut l = limiter(&[r#"{"per":"gstin","per_second":1}"#]);
    let t0 = Instant::now();
    assert_eq!(send(&mut l, A, t0), None);
    for n in 1..=5 {
        assert!(send(&mut l, A, t0 + ms(n * 150)).is_some());
    }
    // Had the refusals at 150..750 ms counted, the window would be full until 1750 ms.
    assert_eq!(send(&mut l, A, t0 + ms(1000)), None);
    assert_eq!(l.rules().first().map(|r| r.refused), Some(5));
}

#[test]
fn a_request_refused_by_one_rule_is_not_counted_by_another() {
    let mut l = limiter(&[
        r#"{"name":"burst","per":"gstin","per_second":1}"#,
        r#"{"name":"hourly","per":"client_id","per_hour":2}"#,
    ]);
    let t0 = Instant::now();
    assert_eq!(send(&mut l, A, t0), None);
    assert_eq!(send(&mut l, A, t0 + ms(10)), refused(1, "gstin:second"));
    // The hourly rule saw only the admitted request, so it admits one more.
    assert_eq!(send(&mut l, B, t0 + ms(20)), None);
    let both = l.check(Api::GenerateIrn, Some("client"), Some(B), t0 + ms(30));
    let both = both.unwrap_or_else(|| unreachable!("both rules are full"));
    assert_eq!(
        (both.rule_id, both.limit()),
        (2, "client_id:hour".to_owned())
    );
    assert_eq!(both.label(), "rate_limit:2:hourly");
    assert_eq!(both.retry_after, 3600);
    let counts: Vec<u64> = l.rules().iter().map(|r| r.refused).collect();
    assert_eq!(counts, [2, 1], "each rule whose window was full counts it");
}

#[test]
fn keys_are_isolated_and_a_missing_header_or_other_api_is_not_limited() {
    let mut l = limiter(&[
        r#"{"per":"gstin","per_second":1}"#,
        r#"{"per":"client_id","api":"auth","per_second":1}"#,
    ]);
    let t0 = Instant::now();
    assert_eq!(send(&mut l, A, t0), None);
    assert_eq!(
        send(&mut l, B, t0),
        None,
        "another GSTIN has its own window"
    );
    assert!(
        send(&mut l, &A.to_ascii_lowercase(), t0).is_some(),
        "same GSTIN"
    );
    for _ in 0..3 {
        assert_eq!(l.check(Api::GenerateIrn, Some("c"), None, t0), None);
        assert_eq!(l.check(Api::Auth, None, None, t0), None, "no header");
    }
    assert_eq!(l.check(Api::Auth, Some("c"), None, t0), None);
    let second = l.check(Api::Auth, Some("c"), None, t0);
    assert_eq!(second.map(|r| r.rule_id), Some(2));
    assert_eq!(
        l.check(Api::Auth, Some("d"), None, t0),
        None,
        "other client"
    );
}

#[test]
fn the_key_cap_drops_idle_keys_first_then_the_least_recent() {
    let mut l = RateLimiter::with_key_cap(10);
    l.add(rule(r#"{"per":"gstin","per_second":1}"#));
    l.add(rule(r#"{"per":"client_id","per_hour":10}"#));
    let t0 = Instant::now();
    // One client key (hour) and nine GSTIN keys (second): the cap is reached.
    for n in 0..9 {
        assert_eq!(send(&mut l, &format!("G{n}"), t0), None);
    }
    assert_eq!(l.tally.len(), 10);
    // A second later every GSTIN window is empty: they go, the client's hour stays.
    let later = t0 + ms(1000);
    assert_eq!(l.check(Api::GetIrn, None, Some("NEW"), later), None);
    assert_eq!(l.tally.len(), 2);
    assert_eq!(send(&mut l, "X", later), None, "the client's tenth");
    assert_eq!(send(&mut l, "Y", later), refused(3599, "client_id:hour"));

    let mut l = RateLimiter::with_key_cap(10);
    l.add(rule(r#"{"per":"gstin","per_hour":1}"#));
    for n in 0..1000 {
        assert_eq!(send(&mut l, &format!("G{n}"), t0 + ms(n)), None);
        assert!(l.tally.len() <= 10, "{} keys", l.tally.len());
    }
    assert!(
        send(&mut l, "G999", t0 + ms(1000)).is_some(),
        "recent: kept"
    );
    assert_eq!(send(&mut l, "G0", t0 + ms(1000)), None, "oldest: forgotten");
}

#[test]
fn removing_a_rule_forgets_its_windows_and_ids_keep_counting() {
    let mut l = limiter(&[r#"{"per":"gstin","per_second":1}"#]);
    let t0 = Instant::now();
    assert_eq!(send(&mut l, A, t0), None);
    assert!(l.remove(1));
    assert!(!l.remove(1));
    assert_eq!(l.tally.len(), 0);
    assert_eq!(l.add(rule(r#"{"per":"gstin","per_second":1}"#)).id, 2);
    assert_eq!(send(&mut l, A, t0), None);
    l.clear();
    assert!(l.is_empty());
    assert_eq!(l.tally.len(), 0);
    assert_eq!(l.add(rule(r#"{"per":"gstin","per_second":1}"#)).id, 3);
}

#[tokio::test(start_paused = true)]
async fn windows_follow_tokio_time() {
    let mut l = limiter(&[r#"{"per":"client_id","per_second":2}"#]);
    let mut go = || l.check(Api::Auth, Some("c"), None, Instant::now());
    assert_eq!(go(), None);
    assert_eq!(go(), None);
    assert_eq!(go().map(|r| r.retry_after), Some(1));
    tokio::time::advance(ms(999)).await;
    assert!(go().is_some());
    tokio::time::advance(ms(1)).await;
    assert_eq!(go(), None);
}

#[test]
fn rules_are_checked_whole_with_reasons() {
    let reason = |json: &str| match RateLimitRule::parse(json.as_bytes()) {
        Ok(rule) => unreachable!("{json} was accepted as {rule:?}"),
        Err(e) => e.to_string(),
    };
    for (json, needle) in [
        (r#"{"per":"gstin"}"#, "at least one of per_second"),
        (
            r#"{"per":"gstin","per_minute":0}"#,
            "per_minute: expected 1 to",
        ),
        (r#"{"per":"gstin","per_hour":1000001}"#, "per_hour"),
        (r#"{"per":"gstin","per_second":-1}"#, "invalid value"),
        (r#"{"per":"user","per_second":1}"#, "unknown variant `user`"),
        (r#"{"per_second":1}"#, "missing field `per`"),
        (
            r#"{"per":"gstin","per_second":1,"burst":2}"#,
            "unknown field `burst`",
        ),
        (
            r#"{"per":"gstin","api":"nope","per_second":1}"#,
            "unknown api `nope`",
        ),
        (
            r#"{"per":"gstin","api":"unknown","per_second":1}"#,
            "generate_irn",
        ),
    ] {
        let got = reason(json);
        assert!(got.contains(needle), "{json}: {got}");
    }
}

#[test]
fn rules_read_from_toml_like_json_and_serialise_back() {
    #[derive(serde::Deserialize)]
    struct File {
        rate_limit: Vec<RateLimitRule>,
    }
    let file: File = toml::from_str(
        "[[rate_limit]]\nname = \"gsp\"\nper = \"client_id\"\napi = \"generate_irn\"\n\
         per_second = 5\nper_hour = 1000\n\n[[rate_limit]]\nper = \"gstin\"\nper_minute = 60\n",
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let json =
        r#"{"name":"gsp","per":"client_id","api":"generate_irn","per_second":5,"per_hour":1000}"#;
    assert_eq!(file.rate_limit.first(), Some(&rule(json)));
    assert_eq!(
        serde_json::to_string(&rule(json)).ok().as_deref(),
        Some(json)
    );
    let bad: Result<File, _> = toml::from_str("[[rate_limit]]\nper = \"gstin\"\n");
    assert!(bad.is_err_and(|e| e.to_string().contains("at least one of")));
}
