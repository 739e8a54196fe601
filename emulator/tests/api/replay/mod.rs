//! Replay of real recorded IRP traffic.
//!
//! Every recorded exchange is sent again to an in-process emulator over a real loopback
//! socket with `irp-client`'s transport, logged in as the taxpayer that matches the sample's
//! seller, with the emulator's clock frozen at the instant NIC stamped on its answer (so the
//! date rules, `AckDt`, `EwbDt`, `EwbValidTill` and `CancelDate` can match exactly). The
//! answer is compared with NIC's: accept or reject, codes, messages, `InfoDtls`, and the
//! signed `data` of `SignedInvoice` and `SignedQRCode` byte for byte.
//!
//! What is substituted before comparing, and why:
//! - `AckNo` (and `EwbNo`): sequence numbers of NIC's database; the emulator has its own.
//!   Nothing else in a signed payload is substituted: the IRN is `sha256(GSTIN + FY + type
//!   + number)`, so it must match NIC's exactly, and the clock makes `AckDt` match.
//! - The JWS header (`kid`, `x5t`) and the signature: another key; NIC's signature is not
//!   verified (we do not hold NIC's certificate for these years).
//! - GSP envelopes: the 2025 sample went through a GSP that prints `Status` as `"1"` and a
//!   null `Remarks` as Python's `"None"`; India Compliance's fixture keeps its GSP's
//!   `{success, message, result, info}` and prefixes messages with `"2150 : "`. Each is read
//!   back into NIC's `{Status, Data, ErrorDetails, InfoDtls}` before comparing.
//!
//! Sources: the in-repo fixtures are always replayed; India Compliance's NIC-sandbox answers
//! (GPL-3.0 test data, never copied into this repository) are replayed when the reference
//! pack is found at `$IRP_REAL_SAMPLES`, else `<workspace>/../shared/reference/real-samples`.
//! Taxpayers of those samples (sellers `01AMBPG7773M002`, `02AMBPG7773M002`, recipient
//! `36AMBPG7773M002`) are added at run time with `POST /__emulator__/taxpayers`, so the
//! built-in master and the rule settings stay as they are.
//!
//! A difference that is known and cannot be reproduced on purpose is listed in [`EXPECTED`]
//! with its reason; an entry that stops differing fails the test, so the table stays true.
//! Recorded entries that are not replayed at all are listed in [`NOT_REPLAYED`].

mod india_compliance;
mod ledger;
mod nic;

use std::{path::PathBuf, time::Duration};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use irp_client::{Client, Portal, Session};
use serde_json::{Value, json};

use self::ledger::Ledger;
use crate::helpers::*;

/// A known difference from NIC's recorded answer: sample, what is compared, why it differs.
pub(crate) struct Expected {
    pub(crate) sample: &'static str,
    pub(crate) what: &'static str,
    pub(crate) why: &'static str,
}

/// Differences from NIC's recorded answers that the emulator does not reproduce on purpose.
pub(crate) const EXPECTED: &[Expected] = &[
    Expected {
        sample: "real-error-messages",
        what: "message of 5002: Application error, issue with application while processing \
               the request. Please try again. If error persists kindly raise a ticket along \
               with request JSON, error details and timestamp of the error occurrence.",
        why: "the emulator answers 5002 for a body over the size limit with \"Request body too \
              large\"; NIC's 2023 text is its generic application error. The conflict is \
              recorded in emulator/data/error-codes.csv",
    },
    Expected {
        sample: "ic/goods_item_with_ewaybill",
        what: "InfoDtls",
        why: "EWBPPD's 2467 km is NIC's distance for the fixture's edited request_data (seller \
              PIN 171302, SOURCES.md); the signed invoice replayed has seller PIN 193501, for \
              which the emulator's PIN-centroid estimate is 2395 km",
    },
    Expected {
        sample: "ic/goods_item_with_ewaybill",
        what: "EwbValidTill",
        why: "follows from the distance above: 2395 km is 12 days, 2467 km is 13",
    },
    Expected {
        sample: "ic/goods_item_with_ewaybill",
        what: "iss",
        why: ISS_2022,
    },
    Expected {
        sample: "ic/service_item",
        what: "iss",
        why: ISS_2022,
    },
    Expected {
        sample: "ic/return_invoice",
        what: "iss",
        why: ISS_2022,
    },
    Expected {
        sample: "ic/debit_invoice",
        what: "iss",
        why: ISS_2022,
    },
    Expected {
        sample: "ic/duplicate_irn",
        what: "InfoDtls Desc/AckDt",
        why: "the recorded Desc names the registration of 2022-09-16 19:29:00 (its IRN and \
              AckNo) with AckDt 2023-10-02 16:26:00: an edited fixture; the emulator gives \
              the registration's own AckDt",
    },
    Expected {
        sample: "ic/cancel_e_waybill",
        what: "/Data/cancelDate",
        why: "the bill is cancelled before the IRN (NIC refuses 2230 otherwise), at the IRN's \
              CancelDate; NIC's recorded cancel of it, on 20/09/2022, is past the 24-hour \
              window (315) and comes from another run of the fixture",
    },
];

/// Why the 2022 `iss` differs.
const ISS_2022: &str = "NIC's sandbox signed as \"NIC\" in September 2022 and as \"NIC Sandbox\" \
    in the 2023 and 2025 recordings; the emulator signs as the sandbox does now";

/// Recorded entries that are not sent at all, and why.
pub(crate) const NOT_REPLAYED: &[(&str, &str)] = &[
    (
        "ic/nil_exempted_item",
        "its recorded answer is service_item's (same AckNo, IRN and signed invoice): the fixture reused it",
    ),
    (
        "ic/foreign_transaction",
        "a request without a recorded answer",
    ),
    (
        "ic/dispatch_details",
        "a request fragment (DispDtls), not an exchange",
    ),
    (
        "ic/shipping_details",
        "a request fragment (ShipDtls), not an exchange",
    ),
    ("ic-ewb/non_taxable_goods_item", STANDALONE_EWB),
    ("ic-ewb/goods_item_with_ewaybill", STANDALONE_EWB),
    ("ic-ewb/update_transporter", STANDALONE_EWB),
    ("ic-ewb/update_vehicle_info", STANDALONE_EWB),
    ("ic-ewb/extend_validity", STANDALONE_EWB),
    ("ic-ewb/goods_with_taxes", STANDALONE_EWB),
    ("ic-ewb/credit_note", STANDALONE_EWB),
    ("ic-ewb/cancel_e_waybill", STANDALONE_EWB),
    ("ic-ewb/get_e_waybill", STANDALONE_EWB),
    ("ic-ewb/is_return_dn_with_same_gstin", STANDALONE_EWB),
    ("ic-ewb/is_return_dn_with_different_gstin", STANDALONE_EWB),
    ("ic-ewb/dn_with_different_gstin", STANDALONE_EWB),
    ("ic-ewb/dn_with_same_gstin", STANDALONE_EWB),
    ("ic-ewb/pi_data_for_unregistered_supplier", STANDALONE_EWB),
    ("ic-ewb/pi_data_for_registered_supplier", STANDALONE_EWB),
    (
        "ic-ewb/purchase_return_for_registered_supplier",
        STANDALONE_EWB,
    ),
    ("ic-ewb/gsp_gst_down_error", STANDALONE_EWB),
    ("ic-ewb/stock_entry", STANDALONE_EWB),
];

/// Why `test_e_waybill.json` is not replayed.
const STANDALONE_EWB: &str = "the e-way bill system's own API (generate from a document, \
    update vehicle or transporter, extend validity, get, cancel of a bill it made) is not \
    emulated: only the e-way bill by IRN is (README, Status)";

/// The reference pack's `real-samples` directory, if present.
fn reference_pack() -> Option<PathBuf> {
    let dir = std::env::var_os("IRP_REAL_SAMPLES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/real-samples"),
        PathBuf::from,
    );
    dir.join("india-compliance.test_e_invoice.json")
        .is_file()
        .then_some(dir)
}

#[tokio::test]
async fn replay_of_real_recorded_traffic() {
    let mut ledger = Ledger::default();
    nic::replay(&mut ledger).await;
    nic::error_messages(&mut ledger);
    match reference_pack() {
        Some(dir) => india_compliance::replay(&mut ledger, &dir).await,
        None => println!(
            "replay: reference pack not found (set IRP_REAL_SAMPLES): replayed the in-repo \
             samples only"
        ),
    }
    ledger.finish();
}

/// An emulator on a loopback port and a client of it.
pub(crate) struct Replayer {
    _app: TestApp,
    client: Client,
}

impl Replayer {
    pub(crate) async fn start(settings: irp_emulator::config::Settings) -> Self {
        let app = spawn_app_with(settings).await;
        let portal = Portal {
            base: format!("http://{}", app.addr),
            caller: caller(),
            auth_public: auth_public_key(),
            admin_token: None,
        };
        let client = Client::new(portal, Duration::from_secs(60)).unwrap();
        Self { _app: app, client }
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// Freezes the emulator's clock at `at` (IST, `yyyy-MM-dd HH:mm:ss`).
    pub(crate) async fn freeze_at(&self, at: &str) {
        let answer = self
            .client
            .control(
                axum::http::Method::POST,
                "/clock",
                Some(&json!({ "freeze_at": at })),
            )
            .await
            .unwrap();
        assert_eq!(answer.status(), Some(1), "{:?}", answer.doc);
    }

    /// Adds (or replaces) a taxpayer of the master.
    pub(crate) async fn add_taxpayer(&self, taxpayer: &Value) {
        let answer = self
            .client
            .control(axum::http::Method::POST, "/taxpayers", Some(taxpayer))
            .await
            .unwrap();
        assert_eq!(answer.status(), Some(1), "{:?}", answer.doc);
    }

    /// Generate IRN of `invoice` by `user` of `gstin`, on the clock frozen at `at` (the
    /// recorded AckDt): the session and the answer document.
    pub(crate) async fn generate_at(
        &self,
        at: &str,
        (gstin, user): (&str, &str),
        invoice: &Value,
    ) -> (Session, Value) {
        self.freeze_at(at).await;
        let (_, session) = self.login(gstin, user).await;
        let made = self
            .client
            .generate_irn(&session, invoice)
            .await
            .unwrap()
            .doc;
        (session, made)
    }

    /// Logs `user` of `gstin` in: the auth answer and the session.
    pub(crate) async fn login(&self, gstin: &str, user: &str) -> (irp_client::Answer, Session) {
        let (answer, session) = self
            .client
            .auth(&login_of(gstin, user, PASSWORD, false))
            .await
            .unwrap();
        let session = session.unwrap_or_else(|| panic!("login failed: {:?}", answer.doc));
        (answer, session)
    }
}

/// The claims of a compact JWS (its signature not verified).
pub(crate) fn claims(jws: &str) -> Value {
    let payload = jws.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// The `data` text of a compact JWS.
pub(crate) fn signed_data(jws: &str) -> String {
    claims(jws)["data"].as_str().unwrap().to_owned()
}

/// The request NIC signed: its signed payload without what NIC adds (`AckNo`, `AckDt`,
/// `Irn`, and each item's `ItemNo`). Key order and number spellings are kept.
pub(crate) fn request_of_signed(data: &str) -> Value {
    let mut invoice: Value = serde_json::from_str(data).unwrap();
    let map = invoice.as_object_mut().unwrap();
    for key in ["AckNo", "AckDt", "Irn"] {
        map.remove(key);
    }
    for item in map["ItemList"].as_array_mut().unwrap() {
        item.as_object_mut().unwrap().remove("ItemNo");
    }
    invoice
}

/// `data` with the emulator's `AckNo` replaced by NIC's (see the module's substitutions).
pub(crate) fn with_ack_no(data: &str, ours: &Value, nic: &Value) -> String {
    data.replacen(&format!("\"AckNo\":{ours}"), &format!("\"AckNo\":{nic}"), 1)
}
