//! `ErrorCode`: every IRP error the emulator can answer with, tied to NIC's catalogue.
//!
//! Codes and variant names live here; the messages are data, read from
//! `emulator/data/error-codes.csv` (the reference pack's catalogue), because NIC's wording
//! drifts and is fixed by editing the file. A test checks that every variant's code is in the
//! catalogue, except the few transport-level answers NIC never documented.

use std::{collections::HashMap, sync::OnceLock};

use axum::http::StatusCode;

const CATALOGUE_CSV: &str = include_str!("../../data/error-codes.csv");

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal ),* $(,)?) => {
        /// An IRP error code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorCode {
            /// Every variant, for catalogue checks.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code as it appears in `ErrorDetails[].ErrorCode`.
            pub fn code(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }
        }
    };
}

error_codes! {
    /// 1004: the `Gstin` header is missing.
    HeaderGstinRequired = "1004",
    /// 1005: the token is missing, expired, revoked or belongs to someone else.
    InvalidToken = "1005",
    /// 1006: the user name is missing.
    UserNameRequired = "1006",
    /// 1007: the auth payload is malformed.
    AuthenticationFailed = "1007",
    /// 1008: wrong user name or password.
    InvalidLoginCredentials = "1008",
    /// 1010: unknown client id or wrong client secret.
    InvalidClient = "1010",
    /// 1011: the `client_id` header is missing.
    ClientIdRequired = "1011",
    /// 1012: the `client_secret` header is missing.
    ClientSecretRequired = "1012",
    /// 1013: the credentials block could not be RSA-decrypted.
    PasswordDecryptionFailed = "1013",
    /// 1014: the GSTIN is not active or not enabled for e-invoicing.
    InactiveUser = "1014",
    /// 1015: the GSTIN is not the user's.
    InvalidGstinForUser = "1015",
    /// 1016: the AppKey is not base64 or has the wrong length.
    AppKeyDecryptionFailed = "1016",
    /// 1017: no such user.
    IncorrectUserId = "1017",
    /// 1018: the user may not act through this client.
    ClientNotMappedToUser = "1018",
    /// 1019: wrong password.
    IncorrectPassword = "1019",
    /// 2140: the payload is undecryptable, not JSON, or fails the schema.
    InvalidInvoice = "2140",
    /// 2142: a required parameter is missing.
    IncompleteParameters = "2142",
    /// 2255: the request carries no payload.
    PayloadEmpty = "2255",
    /// 3001: the requested data is not available (unknown GSTIN).
    DataNotAvailable = "3001",
    /// 3028: the GSTIN is malformed or unknown.
    InvalidGstin = "3028",
    /// 3029: the GSTIN is inactive or cancelled.
    InactiveGstin = "3029",
    /// 5001: an application error.
    ApplicationError = "5001",
    /// 5002: the request body is over the size limit.
    BodyTooLarge = "5002",
    /// 404 (emulator): no IRP API at this path.
    UnknownPath = "404",
    /// 405 (emulator): the path exists but not for this method.
    MethodNotAllowed = "405",
    /// 415 (emulator): the body is declared as something other than JSON.
    UnsupportedMediaType = "415",
    /// 403 (emulator): the control namespace refused the caller.
    Forbidden = "403",
    /// 400 (emulator): a control-namespace request is malformed.
    BadControlRequest = "400",
}

impl ErrorCode {
    /// NIC's message for the code, from the catalogue (or the emulator's own text for the
    /// transport-level answers NIC never documented).
    pub fn message(self) -> &'static str {
        match self {
            Self::UnknownPath => "The requested API path does not exist",
            Self::MethodNotAllowed => "The requested API does not support this HTTP method",
            Self::UnsupportedMediaType => "Content-Type must be application/json",
            Self::Forbidden => "The emulator control API is not open to this caller",
            Self::BadControlRequest => "Malformed control request",
            _ => catalogue()
                .get(self.code())
                .map_or("Application Error", String::as_str),
        }
    }

    /// Whether the code is one of NIC's (as opposed to a transport-level emulator answer).
    pub fn is_nic_code(self) -> bool {
        !matches!(
            self,
            Self::UnknownPath
                | Self::MethodNotAllowed
                | Self::UnsupportedMediaType
                | Self::Forbidden
                | Self::BadControlRequest
        )
    }

    /// The HTTP status: 200 for every business outcome, as the IRP does; a 4xx only for the
    /// transport-level answers.
    pub fn http_status(self) -> StatusCode {
        match self {
            Self::UnknownPath => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::BadControlRequest => StatusCode::BAD_REQUEST,
            Self::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::OK,
        }
    }
}

/// Code → message, parsed once from the embedded CSV.
pub fn catalogue() -> &'static HashMap<String, String> {
    static CATALOGUE: OnceLock<HashMap<String, String>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        crate::masters::csv_records(CATALOGUE_CSV)
            .filter_map(|mut row| {
                let message = row.get_mut(1).map(std::mem::take)?;
                let code = row.into_iter().next()?;
                Some((code, message))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_nic_variant_is_in_the_catalogue() {
        for code in ErrorCode::ALL.iter().filter(|c| c.is_nic_code()) {
            assert!(
                catalogue().contains_key(code.code()),
                "{code:?} missing from error-codes.csv"
            );
        }
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.code()), "duplicate code {}", code.code());
        }
    }

    #[test]
    fn catalogue_parses_quoted_messages() {
        assert!(catalogue().len() > 240);
        assert_eq!(ErrorCode::InvalidToken.message(), "Invalid Token");
        assert_eq!(
            ErrorCode::ApplicationError.message(),
            "Application Error, Please Contact the help desk"
        );
    }
}
