//! Reference masters the IRP checks codes against, embedded from `emulator/data/`.
//!
//! NIC publishes these as web pages, not data; the CSV files are the reference pack's
//! rebuilt copies (see `emulator/data/README.md`). Keeping them as data rather than code
//! means a drifted master is fixed by editing a CSV.

mod pins;
mod rates;
mod states;
mod units;

pub use self::{
    pins::{DistanceError, DistanceModel, PinStateCheck, centroid, pin_belongs_to_state},
    rates::is_gst_rate,
    states::{State, StateStatus, state},
    units::is_unit_code,
};

/// Splits an embedded CSV into records, skipping the header; honours double-quoted fields.
pub(crate) fn csv_records(text: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(split_csv_line)
}

fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_commas() {
        assert_eq!(
            split_csv_line(r#"1,"a, ""b""",c"#),
            vec!["1", r#"a, "b""#, "c"]
        );
        assert_eq!(split_csv_line("x,,"), vec!["x", "", ""]);
    }
}
