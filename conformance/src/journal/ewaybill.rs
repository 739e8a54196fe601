//! What a Generate e-way bill by IRN request shows: transport mode, Part-A only or with
//! Part-B, and a distance left to the IRP; and the case ids it fits.

use serde_json::Value;

use super::entry::{filled, text};

/// The success cases of an e-way bill request, most specific first (never empty), and its
/// features in words.
pub(super) fn read(request: &Value, info_codes: &[String]) -> (Vec<&'static str>, String) {
    let mode = text(request.get("TransMode")).unwrap_or_default();
    let vehicle = filled(request.get("VehNo"));
    let document = filled(request.get("TransDocNo"));
    let transporter = filled(request.get("TransId"));
    let distance = text(request.get("Distance")).and_then(|d| d.parse::<f64>().ok());
    let computed =
        distance == Some(0.0) || info_codes.iter().any(|c| c.eq_ignore_ascii_case("EWBPPD"));

    let mut cases = Vec::new();
    if computed {
        cases.push("E-4");
    }
    let (mode_words, other_mode) = match mode.as_str() {
        "1" => ("road", false),
        "2" => ("rail", true),
        "3" => ("air", true),
        "4" => ("ship", true),
        "" => ("no transport mode", false),
        _ => ("unknown transport mode", false),
    };
    if other_mode {
        cases.push("E-3");
    }
    let part_a_only = !vehicle && !document;
    if part_a_only {
        cases.push("E-2");
    }
    if (!other_mode && !part_a_only) || cases.is_empty() {
        cases.push("E-1");
    }

    let mut words = vec![mode_words.to_owned()];
    if vehicle {
        words.push("vehicle".to_owned());
    }
    if document {
        words.push("transport document".to_owned());
    }
    if transporter {
        words.push("transporter id".to_owned());
    }
    words.push(
        if part_a_only {
            "Part-A only"
        } else {
            "Part-A and Part-B"
        }
        .to_owned(),
    );
    match distance {
        _ if computed => words.push("distance computed by the IRP".to_owned()),
        Some(km) => words.push(format!("{km} km")),
        None => {}
    }
    (cases, capitalised(&words.join(", ")))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn modes_parts_and_distance_give_cases() {
        let table = [
            (
                json!({"TransMode": "1", "VehNo": "KA01AB1234", "VehType": "R", "Distance": 120}),
                vec!["E-1"],
                "Road, vehicle, Part-A and Part-B, 120 km",
            ),
            (
                json!({"TransMode": "1", "TransId": "29AAACB3333C1Z7", "Distance": 50}),
                vec!["E-2"],
                "Road, transporter id, Part-A only, 50 km",
            ),
            (
                json!({"TransMode": 3, "TransDocNo": "AWB1", "TransDocDt": "30/03/2026",
                    "Distance": 900}),
                vec!["E-3"],
                "Air, transport document, Part-A and Part-B, 900 km",
            ),
            (
                json!({"TransMode": "1", "VehNo": "KA01AB1234", "Distance": 0}),
                vec!["E-4", "E-1"],
                "Road, vehicle, Part-A and Part-B, distance computed by the IRP",
            ),
            (json!(null), vec!["E-2"], "No transport mode, Part-A only"),
        ];
        for (request, cases, words) in table {
            let (got, feature) = read(&request, &[]);
            assert_eq!(got, cases, "{request}");
            assert_eq!(feature, words, "{request}");
        }
        let (got, _) = read(
            &json!({"TransMode": "1", "VehNo": "X"}),
            &["EWBPPD".to_owned()],
        );
        assert_eq!(got, ["E-4", "E-1"]);
    }
}
