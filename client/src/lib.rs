//! A client for NIC's e-invoice IRP API (v1.03/v1.04), independent of the emulator.
//!
//! The wire core is sans-IO: pure functions build a request (headers, RSA-encrypted
//! credentials, payloads sealed under the SEK) and open an answer (the envelope normalised,
//! `Data` decrypted, the SEK unwrapped, signed documents verified). A reqwest transport sits
//! on top; tests that drive the emulator's router in-process use the same core with no
//! socket. The crypto is RustCrypto (`rsa`, `aes`/`ecb`) and jsonwebtoken + x509-parser,
//! deliberately not the emulator's AWS-LC code, so a bug on one side cannot hide on both.
//!
//! # Layout
//!
//! - [`cipher`]: AES-ECB (the SEK and payloads) and the RSA credentials block.
//! - [`jws`]: RS256 verification of `SignedInvoice`/`SignedQRCode` against the certificate.
//! - [`Endpoint`] (`endpoint.rs`): method, path and envelope of every API.
//! - [`Caller`], [`Login`], [`Session`] (`session.rs`): who calls, with redacted secrets.
//! - [`Outgoing`] (`request.rs`): building requests; [`Answer`] (`answer.rs`): opening them.
//! - [`Client`] (`transport/`): reqwest on rustls/AWS-LC, typed calls, session renewal,
//!   and the [`RetryPolicy`] of a careful production client.
//! - [`ClientError`] (`error.rs`): a call not made or an answer not read (a rejection is
//!   an answer, not an error).

pub mod answer;
pub mod cipher;
mod endpoint;
mod error;
pub mod jws;
pub mod request;
mod session;
mod transport;

pub use self::answer::{Answer, at};
pub use self::cipher::Encryption;
pub use self::endpoint::Endpoint;
pub use self::error::ClientError;
pub use self::jws::Verifier;
pub use self::request::{HeaderOverrides, Outgoing};
pub use self::session::{Caller, Login, Session};
pub use self::transport::{
    Client, Portal, RetryPolicy, http_builder, tls_config, transient_status,
};
