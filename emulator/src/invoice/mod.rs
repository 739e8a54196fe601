//! The e-invoice document: its typed model, the schema gate, the canonical signed form and
//! the QR payload. Business rules live in [`crate::rules`]; this module only knows the shape.

pub mod canonical;
pub mod model;
pub mod qr;
mod schema;

pub use self::canonical::to_dotnet_json;
pub use self::model::{EwbDtls, Invoice, Item, Num, amount};
pub use self::qr::QrData;
pub use self::schema::{InvoiceSchema, SchemaError, strip_nulls};
