//! Which IRP a call reached, when one emulator process serves several.
//!
//! Six IRPs register e-invoices (NIC-1 and NIC-2, run by NIC, and private IRPs); all of them
//! validate against the same GSTN rules and share one GSTN-level view of registered
//! documents, so a document registered at one is a duplicate at every other. Each has its own
//! hosts, keys, sessions and AckNo series. This module holds what names an IRP ([`IrpName`],
//! [`Irp`]), the "criss-cross" rule that lets NIC-1 and NIC-2 act on each other's IRNs
//! through the `irp` header ([`Irp::reaches`]), the two unconfirmed shapes of the cross-IRP
//! duplicate answer ([`CrossIrpDuplicate`]) and the answer-time model ([`AnswerTime`]).

mod answer_time;
mod name;
mod table;

pub use self::answer_time::{AnswerClock, AnswerTime, AnswerTimeError, answer_time};
pub use self::name::{Irp, IrpName, IrpNameError};
pub use self::table::{IrpConfigError, IrpListen, IrpTable, KeySource, resolve};

use serde::{Deserialize, Serialize};

/// How a document already registered at another IRP is answered (always 2150).
///
/// Both shapes are unconfirmed (reference §5 and §10.3): `DUPIRNGLP` is an `InfCd` that EY
/// digiGST's client handles beside `DUPIRN`; `RegIrp` is a field the same client reads from
/// the duplicate's details to fetch the registration from the IRP that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CrossIrpDuplicate {
    /// `InfCd: "DUPIRNGLP"`, `Desc` exactly as DUPIRN's (`{AckNo, AckDt, Irn}`).
    #[default]
    Dupirnglp,
    /// `InfCd: "DUPIRN"`, `Desc` as usual plus `IrnDtl: {"RegIrp": "NIC1"}`.
    Regirp,
    /// `InfCd: "DUPIRNGLP"` and `Desc.IrnDtl.RegIrp`.
    Both,
}

impl CrossIrpDuplicate {
    /// The `InfCd` of the answer.
    pub fn info_code(self) -> &'static str {
        match self {
            Self::Dupirnglp | Self::Both => "DUPIRNGLP",
            Self::Regirp => "DUPIRN",
        }
    }

    /// Whether `Desc` carries `IrnDtl.RegIrp`.
    pub fn names_the_irp(self) -> bool {
        matches!(self, Self::Regirp | Self::Both)
    }
}
