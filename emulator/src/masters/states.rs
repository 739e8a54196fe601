//! GST state and union-territory codes (`Stcd`, `Pos`, the first two digits of a GSTIN).

use std::sync::OnceLock;

const STATE_CODES_CSV: &str = include_str!("../../data/state-codes.csv");

/// How the IRP treats a state code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateStatus {
    /// A current state or union territory: valid everywhere.
    Active,
    /// 96 (foreign country) and 97 (other territory): only for parties outside any state.
    Special,
    /// 25, Daman and Diu, merged into 26 in 2020.
    Retired,
    /// 28, undivided Andhra Pradesh: still listed, not used by new GSTINs.
    Legacy,
}

/// One row of the state master.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The numeric code, 1..=97.
    pub code: u8,
    /// The official name.
    pub name: String,
    /// How the code may be used.
    pub status: StateStatus,
}

impl State {
    /// Whether a GSTIN may start with this code (any real state or UT, not 96/97).
    pub fn can_register(&self) -> bool {
        self.status != StateStatus::Special
    }
}

fn table() -> &'static [State] {
    static TABLE: OnceLock<Vec<State>> = OnceLock::new();
    TABLE.get_or_init(|| {
        super::csv_records(STATE_CODES_CSV)
            .filter_map(|row| {
                let code = row.first()?.parse().ok()?;
                let status = match row.get(3)?.as_str() {
                    "active" => StateStatus::Active,
                    "special" => StateStatus::Special,
                    "retired" => StateStatus::Retired,
                    "legacy" => StateStatus::Legacy,
                    _ => return None,
                };
                Some(State {
                    code,
                    name: row.get(1)?.clone(),
                    status,
                })
            })
            .collect()
    })
}

/// Looks a code up in the master.
pub fn state(code: u8) -> Option<&'static State> {
    table().iter().find(|s| s.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_has_every_code() {
        assert_eq!(table().len(), 40);
        assert_eq!(state(29).map(|s| s.name.as_str()), Some("Karnataka"));
        assert_eq!(state(96).map(|s| s.status), Some(StateStatus::Special));
        assert_eq!(state(25).map(|s| s.status), Some(StateStatus::Retired));
        assert!(state(0).is_none());
        assert!(state(39).is_none());
        assert!(state(99).is_none());
    }
}
