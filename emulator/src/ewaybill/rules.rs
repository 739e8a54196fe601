//! The Part-A/Part-B rules NIC applies to an e-way bill on the IRP path (4000–4040), and the
//! computed distance when `Distance` is 0.
//!
//! The rules read only the invoice, the transport part and a few facts about the caller, so
//! the same [`check`] serves Generate IRN (before anything is committed) and the e-way bill
//! by IRN (against the stored invoice). The distance for `Distance: 0` is estimated from
//! PIN-prefix centroids (see `masters::pins`) and reported as `EWBPPD`.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{EwbAddress, transport::check_transport, valid_till};
use crate::{
    clock::IST,
    error::{ApiError, ErrorCode},
    gstin::Gstin,
    invoice::{DocType, EwbDtls, EwbNo, Invoice, Num},
    masters::{DistanceError, DistanceModel},
    registry::EwayBill,
    rules::{Findings, parse_date, state_code},
};

/// The PIN of a foreign party.
const FOREIGN_PIN: u32 = 999_999;
/// The state code of a foreign party.
const FOREIGN_STATE: u8 = 96;
/// The largest distance an e-way bill may carry (the schema's limit).
const MAX_DISTANCE_KM: u32 = 4000;

/// What the rules read besides the invoice and the transport part.
#[derive(Debug, Clone, Copy)]
pub struct EwbContext<'a> {
    /// The authenticated GSTIN.
    pub caller: &'a Gstin,
    /// Whether the caller is blocked from e-way bills (4015).
    pub blocked: bool,
    /// How the distance for `Distance: 0` is estimated.
    pub model: DistanceModel,
    /// Generation time, from the clock.
    pub now: OffsetDateTime,
}

/// An e-way bill that passed every rule: what to store once it has a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    generated: OffsetDateTime,
    distance_km: u32,
    computed: bool,
    valid_till: Option<OffsetDateTime>,
}

impl Plan {
    /// The e-way bill to store under `ewb_no`.
    pub fn bill(&self, ewb_no: EwbNo) -> EwayBill {
        EwayBill {
            ewb_no,
            generated: self.generated,
            valid_till: self.valid_till,
            distance_km: self.distance_km,
            cancelled: None,
        }
    }

    /// `InfoDtls` with `EWBPPD` when the distance was computed.
    pub fn info(&self) -> Option<Value> {
        self.computed.then(|| {
            let text = format!("Pin-Pin calc distance: {}KM", self.distance_km);
            json!([{ "InfCd": "EWBPPD", "Desc": text }])
        })
    }
}

/// Runs every e-way bill rule on `invoice` and `transport`; the plan, or the 40xx answer.
pub fn check(
    ctx: &EwbContext<'_>,
    invoice: &Invoice,
    transport: &EwbDtls,
    ship_to: Option<&EwbAddress>,
    dispatch: Option<&EwbAddress>,
) -> Result<Plan, ApiError> {
    let today = ctx.now.to_offset(IST).date();
    let mut f = Findings::default();
    if ctx.blocked {
        f.add(ErrorCode::EwbBlocked, &[ctx.caller.as_str()]);
    }
    // NIC checks Part-A first: a services invoice, a credit or a debit note sent with
    // neither transport mode nor transporter was answered 4019 alone (sandbox 2022), not
    // 4009/4010.
    if f.is_empty() && part_a_without_transporter(transport) {
        return Err(ApiError::new(ErrorCode::EwbTransporterRequired));
    }
    if invoice.doc_dtls.typ != DocType::Invoice {
        f.add(ErrorCode::EwbWrongDocument, &[]);
    } else if invoice.item_list.iter().all(|i| i.is_service()) {
        f.add(ErrorCode::EwbNoGoods, &[]);
    }
    let doc_date = parse_date(&invoice.doc_dtls.dt).unwrap_or(today);
    check_transport(transport, doc_date, today, &mut f);
    let (from, to) = route(invoice, ship_to, dispatch, &mut f);
    let (km, computed) = if f.is_empty() {
        distance(&ctx.model, transport.distance.get(), from, to, &mut f)
    } else {
        (0, false)
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
    Ok(Plan {
        generated: ctx.now,
        distance_km: km,
        computed,
        valid_till: part_b.then(|| valid_till(ctx.now, km, odc)),
    })
}

/// No Part-B (mode, vehicle or transport document) and no transporter id.
fn part_a_without_transporter(t: &EwbDtls) -> bool {
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    blank(&t.trans_mode) && blank(&t.veh_no) && blank(&t.trans_doc_no) && t.trans_id.is_none()
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
    let export = invoice.tran_dtls.sup_typ.is_export();
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

/// The distance to use, and whether it was computed (`EWBPPD`).
fn distance(
    model: &DistanceModel,
    given: f64,
    from: Place,
    to: Place,
    f: &mut Findings,
) -> (u32, bool) {
    if given < 0.0 || given.is_nan() {
        f.add(ErrorCode::EwbDistanceOutOfRange, &[]);
        return (0, false);
    }
    if given > f64::from(MAX_DISTANCE_KM) {
        f.add(ErrorCode::EwbDistanceTooHigh, &[]);
        return (0, false);
    }
    if given > 0.0 {
        return (given.round() as u32, false);
    }
    match model.distance_km(from.pin, to.pin) {
        Ok(km) => (km, true),
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
            (0, false)
        }
    }
}
