//! Generate IRN from schema check to signed answer, and the answer shared with Get IRN.
//!
//! Order, as NIC documents it: schema → business rules → duplicate check → IRN → AckNo and
//! AckDt → signed invoice and QR → optional e-way bill (whose failure becomes `EWBERR`
//! information, not an error) → answer.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::{
    clock::{IST, format_ist, format_ist_minute},
    error::{ApiError, ErrorCode},
    ewaybill,
    gstin::Gstin,
    invoice::{AckNo, EwbNo, Invoice, QrData, to_dotnet_json},
    irn::{FinancialYear, Irn},
    registry::{Conflict, IrnRecord, IrnStatus, NewRecord, Rejection, Signed},
    rules::{self, Accepted, Context},
    state::AppState,
};

/// The decrypted `Data` of Generate IRN and Get IRN, keys in NIC's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IrnAnswer {
    /// 15-digit acknowledgement number.
    pub ack_no: AckNo,
    /// Acknowledgement time, IST.
    pub ack_dt: String,
    /// The IRN.
    pub irn: String,
    /// RS256 JWS of the canonical invoice.
    pub signed_invoice: String,
    /// RS256 JWS of the QR payload.
    #[serde(rename = "SignedQRCode")]
    pub signed_qr_code: String,
    /// `ACT` or `CNL`.
    pub status: String,
    /// E-way bill number, when one exists.
    pub ewb_no: Option<EwbNo>,
    /// E-way bill time.
    pub ewb_dt: Option<String>,
    /// E-way bill validity.
    pub ewb_valid_till: Option<String>,
    /// Remarks (always null).
    pub remarks: Option<String>,
}

impl IrnAnswer {
    /// The answer for a completed registration.
    pub fn of(record: &IrnRecord) -> Self {
        let ewb = record.active_ewb();
        Self {
            ack_no: record.ack_no,
            ack_dt: format_ist(record.ack_dt),
            irn: record.irn.to_string(),
            signed_invoice: record.signed.invoice.clone(),
            signed_qr_code: record.signed.qr.clone(),
            status: record.status.code().to_owned(),
            ewb_no: ewb.map(|e| e.ewb_no),
            ewb_dt: ewb.map(|e| format_ist_minute(e.generated)),
            ewb_valid_till: ewb.and_then(|e| e.valid_till).map(format_ist),
            remarks: None,
        }
    }
}

/// A successful registration: the answer and any `InfoDtls`.
#[derive(Debug)]
pub struct Registered {
    /// `Data`.
    pub answer: IrnAnswer,
    /// `InfoDtls` (EWBPPD or EWBERR).
    pub info: Option<Value>,
}

/// The answer to a document that is already registered: 2150 with `DUPIRN` when this IRP
/// holds it; when another IRP does, the cross-IRP marker the settings choose, and the
/// refusal is kept for "Get rejected IRNs". A cancelled document number is 2278 wherever it
/// was registered.
async fn refuse(
    state: &AppState,
    conflict: Conflict,
    supplier: &Gstin,
    invoice: &Invoice,
    now: OffsetDateTime,
) -> ApiError {
    let Conflict::Duplicate {
        ack_no,
        ack_dt,
        irn,
        irp,
    } = conflict
    else {
        return ApiError::new(ErrorCode::CancelledDocumentNumber);
    };
    let mut desc =
        json!({ "AckNo": ack_no, "AckDt": format_ist_minute(ack_dt), "Irn": irn.as_str() });
    if irp == state.settings.irp.name {
        return ApiError::new(ErrorCode::DuplicateIrn)
            .with_info(json!([{ "InfCd": "DUPIRN", "Desc": desc }]));
    }
    let marker = state.settings.rules.cross_irp_duplicate;
    if marker.names_the_irp() {
        desc["IrnDtl"] = json!({ "RegIrp": irp.wire() });
    }
    let rejection = Rejection {
        irp: state.settings.irp.name.clone(),
        supplier: supplier.to_string(),
        irn,
        doc_type: invoice.doc_dtls.typ.code().to_owned(),
        doc_no: invoice.doc_dtls.no.clone(),
        doc_date: invoice.doc_dtls.dt.clone(),
        held_irp: irp,
        ack_no,
        at: now,
    };
    if let Err(e) = state.registry.reject(rejection).await {
        return internal(e);
    }
    ApiError::new(ErrorCode::DuplicateIrn)
        .with_info(json!([{ "InfCd": marker.info_code(), "Desc": desc }]))
}

fn internal(cause: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::ApplicationError).caused_by(cause)
}

/// Schema and business rules only: the invoice as accepted, or the IRP's error answer.
/// Nothing is registered; [`generate`] runs this first.
pub fn check(
    state: &AppState,
    caller: &Gstin,
    document: Value,
) -> Result<(Invoice, Accepted), ApiError> {
    check_at(state, caller, document, state.clock.now())
}

/// [`check`] with "today" taken from `now`, so Generate reads the clock once.
fn check_at(
    state: &AppState,
    caller: &Gstin,
    mut document: Value,
    now: OffsetDateTime,
) -> Result<(Invoice, Accepted), ApiError> {
    state
        .schema
        .check(&mut document, state.settings.rules.coercion())?;
    let invoice = Invoice::deserialize(&document).map_err(|e| {
        ApiError::with_message(ErrorCode::InvalidInvoice, format!("Invalid invoice: {e}"))
    })?;
    drop(document);
    let taxpayers = state.taxpayers();
    let ctx = Context {
        rules: &state.settings.rules,
        gstin: state.settings.gstin_check(),
        taxpayers: &taxpayers,
        caller,
        today: now.to_offset(IST).date(),
    };
    let accepted = rules::validate(&ctx, &invoice)?;
    Ok((invoice, accepted))
}

/// Generate IRN for `caller` from the decrypted request JSON. Answers only once the
/// registration, and the e-way bill made with it in the same transaction, is durable.
///
/// From the claim on, the registration runs in a task of its own: a caller that goes away
/// while the invoice is being signed (a client timeout, a closed connection) must not leave
/// an AckNo issued and never stored. It ends stored, its answer lost, as on the real IRP.
pub async fn generate(
    state: &AppState,
    caller: &Gstin,
    document: Value,
) -> Result<Registered, ApiError> {
    let now = state.clock.now();
    let (invoice, accepted) = check_at(state, caller, document, now)?;
    let (state, caller) = (state.clone(), caller.clone());
    tokio::spawn(async move { register(&state, &caller, invoice, accepted, now).await })
        .await
        .unwrap_or_else(|e| Err(internal(e)))
}

/// Claims the IRN, signs, and commits the registration (with its e-way bill, if any).
async fn register(
    state: &AppState,
    caller: &Gstin,
    mut invoice: Invoice,
    accepted: Accepted,
    now: OffsetDateTime,
) -> Result<Registered, ApiError> {
    let rules = &state.settings.rules;
    let irn = Irn::derive(
        &accepted.seller,
        FinancialYear::of(accepted.doc_date),
        accepted.doc_type,
        &invoice.doc_dtls.no,
        rules.doc_no_case.into(),
    );
    let claim = match state.registry.reserve(&irn, now, &state.settings.irp)? {
        Ok(claim) => claim,
        Err(conflict) => return Err(refuse(state, conflict, &accepted.seller, &invoice, now).await),
    };
    invoice.ack_no = Some(claim.ack_no);
    invoice.ack_dt = Some(format_ist(now));
    invoice.irn = Some(irn.to_string());

    let mut record = IrnRecord {
        irn: irn.clone(),
        ack_no: claim.ack_no,
        ack_dt: now,
        supplier: accepted.seller,
        operator: invoice.tran_dtls.ecm_gstin.clone(),
        signed: sign(state, &invoice).await?,
        status: IrnStatus::Active,
        ewb: None,
        irp: state.settings.irp.name.clone(),
    };
    // The e-way bill's rules run on the invoice in hand, before anything is committed, so
    // the one transaction below holds the IRN and its e-way bill, or the IRN alone.
    let info = match &invoice.ewb_dtls {
        None => None,
        Some(transport) => {
            match ewaybill::check_with_irn(state, caller, &invoice, transport, now) {
                Ok(plan) => {
                    record.ewb = Some(plan.bill(state.registry.next_ewb_no()?));
                    plan.info()
                }
                Err(e) => Some(json!([{ "InfCd": "EWBERR", "Desc": e.details() }])),
            }
        }
    };
    let answer = IrnAnswer::of(&record);
    state
        .registry
        .commit(
            claim,
            NewRecord {
                record,
                invoice: &invoice,
            },
        )
        .await?;
    Ok(Registered { answer, info })
}

/// Signs the canonical invoice and its QR payload (on a signer thread).
async fn sign(state: &AppState, invoice: &Invoice) -> Result<Signed, ApiError> {
    let data = to_dotnet_json(invoice).map_err(internal)?;
    let qr = to_dotnet_json(&QrData::of(invoice)).map_err(internal)?;
    state.signer.sign_pair(data, qr).await.map_err(internal)
}
