//! Part-A and Part-B: who carries the goods and how (4011–4028, 4039, 4040). Part-A needs a
//! transporter or a transport detail; Part-B (a mode) needs the documents of that mode.

use time::Date;

use crate::{
    error::ErrorCode,
    gstin::Gstin,
    invoice::EwbDtls,
    rules::{Findings, parse_date},
};

fn is_vehicle_number(text: &str) -> bool {
    let text = text.trim();
    (7..=15).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric())
        && text.bytes().take(2).all(|b| b.is_ascii_alphabetic())
}

/// Part-A and Part-B transport rules.
pub(super) fn check_transport(t: &EwbDtls, doc_date: Date, today: Date, f: &mut Findings) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
