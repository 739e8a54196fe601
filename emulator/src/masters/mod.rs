//! Reference masters the IRP checks codes against, embedded from `emulator/data/`.
//!
//! NIC publishes these as web pages, not data; the CSV files are the reference pack's
//! rebuilt copies (see `emulator/data/README.md`). Keeping them as data rather than code
//! means a drifted master is fixed by editing a CSV.

mod hsn;
mod pins;
mod rates;
mod states;
mod units;

pub use self::{
    hsn::{hsn_codes, is_hsn_code},
    pins::{DistanceError, DistanceModel, PinStateCheck, centroid, pin_belongs_to_state},
    rates::is_gst_rate,
    states::{State, StateStatus, state},
    units::is_unit_code,
};

/// The records of an embedded CSV (RFC 4180, header skipped), fields as strings.
///
/// The files are compiled in and checked by `every_embedded_csv_parses`, so a record that
/// does not parse is a build defect, not an input error; it is skipped rather than panicking.
pub(crate) fn csv_records(text: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes())
        .into_records()
        .filter_map(Result::ok)
        .map(|record| record.iter().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_commas() {
        let records: Vec<Vec<String>> =
            csv_records("h1,h2,h3\n1,\"a, \"\"b\"\"\",c\nx,,\n\n").collect();
        assert_eq!(
            records,
            vec![vec!["1", r#"a, "b""#, "c"], vec!["x", "", ""]]
        );
    }

    #[test]
    fn every_embedded_csv_parses() {
        for (name, text) in [
            ("error-codes", include_str!("../../data/error-codes.csv")),
            ("irn-vectors", include_str!("../../data/irn-vectors.csv")),
            (
                "pin-state-ranges",
                include_str!("../../data/pin-state-ranges.csv"),
            ),
            ("pin-prefix", include_str!("../../data/pin-prefix.csv")),
            ("uqc", include_str!("../../data/uqc.csv")),
            ("state-codes", include_str!("../../data/state-codes.csv")),
            ("gst-rates", include_str!("../../data/gst-rates.csv")),
            ("hsn-codes", include_str!("../../data/hsn-codes.csv")),
        ] {
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(text.as_bytes());
            let records: Vec<_> = reader.records().collect();
            assert!(!records.is_empty(), "{name}");
            for (i, record) in records.iter().enumerate() {
                assert!(record.is_ok(), "{name}.csv record {i}: {record:?}");
            }
            assert_eq!(csv_records(text).count(), records.len(), "{name}");
        }
    }
}
