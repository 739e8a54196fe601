//! The auditor on small synthetic journals.
//!
//! - `journals`: for every check, journals that trigger it and well-behaved ones that do
//!   not, each a few calls built with [`at`].
//! - `checks`: the table over those journals, and the facts the checks stand on (arrival
//!   order, attribution of unreadable calls, the summary, the written files).
//!
//! A journal is a list of calls at wall-clock offsets in milliseconds; ids follow arrival
//! unless a test says otherwise. Every call is by one client and GSTIN unless changed.

mod checks;
mod journals;

use serde_json::{Value, json};
use time::{Duration, OffsetDateTime, macros::datetime};

use crate::journal::JournalEntry;

pub(super) const SELLER: &str = "29AAACL1111A1ZD";
pub(super) const CLIENT: &str = "erp-1";
/// The wall clock of the first call; the emulator's clock reads the same instant.
const START: OffsetDateTime = datetime!(2026-03-31 10:00:00 +5:30);

/// A call `ms` after the start, answered in 1 ms with HTTP 200, not yet of any API.
pub(super) fn at(ms: i64) -> Call {
    let when = START + Duration::milliseconds(ms);
    Call(JournalEntry {
        wall_time: rfc3339(when.to_offset(time::UtcOffset::UTC)),
        virtual_time: rfc3339(when),
        api: "gstin_details".to_owned(),
        method: "GET".to_owned(),
        path: format!("/eivital/v1.03/Master/gstin/{SELLER}"),
        client_id: Some(CLIENT.to_owned()),
        gstin: Some(SELLER.to_owned()),
        user_name: Some("large_supplier".to_owned()),
        http_status: 200,
        latency_us: 1000,
        ..JournalEntry::default()
    })
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// An invoice `number` dated `date` worth `value` (the content besides the number).
pub(super) fn invoice(number: &str, date: &str, value: u32) -> Value {
    json!({
        "Version": "1.1",
        "TranDtls": {"TaxSch": "GST", "SupTyp": "B2B"},
        "DocDtls": {"Typ": "INV", "No": number, "Dt": date},
        "SellerDtls": {"Gstin": SELLER, "Stcd": "29"},
        "BuyerDtls": {"Gstin": "27AAACB4444D1Z3", "Pos": "27"},
        "ItemList": [{"SlNo": "1", "HsnCd": "1001", "AssAmt": value}],
        "ValDtls": {"AssVal": value, "TotInvVal": value},
    })
}

/// A value that differs between numbers (`A/1`, `a/1` alike), so that invoices of different
/// numbers are different invoices.
pub(super) fn value(number: &str) -> u32 {
    100 + number.to_uppercase().bytes().map(u32::from).sum::<u32>()
}

/// One journal entry being built.
#[derive(Debug, Clone)]
pub(super) struct Call(pub(super) JournalEntry);

impl Call {
    /// A login.
    pub(super) fn auth(mut self) -> Self {
        self.0.api = "auth".to_owned();
        self.0.method = "POST".to_owned();
        self.0.path = "/eivital/v1.04/auth".to_owned();
        self.0.request = json!({"UserName": "large_supplier", "Password": "***"});
        self.ok()
    }

    /// Get GSTIN details (the default API).
    pub(super) fn gstin_details(self) -> Self {
        self
    }

    /// Generate IRN for invoice `number` of 30/03/2026, worth [`value`]`(number)`.
    pub(super) fn generate(self, number: &str) -> Self {
        self.generate_invoice(invoice(number, "30/03/2026", value(number)))
    }

    /// Generate IRN for `request`.
    pub(super) fn generate_invoice(mut self, request: Value) -> Self {
        self.0.api = "generate_irn".to_owned();
        self.0.method = "POST".to_owned();
        self.0.path = "/eicore/v1.03/Invoice".to_owned();
        self.0.request = request;
        self
    }

    /// Get IRN by document for `INV number` of 30/03/2026.
    pub(super) fn lookup(mut self, number: &str) -> Self {
        self.0.api = "get_irn_by_document".to_owned();
        self.0.path = format!(
            "/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV&docnum={number}&docdate=30%2F03%2F2026"
        );
        self
    }

    /// A success: `Status` 1, and for Generate IRN an IRN made from the number.
    pub(super) fn ok(mut self) -> Self {
        self.0.status = Some(1);
        let number = crate::journal::text(self.0.request.pointer("/DocDtls/No"));
        let data = match (self.0.api.as_str(), number) {
            ("generate_irn", Some(number)) => json!({"Irn": irn(&number), "AckNo": 1}),
            _ => json!({}),
        };
        self.0.response = json!({"Status": 1, "Data": data});
        self
    }

    /// A rejection with `codes` (`Status` 0).
    pub(super) fn rejected(mut self, codes: &[&str]) -> Self {
        self.0.status = Some(0);
        self.0.error_codes = codes.iter().map(|c| (*c).to_owned()).collect();
        self
    }

    /// 2150 with (or without) the DUPIRN block.
    pub(super) fn duplicate(self, dupirn: bool) -> Self {
        let mut call = self.rejected(&["2150"]);
        if dupirn {
            call.0.info_codes = vec!["DUPIRN".to_owned()];
            call.0.response = serde_json::json!({
                "Status": 0,
                "ErrorDetails": [{"ErrorCode": "2150", "ErrorMessage": "Duplicate IRN"}],
                "InfoDtls": [{"InfCd": "DUPIRN", "Desc": {
                    "AckNo": 112610000000001_u64,
                    "AckDt": "2026-03-31 10:00:01",
                    "Irn": "9f".repeat(32)}}],
            });
        }
        call
    }

    /// Answered by IRP `name` (a journal of several IRPs).
    pub(super) fn irp(mut self, name: &str) -> Self {
        self.0.irp = Some(name.to_owned());
        self
    }

    /// 2150 with the `DUPIRNGLP` block: the original is held at another IRP.
    pub(super) fn duplicate_elsewhere(self) -> Self {
        let mut call = self.rejected(&["2150"]);
        let number =
            crate::journal::text(call.0.request.pointer("/DocDtls/No")).unwrap_or_default();
        call.0.info_codes = vec!["DUPIRNGLP".to_owned()];
        call.0.response = json!({
            "Status": 0,
            "ErrorDetails": [{"ErrorCode": "2150", "ErrorMessage": "Duplicate IRN"}],
            "InfoDtls": [{"InfCd": "DUPIRNGLP", "Desc": {
                "AckNo": 112610000000001_u64,
                "AckDt": "2026-03-31 10:00:01",
                "Irn": irn(&number)}}],
        });
        call
    }

    /// An HTTP 503 from an IRP that is down, with the request journaled.
    pub(super) fn unavailable(mut self) -> Self {
        self.0.fault = Some("1:outage:http_status:before".to_owned());
        self.0.http_status = 503;
        self.0.response = json!({"Status": 0, "ErrorDetails": [{"ErrorCode": "503"}]});
        self
    }

    /// An injected fault of `action` before the API ran: no request in the journal.
    pub(super) fn fault(mut self, action: &str, http_status: u16) -> Self {
        self.0.fault = Some(format!("1:test:{action}:before"));
        self.0.request = Value::Null;
        self.0.http_status = http_status;
        self
    }

    /// An injected fault of `action` after the registration committed: request kept.
    pub(super) fn fault_after_commit(mut self, action: &str) -> Self {
        self.0.fault = Some(format!("2:test:{action}:after_commit"));
        self
    }

    /// A rate-limit refusal with `Retry-After: seconds` (in the 429 body, as older journals).
    pub(super) fn throttled(mut self, seconds: u64) -> Self {
        self.0.fault = Some("rate_limit:1:per-client".to_owned());
        self.0.request = Value::Null;
        self.0.http_status = 429;
        self.0.response =
            json!({"status": 429, "error": "Too Many Requests", "retry_after": seconds});
        self
    }

    /// Answered after `ms`.
    pub(super) fn latency(mut self, ms: u64) -> Self {
        self.0.latency_us = ms * 1000;
        self
    }
}

/// A fake IRN for `number`.
fn irn(number: &str) -> String {
    format!("{:0>64}", number.to_lowercase().replace(['/', '-'], ""))
}

/// The journal of `calls`, ids 1, 2, … in the order given.
pub(super) fn journal(calls: Vec<Call>) -> Vec<JournalEntry> {
    calls
        .into_iter()
        .zip(1..)
        .map(|(Call(mut entry), id)| {
            entry.id = id;
            entry
        })
        .collect()
}
