//! The knobs of the business rules: where NIC's behaviour is unpublished, disputed or
//! announced-but-not-live, the emulator makes it a setting (TOML table `[rules]`).

use serde::Deserialize;
use time::Duration;

use crate::{irn::DocNoCase, masters::PinStateCheck, spelling::Coercion};

/// How strictly item and invoice totals are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum TotalsMode {
    /// Every published formula (2182–2194), within the tolerance: stricter than the real
    /// sandbox, opt in.
    Strict,
    /// As the sandbox behaved in 2025: `TotAmt = Qty × UnitPrice` (2192) is not checked
    /// (it accepted NIC's own sample invoice, whose `TotAmt` is 10 below the product).
    #[default]
    SandboxLax,
}

/// How `HsnCd` is checked (2176).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum HsnCheck {
    /// In the HSN/SAC master, and of the shape and length below (NIC 2025).
    #[default]
    Master,
    /// 4, 6 or 8 digits, not all zeros; 6 or more above the AATO threshold (the rule
    /// before the master was enforced).
    Format,
    /// Not checked.
    Off,
}

/// Case rule for document numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DocNoCaseSetting {
    /// Upper-cased before hashing; uniqueness ignores case (NIC since June 2025).
    #[default]
    Upper,
    /// As sent (the rule before June 2025).
    Exact,
}

impl From<DocNoCaseSetting> for DocNoCase {
    fn from(value: DocNoCaseSetting) -> Self {
        match value {
            DocNoCaseSetting::Upper => Self::Upper,
            DocNoCaseSetting::Exact => Self::Exact,
        }
    }
}

/// Business-rule settings; every key of `[rules]` is optional.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleSettings {
    /// Document-number case rule.
    pub doc_no_case: DocNoCaseSetting,
    /// Totals strictness.
    pub totals: TotalsMode,
    /// Tolerance in rupees for item amounts and document totals (NIC: ±1 for 2189).
    pub tolerance_rupees: f64,
    /// Suppliers at or above this AATO (crore rupees) are held to the reporting window.
    pub aato_threshold_crore: f64,
    /// Reporting window in days (2305); the announced 3-day rule is `3`.
    pub reporting_window_days: i64,
    /// Cancellation window in hours (2270).
    pub cancel_window_hours: i64,
    /// Retrieval window in days for Get IRN and Get by document (2283).
    pub retrieval_window_days: i64,
    /// How a PIN is matched to its state (2178).
    pub pin_state_check: PinStateCheck,
    /// Accept recipient and ship-to GSTINs missing from the taxpayer master (the real IRP
    /// knows every GSTIN; the emulator's master holds only the magic set).
    pub accept_unknown_recipients: bool,
    /// Largest number of items (2173).
    pub max_items: usize,
    /// Road distance over great-circle distance, for the computed e-way bill distance.
    pub road_factor: f64,
    /// How `HsnCd` is checked (2176).
    pub hsn_check: HsnCheck,
    /// Read a number sent as a JSON string where the schema wants a number (`"Pin":
    /// "560001"`), and a number where it wants a string (`"Stcd": 29`), as Newtonsoft.Json
    /// binds them. Off by default: no recorded NIC answer shows either accepted, and NIC's
    /// schema types them strictly.
    pub coerce_scalars: bool,
    /// How a document registered at another IRP is answered (2150 with `DUPIRNGLP` or
    /// `IrnDtl.RegIrp`; both unconfirmed).
    pub cross_irp_duplicate: crate::irp::CrossIrpDuplicate,
}

impl Default for RuleSettings {
    fn default() -> Self {
        Self {
            doc_no_case: DocNoCaseSetting::Upper,
            totals: TotalsMode::SandboxLax,
            tolerance_rupees: 1.0,
            aato_threshold_crore: 10.0,
            reporting_window_days: 30,
            cancel_window_hours: 24,
            retrieval_window_days: 2,
            pin_state_check: PinStateCheck::default(),
            hsn_check: HsnCheck::default(),
            accept_unknown_recipients: false,
            max_items: 1000,
            road_factor: 1.25,
            coerce_scalars: false,
            cross_irp_duplicate: crate::irp::CrossIrpDuplicate::default(),
        }
    }
}

impl RuleSettings {
    /// The cancellation window.
    pub fn cancel_window(&self) -> Duration {
        Duration::hours(self.cancel_window_hours)
    }

    /// How request scalars are read (see [`RuleSettings::coerce_scalars`]).
    pub fn coercion(&self) -> Coercion {
        if self.coerce_scalars {
            Coercion::Scalars
        } else {
            Coercion::Exact
        }
    }

    /// The retrieval window.
    pub fn retrieval_window(&self) -> Duration {
        Duration::days(self.retrieval_window_days)
    }
}
