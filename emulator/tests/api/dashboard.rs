//! The dashboard's control paths: registrations listed, searched and decoded; their QR
//! images decoded back to the `SignedQRCode`; the taxpayer list; NIC's messages; the
//! journal's error-code filter; and the page under the access rule with its login.

use std::net::SocketAddr;

use axum::{body::Body, http::Request};
use irp_emulator::{config::Settings, state::AppState};
use serde_json::Value;

use crate::{
    helpers::*,
    invoice::{CANCEL, GENERATE, cancel_body, sample},
};

async fn send(state: &AppState, request: Request<Body>, peer: [u8; 4]) -> Raw {
    oneshot_from(state, request, SocketAddr::from((peer, 40000))).await
}

const LOOPBACK: [u8; 4] = [127, 0, 0, 1];
const REMOTE: [u8; 4] = [10, 1, 2, 3];

async fn get(state: &AppState, path: &str) -> Raw {
    send(
        state,
        Request::get(path).body(Body::empty()).unwrap(),
        LOOPBACK,
    )
    .await
}

/// Registers `doc_no` for the large supplier; the decrypted answer.
async fn register(state: &AppState, session: &Login, doc_no: &str) -> Value {
    let answer = oneshot(state, authed_post(session, GENERATE, &sample(doc_no))).await;
    open(session, &answer)
}

fn irns(listing: &Value) -> Vec<&str> {
    listing["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["irn"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn registrations_are_listed_newest_first_searched_and_shown_decoded() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let first = register(&state, &session, "DASH/1").await;
    let second = register(&state, &session, "DASH/22").await;
    let (first_irn, second_irn) = (
        first["Irn"].as_str().unwrap(),
        second["Irn"].as_str().unwrap(),
    );
    let cancel = oneshot(
        &state,
        authed_post(&session, CANCEL, &cancel_body(first_irn)),
    )
    .await;
    assert_eq!(cancel.body["Status"], 1, "{cancel:?}");

    let all = get(&state, "/__emulator__/registrations").await.json();
    assert_eq!(irns(&all), [second_irn, first_irn]);
    let newest = &all["registrations"][0];
    assert_eq!(newest["doc_no"], "DASH/22");
    assert_eq!(newest["doc_type"], "INV");
    assert_eq!(newest["supplier_gstin"], LARGE);
    assert_eq!(newest["status"], "ACT");
    assert_eq!(newest["ack_no"], second["AckNo"]);
    assert_eq!(newest["ack_dt"], second["AckDt"]);
    let cancelled = &all["registrations"][1];
    assert_eq!(cancelled["status"], "CNL");
    assert_eq!(cancelled["cancel_reason"], "2");
    assert!(cancelled["cancelled_at"].is_string());

    let buyer = sample("X")["BuyerDtls"]["Gstin"]
        .as_str()
        .unwrap()
        .to_owned();
    for (search, expected) in [
        ("dash/2", vec![second_irn]),
        ("DASH/", vec![second_irn, first_irn]),
        (&first_irn[..12], vec![first_irn]),
        (LARGE, vec![second_irn, first_irn]),
        (&buyer.to_lowercase(), vec![second_irn, first_irn]),
        ("%", vec![]),
        ("NO-SUCH-DOC", vec![]),
    ] {
        let path = format!(
            "/__emulator__/registrations?q={}",
            search.replace('%', "%25")
        );
        let found = get(&state, &path).await.json();
        assert_eq!(irns(&found), expected, "search {search:?}");
    }
    let one = get(&state, "/__emulator__/registrations?limit=1")
        .await
        .json();
    assert_eq!(irns(&one), [second_irn]);

    let view = get(&state, &format!("/__emulator__/registrations/{second_irn}"))
        .await
        .json();
    assert_eq!(view["signed_qr_code"], second["SignedQRCode"]);
    assert_eq!(view["signed_invoice"], second["SignedInvoice"]);
    assert_eq!(view["signed_invoice_decoded"]["header"]["alg"], "RS256");
    assert_eq!(
        view["signed_invoice_decoded"]["payload"]["data"]["Irn"],
        second_irn
    );
    assert_eq!(
        view["signed_qr_code_decoded"]["payload"]["data"]["DocNo"],
        "DASH/22"
    );
    assert_eq!(view["qr_png"], format!("/__emulator__/qr/{second_irn}.png"));

    for path in [
        format!("/__emulator__/registrations/{}", "0".repeat(64)),
        "/__emulator__/registrations/not-an-irn".to_owned(),
    ] {
        let missing = get(&state, &path).await;
        assert_eq!(missing.status, 404, "{path}");
        assert_eq!(missing.json()["ErrorDetails"][0]["ErrorCode"], "404");
    }
    let bad = get(&state, "/__emulator__/registrations?limit=x").await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["Status"], 0);
}

/// Decodes a PNG with an independent QR decoder.
fn decode_qr_png(bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let width = frame.width as usize;
    let channels = frame.color_type.samples();
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, frame.height as usize, |x, y| {
            pixels[(y * width + x) * channels]
        });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one QR code");
    grids[0].decode().unwrap().1
}

#[tokio::test]
async fn the_qr_images_hold_exactly_the_signed_qr_code() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    let made = register(&state, &session, "QR/1").await;
    let irn = made["Irn"].as_str().unwrap();
    let signed_qr = made["SignedQRCode"].as_str().unwrap();

    let png = get(&state, &format!("/__emulator__/qr/{irn}.png")).await;
    assert_eq!(png.status, 200);
    assert_eq!(png.header("content-type"), "image/png");
    assert_eq!(decode_qr_png(&png.bytes), signed_qr);

    let svg = get(&state, &format!("/__emulator__/qr/{irn}.svg")).await;
    assert_eq!(svg.status, 200);
    assert_eq!(svg.header("content-type"), "image/svg+xml");
    assert!(svg.text.starts_with("<?xml") && svg.text.contains("<svg"));

    for path in [
        format!("/__emulator__/qr/{irn}.gif"),
        format!("/__emulator__/qr/{irn}"),
        format!("/__emulator__/qr/{}.png", "0".repeat(64)),
        "/__emulator__/qr/..%2F..%2Fetc%2Fpasswd.png".to_owned(),
    ] {
        let answer = get(&state, &path).await;
        assert_eq!(answer.status, 404, "{path}");
        assert_eq!(
            answer.json()["ErrorDetails"][0]["ErrorCode"],
            "404",
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_journal_filters_by_whole_error_codes() {
    let (state, _) = state();
    let session = login(&state, LARGE, LARGE_USER, false).await;
    register(&state, &session, "ERR/1").await;
    oneshot(&state, authed_post(&session, GENERATE, &sample("ERR/1")))
        .await
        .assert_error("2150");
    let entries = |query: &'static str| {
        let state = state.clone();
        async move {
            let answer = get(&state, &format!("/__emulator__/journal?{query}")).await;
            assert_eq!(answer.status, 200, "{query}");
            answer.json()["entries"].as_array().unwrap().clone()
        }
    };
    let duplicates = entries("error_code=2150").await;
    assert_eq!(duplicates.len(), 1);
    assert_eq!(duplicates[0]["error_codes"], serde_json::json!(["2150"]));
    assert!(entries("error_code=215").await.is_empty());
    assert!(entries("error_code=150").await.is_empty());
    assert_eq!(entries("api=generate_irn").await.len(), 2);
}

#[tokio::test]
async fn taxpayers_and_error_messages_are_listed_without_secrets() {
    let (state, _) = state();
    let listing = get(&state, "/__emulator__/taxpayers").await;
    assert_eq!(listing.status, 200);
    let body = listing.json();
    let large = body["taxpayers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["Gstin"] == LARGE)
        .unwrap();
    assert_eq!(large["Status"], "ACT");
    let users = large["Users"].as_array().unwrap();
    assert!(users.contains(&Value::from(LARGE_USER)), "{users:?}");
    assert!(large["EinvoiceEnabled"].is_boolean());
    assert!(!listing.text.contains(PASSWORD));
    assert_eq!(
        body["count"].as_u64(),
        Some(body["taxpayers"].as_array().unwrap().len() as u64)
    );

    let codes = get(&state, "/__emulator__/error-codes").await.json();
    assert_eq!(codes["codes"]["2150"], "Duplicate IRN");
    assert_eq!(codes["codes"]["1005"], "Invalid Token");
    // The text the API answers, where it differs from the catalogue's note.
    assert_eq!(
        codes["codes"]["2270"],
        "IRN cannot be cancelled as it is more than 24 hrs old"
    );
    assert_eq!(
        codes["codes"]["404"],
        "The requested API path does not exist"
    );
}

#[tokio::test]
async fn the_page_is_served_to_loopback_with_its_files_and_a_strict_policy() {
    let (state, _) = state();
    let page = get(&state, "/__emulator__/ui").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(
        page.header("content-security-policy")
            .contains("script-src 'self'")
    );
    assert!(page.text.contains("/__emulator__/ui/app.js"));
    for (file, content_type) in [("app.js", "text/javascript"), ("app.css", "text/css")] {
        let answer = get(&state, &format!("/__emulator__/ui/{file}")).await;
        assert_eq!(answer.status, 200, "{file}");
        assert!(
            answer.header("content-type").starts_with(content_type),
            "{file}"
        );
    }
    let missing = get(&state, "/__emulator__/ui/secret.pem").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["Status"], 0);
    let remote = send(
        &state,
        Request::get("/__emulator__/ui")
            .body(Body::empty())
            .unwrap(),
        REMOTE,
    )
    .await;
    assert_eq!(remote.status, 403);
    assert_eq!(remote.json()["ErrorDetails"][0]["ErrorCode"], "403");
}

fn login_form(token: &str) -> Request<Body> {
    Request::post("/__emulator__/ui/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("token={token}")))
        .unwrap()
}

fn with_cookie(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn with_an_admin_token_the_page_asks_for_it_and_its_cookie_opens_the_namespace() {
    let (state, _) = state_with(Settings {
        admin_token: Some("s3cret;=x".into()),
        ..Settings::default()
    });
    for peer in [LOOPBACK, REMOTE] {
        let page = send(
            &state,
            Request::get("/__emulator__/ui")
                .body(Body::empty())
                .unwrap(),
            peer,
        )
        .await;
        assert_eq!(page.status, 401);
        assert!(page.text.contains("action=\"/__emulator__/ui/login\""));
        assert!(!page.text.contains("app.js"));
    }
    let wrong = send(&state, login_form("s3cret"), REMOTE).await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.text.contains("not the admin token"));
    assert!(wrong.headers.get("set-cookie").is_none());
    let garbled = send(
        &state,
        Request::post("/__emulator__/ui/login")
            .body(Body::from("x"))
            .unwrap(),
        REMOTE,
    )
    .await;
    assert_eq!(garbled.status, 401);

    // The token, form-encoded ("s3cret;=x").
    let right = send(&state, login_form("s3cret%3B%3Dx"), REMOTE).await;
    assert_eq!(right.status, 303);
    assert_eq!(right.header("location"), "/__emulator__/ui");
    let set_cookie = right.header("set-cookie").to_owned();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"));
    assert!(!set_cookie.contains("s3cret"), "the cookie holds a digest");
    let cookie = set_cookie.split(';').next().unwrap().to_owned();

    for path in [
        "/__emulator__/ui",
        "/__emulator__/ui/app.js",
        "/__emulator__/sandbox",
    ] {
        let answer = send(&state, with_cookie(path, &cookie), REMOTE).await;
        assert_eq!(answer.status, 200, "{path} with the cookie");
    }
    let flipped = if cookie.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{flipped}", &cookie[..cookie.len() - 1]);
    let answer = send(
        &state,
        with_cookie("/__emulator__/sandbox", &forged),
        REMOTE,
    )
    .await;
    assert_eq!(answer.status, 403);
    let answer = send(&state, with_cookie("/__emulator__/ui", &forged), REMOTE).await;
    assert_eq!(answer.status, 401);
}
