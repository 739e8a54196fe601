//! The e-invoice document: its typed model, the schema gate, the canonical signed form and
//! the QR payload, and the vocabulary typed once for every module that speaks of invoices:
//! coded values ([`SupplyType`], [`DocType`], [`YesNo`]), the numbers the IRP issues
//! ([`AckNo`], [`EwbNo`]) and the reason of both cancel APIs ([`CancelReason`]). Business
//! rules live in [`crate::rules`]; this module only knows the shape.

mod cancel_reason;
pub mod canonical;
mod codes;
pub mod model;
mod normalise;
mod numbers;
pub mod qr;
mod schema;

pub use self::cancel_reason::CancelReason;
pub use self::canonical::to_dotnet_json;
pub use self::codes::{DocType, SupplyType, YesNo};
pub use self::model::{EwbDtls, Invoice, Item, Num, amount};
pub use self::numbers::{AckNo, EwbNo};
pub use self::qr::QrData;
pub use self::schema::{InvoiceSchema, SchemaError, strip_nulls};
