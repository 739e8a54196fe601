//! The one error of the client: a call that could not be made or an answer not read.
//!
//! An IRP *rejection* (`Status` 0) is not an error: it is an [`Answer`](crate::Answer) like
//! any other, because failure cases are what a conformance run exists to check.

use crate::cipher::CipherError;

/// Why a call could not be made or its answer not read.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Connection refused, timeout, TLS failure.
    #[error("{0}")]
    Transport(#[from] reqwest::Error),
    /// The answer is not JSON.
    #[error("HTTP {status}: answer is not JSON: {snippet}")]
    NotJson {
        /// HTTP status.
        status: u16,
        /// The start of the body.
        snippet: String,
    },
    /// `Data` or the SEK could not be decrypted, or the credentials not encrypted.
    #[error("decrypting the answer: {0}")]
    Cipher(#[from] CipherError),
    /// The request could not be built (a header value that is not valid, …).
    #[error("{0}")]
    Request(String),
    /// Renewing a session the IRP stopped accepting failed.
    #[error("could not renew the session: {0}")]
    Renewal(String),
}
