//! E-way bill by IRN: the Part-A/Part-B rules NIC applies on the IRP path (4000–4040), the
//! computed distance when `Distance` is 0, and the validity rule of CGST Rule 138(10).
//!
//! Validity is one day per 200 km or part (20 km for over-dimensional cargo), each day ending
//! at 23:59 of the following date, counted from the generation date; an e-way bill without
//! Part-B (no transport mode) has no validity. The distance for `Distance: 0` is estimated
//! from PIN-prefix centroids (see `masters::pins`) and reported as `EWBPPD`.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::{Date, Duration, OffsetDateTime, Time};

use crate::{
    clock::{IST, format_ist},
    error::{ApiError, ErrorCode},
    gstin::Gstin,
    invoice::{EwbDtls, Invoice, Num},
    irn::{DocType, Irn},
    masters::{DistanceError, DistanceModel},
    registry::{EwayBill, IrnStatus},
    rules::{Findings, SupplyType, parse_date, state_code},
    state::AppState,
    store::StoreError,
    taxpayer::BlockStatus,
};

/// The PIN of a foreign party.
const FOREIGN_PIN: u32 = 999_999;
/// The state code of a foreign party.
const FOREIGN_STATE: u8 = 96;
/// The largest distance an e-way bill may carry (the schema's limit).
const MAX_DISTANCE_KM: u32 = 4000;

/// A ship-to or dispatch-from address of the e-way bill request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EwbAddress {
    /// Name (dispatch only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nm: Option<String>,
    /// Address line 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr1: Option<String>,
    /// Address line 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    /// Location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loc: Option<String>,
    /// PIN code.
    pub pin: Num,
    /// State code.
    pub stcd: String,
}

/// The body of `POST /eiewb/v1.03/ewaybill`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EwbRequest {
    /// The IRN.
    pub irn: String,
    /// Distance in km; 0 or absent asks for the computed distance.
    #[serde(default)]
    pub distance: Option<Num>,
    /// 1 road, 2 rail, 3 air, 4 ship.
    #[serde(default)]
    pub trans_mode: Option<String>,
    /// Transporter id.
    #[serde(default)]
    pub trans_id: Option<String>,
    /// Transporter name.
    #[serde(default)]
    pub trans_name: Option<String>,
    /// Transport document date.
    #[serde(default)]
    pub trans_doc_dt: Option<String>,
    /// Transport document number.
    #[serde(default)]
    pub trans_doc_no: Option<String>,
    /// Vehicle number.
    #[serde(default)]
    pub veh_no: Option<String>,
    /// Vehicle type.
    #[serde(default)]
    pub veh_type: Option<String>,
    /// Ship-to address for exports.
    #[serde(default)]
    pub exp_ship_dtls: Option<EwbAddress>,
    /// Dispatch-from address.
    #[serde(default)]
    pub disp_dtls: Option<EwbAddress>,
}

impl EwbRequest {
    /// The transport part, in the shape of an invoice's `EwbDtls`.
    pub fn transport(&self) -> EwbDtls {
        EwbDtls {
            trans_id: self.trans_id.clone(),
            trans_name: self.trans_name.clone(),
            trans_mode: self.trans_mode.clone(),
            distance: self.distance.clone().unwrap_or_else(|| Num::from(0_u64)),
            trans_doc_no: self.trans_doc_no.clone(),
            trans_doc_dt: self.trans_doc_dt.clone(),
            veh_no: self.veh_no.clone(),
            veh_type: self.veh_type.clone(),
        }
    }
}

/// The decrypted `Data` of a generated e-way bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EwbAnswer {
    /// 12-digit number.
    pub ewb_no: u64,
    /// Generation time.
    pub ewb_dt: String,
    /// Validity end, when Part-B was given.
    pub ewb_valid_till: Option<String>,
    /// Always null.
    pub remarks: Option<String>,
}

/// A generated e-way bill and its `InfoDtls` (EWBPPD).
#[derive(Debug)]
pub struct EwbMade {
    /// `Data`.
    pub answer: EwbAnswer,
    /// `InfoDtls`.
    pub info: Option<Value>,
}

/// The end of validity for `distance_km` from `generated`.
pub fn valid_till(generated: OffsetDateTime, distance_km: u32, odc: bool) -> OffsetDateTime {
    let per_day = if odc { 20 } else { 200 };
    let days = distance_km.div_ceil(per_day).max(1);
    let start = generated.to_offset(IST).date();
    let date = start
        .checked_add(Duration::days(days.into()))
        .unwrap_or(Date::MAX);
    date.with_time(Time::from_hms(23, 59, 0).unwrap_or(Time::MIDNIGHT))
        .assume_offset(IST)
}

/// A place goods move from or to.
#[derive(Debug, Clone, Copy)]
struct Place {
    pin: u32,
    state: Option<u8>,
}

impl Place {
    fn of(pin: &Num, stcd: &str) -> Self {
        Self {
            pin: pin.as_u32().unwrap_or_default(),
            state: state_code(stcd),
        }
    }
}

fn is_vehicle_number(text: &str) -> bool {
    let text = text.trim();
    (7..=15).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric())
        && text.bytes().take(2).all(|b| b.is_ascii_alphabetic())
}

/// Part-A and Part-B transport rules.
fn check_transport(t: &EwbDtls, doc_date: Date, today: Date, f: &mut Findings) {
    let mode = t.trans_mode.as_deref().map(str::trim);
    let veh_no = t.veh_no.as_deref().filter(|v| !v.trim().is_empty());
    let doc_no = t.trans_doc_no.as_deref().filter(|v| !v.trim().is_empty());
    let veh_type = t.veh_type.as_deref().map(str::to_ascii_uppercase);
    if let Some(id) = t.trans_id.as_deref()
        && Gstin::parse(id).is_err()
    {
        f.add(ErrorCode::EwbInvalidTransporter, &[]);
    }
    if let Some(v) = veh_no
        && !is_vehicle_number(v)
    {
        f.add(ErrorCode::EwbInvalidVehicle, &[]);
    }
    if let Some(kind) = veh_type.as_deref()
        && kind != "R"
        && kind != "O"
    {
        f.add(ErrorCode::EwbInvalidVehicleType, &[]);
    }
    if let Some(text) = t.trans_doc_dt.as_deref() {
        match parse_date(text) {
            None => f.add(ErrorCode::EwbDateFormat, &[]),
            Some(d) if d > today => f.add(ErrorCode::EwbTransDocFuture, &[]),
            Some(d) if d < doc_date => f.add(ErrorCode::EwbTransDocBeforeInvoice, &[]),
            Some(_) => {}
        }
    }
    match mode {
        None | Some("") => {
            if veh_no.is_some() || doc_no.is_some() {
                f.add(ErrorCode::EwbModeRequired, &[]);
            } else if t.trans_id.is_none() {
                f.add(ErrorCode::EwbTransporterRequired, &[]);
            }
        }
        Some("1") => {
            if veh_no.is_none() {
                f.add(ErrorCode::EwbVehicleRequired, &[]);
            }
            if veh_type.is_none() {
                f.add(ErrorCode::EwbVehicleTypeRequired, &[]);
            }
        }
        Some("2" | "3") => {
            if doc_no.is_none() {
                f.add(ErrorCode::EwbTransDocRequired, &[]);
            }
            if t.trans_doc_dt.is_none() {
                f.add(ErrorCode::EwbTransDocDateRequired, &[]);
            }
            if veh_type.as_deref() == Some("O") {
                f.add(ErrorCode::EwbOdcMode, &[]);
            }
        }
        Some("4") => {
            if veh_no.is_none() && doc_no.is_none() {
                f.add(ErrorCode::EwbShipNeedsDocument, &[]);
            }
            if veh_no.is_some() && veh_type.as_deref() == Some("R") {
                f.add(ErrorCode::EwbShipRegularVehicle, &[]);
            }
        }
        Some(_) => f.add_message(
            ErrorCode::InvalidInvoice,
            "TransMode must be 1, 2, 3 or 4".to_owned(),
        ),
    }
}

/// Where the goods move from and to, with the export and dispatch rules.
fn route(
    invoice: &Invoice,
    ship_to: Option<&EwbAddress>,
    dispatch: Option<&EwbAddress>,
    f: &mut Findings,
) -> (Place, Place) {
    let from = dispatch
        .map(|d| Place::of(&d.pin, &d.stcd))
        .or_else(|| {
            invoice
                .disp_dtls
                .as_ref()
                .map(|d| Place::of(&d.pin, &d.stcd))
        })
        .unwrap_or_else(|| Place::of(&invoice.seller_dtls.pin, &invoice.seller_dtls.stcd));
    let declared_ship = ship_to.map(|s| Place::of(&s.pin, &s.stcd)).or_else(|| {
        invoice
            .ship_dtls
            .as_ref()
            .map(|s| Place::of(&s.pin, &s.stcd))
    });
    let export = SupplyType::parse(&invoice.tran_dtls.sup_typ).is_some_and(SupplyType::is_export);
    if export && declared_ship.is_none() {
        f.add(ErrorCode::EwbExportShipTo, &[]);
    }
    let buyer = &invoice.buyer_dtls;
    let to = declared_ship.unwrap_or(Place {
        pin: buyer
            .pin
            .as_ref()
            .and_then(Num::as_u32)
            .unwrap_or(FOREIGN_PIN),
        state: state_code(&buyer.stcd),
    });
    if declared_ship.is_some() {
        if to.state == Some(FOREIGN_STATE) {
            f.add(ErrorCode::EwbShipToState96, &[]);
        }
        if to.pin == FOREIGN_PIN {
            f.add(ErrorCode::EwbShipToPin999999, &[]);
        }
    }
    if from.state == Some(FOREIGN_STATE) {
        f.add(ErrorCode::EwbDispatchState96, &[]);
    }
    if from.pin == FOREIGN_PIN {
        f.add(ErrorCode::EwbDispatchPin999999, &[]);
    }
    (from, to)
}

/// The distance to use and the `EWBPPD` text when it was computed.
fn distance(
    model: &DistanceModel,
    given: f64,
    from: Place,
    to: Place,
    f: &mut Findings,
) -> (u32, Option<String>) {
    if given < 0.0 || given.is_nan() {
        f.add(ErrorCode::EwbDistanceOutOfRange, &[]);
        return (0, None);
    }
    if given > f64::from(MAX_DISTANCE_KM) {
        f.add(ErrorCode::EwbDistanceTooHigh, &[]);
        return (0, None);
    }
    if given > 0.0 {
        return (given.round() as u32, None);
    }
    match model.distance_km(from.pin, to.pin) {
        Ok(km) => (km, Some(format!("Pin-Pin calc distance: {km}KM"))),
        Err(e) => {
            match e {
                DistanceError::SamePin => f.add(ErrorCode::EwbSamePinZeroDistance, &[]),
                DistanceError::ForeignPin => f.add(ErrorCode::EwbForeignPinZeroDistance, &[]),
                DistanceError::NotAvailable => f.add(
                    ErrorCode::EwbDistanceUnavailable,
                    &[&from.pin.to_string(), &to.pin.to_string()],
                ),
                DistanceError::TooFar(_) => f.add(ErrorCode::EwbDistanceTooHigh, &[]),
            }
            (0, None)
        }
    }
}

/// Generates the e-way bill of a registered IRN for `caller`.
pub async fn generate(
    state: &AppState,
    caller: &Gstin,
    irn: &Irn,
    transport: &EwbDtls,
    ship_to: Option<&EwbAddress>,
    dispatch: Option<&EwbAddress>,
) -> Result<EwbMade, ApiError> {
    let now = state.clock.now();
    let today = now.to_offset(IST).date();
    let blocked = state
        .taxpayers()
        .get(caller)
        .is_some_and(|t| t.block_status == Some(BlockStatus::Blocked));
    let model = DistanceModel {
        road_factor: state.settings.rules.road_factor,
        ..DistanceModel::default()
    };

    let record = state
        .registry
        .get(irn)?
        .ok_or(ErrorCode::EwbIrnNotAvailable)?;
    if !record.belongs_to(caller) {
        return Err(ErrorCode::EwbNotAuthorised.into());
    }
    if record.status != IrnStatus::Active {
        return Err(ErrorCode::EwbIrnNotActive.into());
    }
    if record.active_ewb().is_some() {
        return Err(ErrorCode::EwbAlreadyGenerated.into());
    }
    let invoice = &state
        .registry
        .invoice(irn)?
        .ok_or(ErrorCode::EwbIrnNotAvailable)?;
    let mut f = Findings::default();
    if blocked {
        f.add(ErrorCode::EwbBlocked, &[caller.as_str()]);
    }
    if DocType::parse(&invoice.doc_dtls.typ) != Some(DocType::Invoice) {
        f.add(ErrorCode::EwbWrongDocument, &[]);
    } else if invoice.item_list.iter().all(|i| i.is_service()) {
        f.add(ErrorCode::EwbNoGoods, &[]);
    }
    let doc_date = parse_date(&invoice.doc_dtls.dt).unwrap_or(today);
    check_transport(transport, doc_date, today, &mut f);
    let (from, to) = route(invoice, ship_to, dispatch, &mut f);
    let (km, computed) = if f.is_empty() {
        distance(&model, transport.distance.get(), from, to, &mut f)
    } else {
        (0, None)
    };
    if let Some(error) = f.into_error() {
        return Err(error);
    }

    let part_b = transport
        .trans_mode
        .as_deref()
        .is_some_and(|m| !m.trim().is_empty());
    let odc = transport
        .veh_type
        .as_deref()
        .is_some_and(|v| v.eq_ignore_ascii_case("O"));
    let validity = part_b.then(|| valid_till(now, km, odc));
    // Attaching re-checks "active IRN, no active e-way bill" atomically.
    let ewb_no = state
        .registry
        .attach_ewb(irn, |ewb_no| EwayBill {
            ewb_no,
            generated: now,
            valid_till: validity,
            distance_km: km,
            cancelled: None,
        })
        .await?
        .ok_or(ErrorCode::EwbAlreadyGenerated)?;
    Ok(EwbMade {
        answer: EwbAnswer {
            ewb_no,
            ewb_dt: format_ist(now),
            ewb_valid_till: validity.map(format_ist),
            remarks: None,
        },
        info: computed.map(|text| json!([{ "InfCd": "EWBPPD", "Desc": text }])),
    })
}

/// `GET /eiewb/v1.03/ewaybill/irn/{irn}` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EwbDetails {
    /// 12-digit number.
    pub ewb_no: u64,
    /// `ACT` or `CNL`.
    pub status: String,
    /// The GSTIN that generated it.
    pub gen_gstin: String,
    /// Generation time.
    pub ewb_dt: String,
    /// Validity end.
    pub ewb_valid_till: Option<String>,
}

/// The e-way bill of an IRN.
pub fn details(state: &AppState, caller: &Gstin, irn: &Irn) -> Result<EwbDetails, ApiError> {
    let record = state.registry.get(irn)?.ok_or(ErrorCode::EwbNotFound)?;
    if !record.belongs_to(caller) {
        return Err(ErrorCode::EwbNotAuthorised.into());
    }
    let ewb = record.ewb.as_ref().ok_or(ErrorCode::EwbNotFound)?;
    Ok(EwbDetails {
        ewb_no: ewb.ewb_no,
        status: ewb.status().to_owned(),
        gen_gstin: record.supplier.to_string(),
        ewb_dt: format_ist(ewb.generated),
        ewb_valid_till: ewb.valid_till.map(format_ist),
    })
}

/// Why an e-way bill cancellation was refused, as the e-way bill system's numeric codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EwbCancelError {
    /// 312: not generated by the caller, or already cancelled.
    NotYoursOrCancelled,
    /// 315: outside the 24-hour cancellation window.
    WindowClosed,
    /// 325: no such e-way bill.
    NotFound,
}

impl EwbCancelError {
    /// The e-way bill system's code.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotYoursOrCancelled => "312",
            Self::WindowClosed => "315",
            Self::NotFound => "325",
        }
    }
}

/// Cancels an e-way bill; returns the cancellation time.
pub async fn cancel(
    state: &AppState,
    caller: &Gstin,
    ewb_no: u64,
) -> Result<OffsetDateTime, EwbCancelError> {
    let now = state.clock.now();
    let window = state.settings.rules.cancel_window();
    let unavailable = |e: StoreError| {
        tracing::error!("e-way bill cancel: {e}");
        EwbCancelError::NotFound
    };
    let irn = state
        .registry
        .irn_of_ewb(ewb_no)
        .map_err(unavailable)?
        .ok_or(EwbCancelError::NotFound)?;
    let record = state
        .registry
        .get(&irn)
        .map_err(unavailable)?
        .ok_or(EwbCancelError::NotFound)?;
    if !record.belongs_to(caller) {
        return Err(EwbCancelError::NotYoursOrCancelled);
    }
    let ewb = record
        .ewb
        .as_ref()
        .filter(|e| e.ewb_no == ewb_no && e.cancelled.is_none())
        .ok_or(EwbCancelError::NotYoursOrCancelled)?;
    if now - ewb.generated > window {
        return Err(EwbCancelError::WindowClosed);
    }
    if state
        .registry
        .cancel_ewb(ewb_no, now)
        .await
        .map_err(unavailable)?
    {
        Ok(now)
    } else {
        Err(EwbCancelError::NotYoursOrCancelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn validity_matches_nic_samples() {
        // 2022-09-16 19:29 IST, 2467 km → 13 days.
        let generated = datetime!(2022-09-16 19:29:00 +5:30);
        assert_eq!(
            format_ist(valid_till(generated, 2467, false)),
            "2022-09-29 23:59:00"
        );
        let generated = datetime!(2025-03-15 19:59:08 +5:30);
        assert_eq!(
            format_ist(valid_till(generated, 1, false)),
            "2025-03-16 23:59:00"
        );
        assert_eq!(
            format_ist(valid_till(generated, 200, false)),
            "2025-03-16 23:59:00"
        );
        assert_eq!(
            format_ist(valid_till(generated, 201, false)),
            "2025-03-17 23:59:00"
        );
        assert_eq!(
            format_ist(valid_till(generated, 41, true)),
            "2025-03-18 23:59:00"
        );
        // No overflow, whatever the distance.
        assert_eq!(valid_till(generated, u32::MAX, true).date(), Date::MAX);
    }

    #[test]
    fn vehicle_numbers() {
        for (text, ok) in [
            ("KA12ER1234", true),
            ("KA01A1234", true),
            ("12AB", false),
            ("KA-12", false),
        ] {
            assert_eq!(is_vehicle_number(text), ok, "{text}");
        }
    }
}
