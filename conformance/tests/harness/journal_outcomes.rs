//! Journal mode on synthetic entries: which case and kind each call becomes, what is still
//! missing, the header facts, and both file formats read from disk.

use irp_conformance::{
    api::{Api, Minimums},
    journal::{self, IRP_ERROR, JournalEntry, JournalError},
    report::{Header, Kind, Report, Verdict},
};
use serde_json::{Value, json};

const SELLER: &str = "29AAACL1111A1ZD";
const S: Kind = Kind::Success;
const F: Kind = Kind::Failure;
const PASS: Verdict = Verdict::Passed;

fn entry(
    api: &str,
    status: Option<u8>,
    codes: &[&str],
    request: Value,
    data: Value,
) -> JournalEntry {
    let details: Vec<Value> = codes
        .iter()
        .map(|c| json!({"ErrorCode": c, "ErrorMessage": format!("message {c}")}))
        .collect();
    JournalEntry {
        api: api.to_owned(),
        method: "POST".to_owned(),
        path: format!("/some/{api}"),
        gstin: Some(SELLER.to_owned()),
        user_name: Some("large_supplier".to_owned()),
        http_status: 200,
        status,
        error_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        latency_us: 1500,
        request,
        response: json!({"Status": status, "Data": data, "ErrorDetails": details}),
        ..JournalEntry::default()
    }
}

fn ok(api: &str, request: Value, data: Value) -> JournalEntry {
    entry(api, Some(1), &[], request, data)
}

fn rejected(api: &str, codes: &[&str]) -> JournalEntry {
    entry(api, Some(0), codes, Value::Null, Value::Null)
}

fn invoice(supply: &str, typ: &str, number: &str, pos: &str, items: usize) -> Value {
    json!({
        "TranDtls": {"SupTyp": supply, "RegRev": "N"},
        "DocDtls": {"Typ": typ, "No": number, "Dt": "30/03/2026"},
        "SellerDtls": {"Gstin": SELLER, "Stcd": "29"},
        "BuyerDtls": {"Pos": pos},
        "ItemList": vec![json!({}); items],
    })
}

fn generate(supply: &str, typ: &str, number: &str, pos: &str, items: usize) -> JournalEntry {
    ok(
        "generate_irn",
        invoice(supply, typ, number, pos, items),
        json!({}),
    )
}

fn duplicate(number: &str, pos: &str, items: usize) -> JournalEntry {
    let request = invoice("B2B", "INV", number, pos, items);
    entry("generate_irn", Some(0), &["2150"], request, Value::Null)
}

fn with_ewb(number: &str, ewb: Value, info: &str) -> JournalEntry {
    let mut request = invoice("B2B", "INV", number, "29", 1);
    request["EwbDtls"] = ewb;
    let mut entry = ok("generate_irn", request, json!({}));
    entry.info_codes = vec![info.to_owned()];
    entry
}

fn auth(token: &str, force: bool) -> JournalEntry {
    let request = json!({"UserName": "large_supplier", "Password": "***",
        "ForceRefreshAccessToken": force});
    let mut entry = ok("auth", request, json!({"AuthToken": token, "Sek": "***"}));
    entry.user_name = None;
    entry
}

fn gstin(api: &str, target: &str, status: &str) -> JournalEntry {
    let mut entry = ok(api, Value::Null, json!({"Gstin": target, "Status": status}));
    entry.method = "GET".to_owned();
    entry.path = format!("/eivital/v1.03/Master/gstin/{target}?x=1");
    entry
}

fn get_irn(status: &str) -> JournalEntry {
    ok("get_irn", Value::Null, json!({"Status": status}))
}

/// One journal, in order: each entry with the case, kind and verdict it must become.
fn journal() -> Vec<(JournalEntry, Option<&'static str>, Kind, Verdict)> {
    let mut faulted = get_irn("ACT");
    faulted.fault = Some("delay 2s".to_owned());
    let mut server = rejected("generate_irn", &["5001"]);
    server.http_status = 500;
    let mut bare = ok("cancel_irn", Value::Null, Value::Null);
    bare.status = None;
    let cancel = json!({"Irn": "a", "CnlRsn": "2"});
    let rail = json!({"TransMode": "2", "TransDocNo": "R1"});
    vec![
        (auth("t1", false), Some("AU-1"), S, PASS),
        (auth("t1", false), Some("AU-2"), S, PASS),
        (auth("t2", true), Some("AU-3"), S, PASS),
        (rejected("auth", &["1019"]), Some("AU-6"), F, PASS),
        (rejected("auth", &["1014"]), Some("AU-other"), F, PASS),
        // A feature not shown yet wins: the second multi-item invoice fills G-2.
        (
            generate("B2B", "INV", "A/1", "27", 3),
            Some("G-11"),
            S,
            PASS,
        ),
        (generate("B2B", "INV", "A/2", "27", 3), Some("G-2"), S, PASS),
        (
            generate("B2B", "INV", "A/3", "27", 3),
            Some("G-11"),
            S,
            PASS,
        ),
        (generate("B2B", "INV", "A/4", "29", 1), Some("G-1"), S, PASS),
        (
            generate("EXPWOP", "INV", "X/1", "96", 1),
            Some("G-6"),
            S,
            PASS,
        ),
        (generate("B2B", "DBN", "D/1", "29", 1), Some("G-8"), S, PASS),
        (
            generate("B2B", "INV", "low/1", "29", 1),
            Some("G-16"),
            S,
            PASS,
        ),
        (
            with_ewb("E/1", json!({"Distance": 0}), "EWBPPD"),
            Some("G-14"),
            S,
            PASS,
        ),
        (
            with_ewb("E/2", json!({"TransMode": "1"}), "EWBERR"),
            Some("G-15"),
            S,
            PASS,
        ),
        (duplicate("A/1", "27", 3), Some("GF-1"), F, PASS),
        (duplicate("LOW/1", "29", 1), Some("GF-2"), F, PASS),
        (
            rejected("generate_irn", &["2172", "2185"]),
            Some("GF-12"),
            F,
            PASS,
        ),
        (
            rejected("generate_irn", &["2172", "2185"]),
            Some("GF-16"),
            F,
            PASS,
        ),
        (
            rejected("generate_irn", &["2255"]),
            Some("GF-other"),
            F,
            PASS,
        ),
        (rejected("generate_irn", &["1005"]), Some("AU-11"), F, PASS),
        (rejected("get_irn", &["1011"]), Some("AU-7"), F, PASS),
        (ok("cancel_irn", cancel, json!({})), Some("C-1"), S, PASS),
        (rejected("cancel_irn", &["9999"]), Some("C-2"), F, PASS),
        (rejected("cancel_irn", &["2148"]), Some("C-7"), F, PASS),
        (get_irn("ACT"), Some("R-1"), S, PASS),
        (get_irn("CNL"), Some("R-2"), S, PASS),
        (rejected("get_irn", &["2148"]), Some("R-4"), F, PASS),
        (gstin("gstin_details", SELLER, "ACT"), Some("GS-1"), S, PASS),
        (
            gstin("gstin_details", "27AAACB4444D1Z3", "ACT"),
            Some("GS-2"),
            S,
            PASS,
        ),
        (
            gstin("gstin_details", "29AAACX7777G1ZP", "CNL"),
            Some("GS-5"),
            S,
            PASS,
        ),
        (rejected("gstin_details", &["3001"]), Some("GS-3"), F, PASS),
        (gstin("sync_gstin", SELLER, "ACT"), Some("GS-6"), S, PASS),
        (ok("generate_ewb", rail, json!({})), Some("E-3"), S, PASS),
        (rejected("generate_ewb", &["4002"]), Some("E-6"), F, PASS),
        (
            ok("get_irn_by_document", Value::Null, json!({})),
            Some("RD-1"),
            S,
            PASS,
        ),
        (
            rejected("get_irn_by_document", &["2148"]),
            Some("RD-1-NF"),
            F,
            PASS,
        ),
        (rejected("get_ewb", &["4005"]), Some("E-10-NF"), F, PASS),
        (
            rejected("cancel_ewb", &["312"]),
            Some("E-11-other"),
            F,
            PASS,
        ),
        // The IRP failing is a failed step; an injected fault is no IRP answer at all.
        (server, Some(IRP_ERROR), S, Verdict::Failed),
        (bare, Some(IRP_ERROR), S, Verdict::Failed),
        (faulted, None, S, Verdict::Skipped),
    ]
}

#[test]
fn entries_classify_into_cases() {
    let table = journal();
    let mut entries: Vec<JournalEntry> = table.iter().map(|row| row.0.clone()).collect();
    // Unknown paths, and names of an API this harness does not know, are no outcome.
    entries.insert(3, ok("unknown", Value::Null, Value::Null));
    entries.push(ok("b2c_qr", Value::Null, Value::Null));
    let got = journal::outcomes(&entries);
    assert_eq!(got.len(), table.len());
    for (outcome, (entry, case, kind, verdict)) in got.iter().zip(&table) {
        let row = format!("{} {:?} → {outcome:?}", entry.api, entry.error_codes);
        assert_eq!(outcome.api, entry.api(), "{row}");
        assert_eq!(outcome.case.as_deref(), *case, "{row}");
        assert_eq!((outcome.kind, outcome.verdict), (*kind, *verdict), "{row}");
        assert_eq!(outcome.scenario, "journal");
        assert_eq!(outcome.millis, 2);
        assert!(!outcome.feature.is_empty(), "{row}");
        let exchange = outcome.exchange.as_ref().unwrap();
        assert!(exchange.call.starts_with(&entry.method), "{row}");
    }

    let by_case = |id: &str| got.iter().find(|o| o.case.as_deref() == Some(id)).unwrap();
    let g2 = by_case("G-2");
    assert_eq!(g2.feature, "B2B inter-state (IGST), INV, 3 items");
    assert_eq!(g2.actual, "Status 1");
    assert_eq!(g2.step, "generate_irn#8", "positions count every entry");
    let gf1 = by_case("GF-1");
    assert_eq!(gf1.actual, "Status 0: 2150 message 2150");
    assert_eq!(gf1.expected, "2150 + InfoDtls DUPIRN");
    assert_eq!(by_case("GF-other").feature, "Rejected with 2255");
    assert_eq!(
        by_case("AU-3").feature,
        "Forced refresh: new token (large_supplier, 29AAACL1111A1ZD)"
    );
    let error = by_case(IRP_ERROR);
    assert!(
        error.actual.starts_with("HTTP 500, Status 0: 5001"),
        "{}",
        error.actual
    );
    assert_eq!(error.reasons, ["the IRP answered HTTP 500"]);
    let gs5 = by_case("GS-5");
    assert_eq!(
        gs5.feature,
        "Another party's GSTIN 29AAACX7777G1ZP (status CNL)"
    );

    // Every ordinary answer counts toward its kind under the API called (1005 included).
    let report = Report::build(Header::default(), Minimums::Nic, got);
    let tally = |api| {
        let t = report.tally(api).unwrap();
        (t.success, t.failure, t.failed, t.skipped)
    };
    assert_eq!(tally(Api::Auth), (3, 2, 0, 0));
    assert_eq!(tally(Api::GenerateIrn), (9, 6, 1, 0));
    assert_eq!(tally(Api::GetIrn), (2, 2, 0, 1));
    assert_eq!(tally(Api::CancelIrn), (1, 2, 1, 0));
    assert_eq!(tally(Api::GstinDetails), (3, 1, 0, 0));
}

#[test]
fn ids_are_taken_from_the_journal_when_present() {
    let mut first = auth("t", false);
    first.id = 41;
    let got = journal::outcomes(&[first]);
    assert_eq!(got[0].step, "auth#41");
}

#[test]
fn missing_cases_name_reachable_counted_cases_not_shown() {
    let got = journal::outcomes(&[
        generate("B2B", "INV", "A/1", "29", 1),
        rejected("cancel_irn", &["2270"]),
    ]);
    let missing = journal::missing_cases(&got);
    let g5 = "Generate IRN G-5 (EXPWP export with payment): no call yet";
    assert!(missing.iter().any(|m| m == g5), "{missing:#?}");
    assert!(!missing.iter().any(|m| m.contains(" G-1 ")), "{missing:#?}");
    // Clock cases and uncounted APIs are not asked for.
    for absent in ["AU-3", "AU-4", "C-5", "R-3", "RD-1", "E-10", "E-11", "GS-6"] {
        let word = format!(" {absent} ");
        assert!(!missing.iter().any(|m| m.contains(&word)), "{absent}");
    }
    assert!(
        missing
            .iter()
            .any(|m| m.starts_with("Authentication AU-11 "))
    );
    assert_eq!(journal::missing_cases(&[]).len(), missing.len() + 1);
}

#[test]
fn large_bodies_are_truncated_on_a_character_boundary() {
    let big = "é".repeat(10_000);
    let got = journal::outcomes(&[ok(
        "generate_irn",
        json!({"DocDtls": {"No": big}}),
        json!({}),
    )]);
    let exchange = got[0].exchange.as_ref().unwrap();
    assert!(exchange.request.len() < 8 * 1024 + 100);
    assert!(
        exchange.request.contains("… (truncated: "),
        "{}",
        &exchange.request[8000..]
    );
    assert!(exchange.response.contains("\"Status\": 1"));
    assert!(!exchange.response.contains("truncated"));
}

#[test]
fn participants_come_from_irp_calls() {
    let mut a = auth("t", false);
    a.wall_time = "2026-03-30T20:00:00Z".to_owned();
    let mut b = rejected("get_irn", &["2148"]);
    b.wall_time = "2026-03-29T05:00:00+05:30".to_owned();
    b.gstin = Some("29aaacs2222b1zy".to_owned());
    b.user_name = Some("small_supplier".to_owned());
    let mut c = ok("unknown", Value::Null, Value::Null);
    c.gstin = Some("99XXXX".to_owned());
    c.wall_time = "2020-01-01T00:00:00Z".to_owned();
    let facts = journal::participants(&[a, b, c]);
    assert_eq!(facts.gstins, [SELLER, "29AAACS2222B1ZY"]);
    assert_eq!(facts.user_ids, ["large_supplier", "small_supplier"]);
    assert_eq!(facts.first_day.as_deref(), Some("2026-03-29"));
    assert_eq!(
        facts.last_day.as_deref(),
        Some("2026-03-31"),
        "IST, not UTC"
    );
}

#[tokio::test]
async fn files_in_both_formats_read_alike_and_a_bad_line_is_named() {
    let entries = vec![auth("t1", false), rejected("get_irn", &["2148"])];
    let dir = tempfile::tempdir().unwrap();
    let lines: String = entries
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect();
    let jsonl = dir.path().join("journal.jsonl");
    std::fs::write(&jsonl, &lines).unwrap();
    let page = dir.path().join("journal.json");
    let object = json!({"count": 2, "entries": entries});
    std::fs::write(&page, serde_json::to_string_pretty(&object).unwrap()).unwrap();
    for file in [&jsonl, &page] {
        let read = journal::read(file.to_str().unwrap(), None).await.unwrap();
        assert_eq!(read, entries, "{}", file.display());
    }

    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, format!("{lines}\nnot json\n")).unwrap();
    let err = journal::read(bad.to_str().unwrap(), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, JournalError::BadLine { line: 4, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("bad.jsonl, line 4: "), "{err}");

    let none = dir.path().join("none.jsonl");
    let err = journal::read(none.to_str().unwrap(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, JournalError::Io { .. }), "{err}");
    assert!(err.to_string().contains("none.jsonl"), "{err}");
}

/// Two errors with the same code, and a third with another: each keeps its own message in
/// Actual (the first message used to be repeated for the second 3028).
#[test]
fn actual_shows_each_error_s_own_message_when_two_share_a_code() {
    let mut entry = rejected("generate_irn", &["3028", "3028", "2172"]);
    entry.response["ErrorDetails"] = json!([
        {"ErrorCode": "3028", "ErrorMessage": "GSTIN - 29AAACU9999Z1ZB is not present"},
        {"ErrorCode": "3028", "ErrorMessage": "GSTIN - 27AAACB4444D1Z3 is not present"},
        {"ErrorCode": "2172", "ErrorMessage": "For intra state transaction IGST is not applicable"},
    ]);
    let got = journal::outcomes(&[entry]);
    assert_eq!(
        got[0].actual,
        "Status 0: 3028 GSTIN - 29AAACU9999Z1ZB is not present; \
         3028 GSTIN - 27AAACB4444D1Z3 is not present; \
         2172 For intra state transaction IGST is not applicable"
    );
    let report = Report::build(Header::default(), Minimums::Nic, got);
    let case = &report.cases[0];
    assert!(case.actual.contains("27AAACB4444D1Z3"), "{}", case.actual);
}
