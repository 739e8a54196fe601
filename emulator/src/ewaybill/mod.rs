//! E-way bills on the IRP: generated with an IRN or by IRN afterwards, read back, and
//! cancelled through the sandbox's one e-way bill system API.
//!
//! - [`wire`]: the request and answer shapes of the three APIs.
//! - [`rules`]: the 40xx rules and the computed distance, producing a [`Plan`]; they read
//!   the invoice in hand, so Generate IRN checks its e-way bill before committing anything
//!   and commits the IRN and the e-way bill in one transaction.
//! - `transport`: the Part-A/Part-B rules of the transport details.
//! - [`validity`]: CGST Rule 138(10).
//! - [`lifecycle`]: generate by IRN, details, cancel, against the registry.

pub mod lifecycle;
pub mod rules;
mod transport;
pub mod validity;
pub mod wire;

pub use self::lifecycle::{cancel, check_with_irn, details, generate};
pub use self::rules::{EwbContext, Plan, check};
pub use self::validity::valid_till;
pub use self::wire::{
    CancelEwbRequest, CancelledEwb, EwbAddress, EwbAnswer, EwbDetails, EwbMade, EwbRequest,
};
