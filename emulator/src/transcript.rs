//! What a response tells the layers around the router, as response extensions that never
//! reach the wire: its plaintext for the journal ([`JournalBody`]) and the internal cause
//! of a refusal for the log ([`ErrorCause`]).
//!
//! A leaf module, so the error type and the responders can attach them without depending
//! on the journal or on the logging middleware.

use serde_json::Value;

/// The plaintext envelope of an answer, for the journal only.
#[derive(Debug, Clone)]
pub struct JournalBody(pub Value);

/// Why a request was refused, as the code saw it: logged by the router's middleware,
/// never sent to the client.
#[derive(Debug, Clone)]
pub struct ErrorCause {
    /// The IRP code of the answer.
    pub code: &'static str,
    /// The internal cause.
    pub cause: String,
    /// Whether it is the emulator's own failure (logged as an error), not the client's.
    pub internal: bool,
}

/// Marks an answer that never reached the client (a fault closed, reset or hung up the
/// connection): the journal records HTTP status 0 and no body.
#[derive(Debug, Clone, Copy)]
pub struct NoAnswer;
