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
    /// 2143: the IRN belongs to another GSTIN.
    NotYourInvoice = "2143",
    /// 2148: no such IRN.
    IrnNotAvailable = "2148",
    /// 2150: the document already has an IRN (with `InfoDtls` DUPIRN).
    DuplicateIrn = "2150",
    /// 2162: reverse charge outside B2B.
    ReverseChargeNotB2b = "2162",
    /// 2163: the document date is in the future.
    FutureDocumentDate = "2163",
    /// 2169: neither the supplier nor its e-commerce operator is calling.
    NotSupplierOrOperator = "2169",
    /// 2171: a deemed export to an unregistered recipient.
    DeemedExportToUrp = "2171",
    /// 2172: IGST on an intra-state item.
    IgstOnIntraState = "2172",
    /// 2173: too many items.
    TooManyItems = "2173",
    /// 2174: CGST/SGST on an inter-state item.
    CgstSgstOnInterState = "2174",
    /// 2176: malformed HSN code.
    InvalidHsn = "2176",
    /// 2177: unit code not in the UQC master.
    InvalidUnit = "2177",
    /// 2178: PIN code outside the party's state.
    PinNotInState = "2178",
    /// 2180: CGST/SGST on an export item.
    CgstSgstOnExport = "2180",
    /// 2182: Σ AssAmt ≠ AssVal.
    AssValMismatch = "2182",
    /// 2183: Σ SgstAmt ≠ SgstVal.
    SgstValMismatch = "2183",
    /// 2184: Σ CgstAmt ≠ CgstVal.
    CgstValMismatch = "2184",
    /// 2185: Σ IgstAmt ≠ IgstVal.
    IgstValMismatch = "2185",
    /// 2186: Σ cess ≠ CesVal.
    CesValMismatch = "2186",
    /// 2187: Σ state cess ≠ StCesVal.
    StCesValMismatch = "2187",
    /// 2189: the invoice total does not add up.
    InvalidTotalInvoiceValue = "2189",
    /// 2192: TotAmt ≠ Qty × UnitPrice.
    TotAmtMismatch = "2192",
    /// 2193: AssAmt ≠ TotAmt − Discount.
    AssAmtMismatch = "2193",
    /// 2194: TotItemVal does not add up.
    InvalidTotalItemValue = "2194",
    /// 2195: the e-commerce operator is not TCS-registered.
    OperatorNotTcs = "2195",
    /// 2211: supplier and recipient are the same GSTIN.
    SameSupplierAndRecipient = "2211",
    /// 2212: an unregistered recipient where the supply type needs a GSTIN.
    RecipientCannotBeUrp = "2212",
    /// 2220: the document discount swallows the invoice.
    DiscountTooLarge = "2220",
    /// 2225: the document date is not a date.
    InvalidDocumentDate = "2225",
    /// 2228: no items.
    ItemListEmpty = "2228",
    /// 2227: CGST and SGST differ.
    CgstSgstUnequal = "2227",
    /// 2229: export without POS 96.
    ExportPosNot96 = "2229",
    /// 2230: cancel while an active e-way bill exists.
    ActiveEwayBill = "2230",
    /// 2231: an SEZ unit cannot issue e-invoices.
    SupplierIsSez = "2231",
    /// 2233: duplicate item serial numbers.
    DuplicateSlNo = "2233",
    /// 2234: CGST/SGST amount off the rate.
    InvalidCgstSgstAmount = "2234",
    /// 2235: IGST amount off the rate.
    InvalidIgstAmount = "2235",
    /// 2237: CGST/SGST to an SEZ recipient.
    CgstSgstToSez = "2237",
    /// 2238: goods without quantity.
    QuantityRequired = "2238",
    /// 2239: goods without unit.
    UnitRequired = "2239",
    /// 2240: GST rate not in the rate master.
    InvalidGstRate = "2240",
    /// 2242: POS 96 outside export.
    Pos96NotExport = "2242",
    /// 2243: POS is not a state.
    InvalidPos = "2243",
    /// 2247: SEZ supply to a non-SEZ recipient.
    RecipientNotSez = "2247",
    /// 2248: export to a registered recipient.
    ExportRecipientNotUrp = "2248",
    /// 2258: supplier GSTIN and state code disagree.
    SupplierStateMismatch = "2258",
    /// 2261: export recipient state is not 96.
    ExportRecipientState = "2261",
    /// 2262: IGST on intra-state with POS ≠ supplier state.
    IgstOnIntraPos = "2262",
    /// 2265: recipient GSTIN and state code disagree.
    RecipientStateMismatch = "2265",
    /// 2266: cess amount off the rate.
    InvalidCessAmount = "2266",
    /// 2267: state cess amount off the rate.
    InvalidStateCessAmount = "2267",
    /// 2270: cancellation after the 24-hour window.
    CancelWindowClosed = "2270",
    /// 2278: the document number was cancelled and cannot be reused.
    CancelledDocumentNumber = "2278",
    /// 2283: retrieval after the window.
    RetrievalWindowClosed = "2283",
    /// 2300: the supplier is neither regular nor SEZ developer.
    SupplierTypeNotAllowed = "2300",
    /// 2305: a large supplier's document is older than the reporting window.
    ReportingWindowClosed = "2305",
    /// 2255: the request carries no payload.
    PayloadEmpty = "2255",
    /// 3001: the requested data is not available (unknown GSTIN).
    DataNotAvailable = "3001",
    /// 3028: the GSTIN is malformed or unknown.
    InvalidGstin = "3028",
    /// 3029: the GSTIN is inactive or cancelled.
    InactiveGstin = "3029",
    /// 3026: e-invoicing is not enabled for the GSTIN.
    EinvoiceNotEnabled = "3026",
    /// 3074: cancelled GSTIN, document dated after the cancellation.
    CancelledBeforeDocument = "3074",
    /// 3075: cancelled GSTIN without a cancellation date.
    CancelledWithoutDate = "3075",
    /// 3077: cancelled GSTIN, document dated before registration.
    CancelledAndBeforeRegistration = "3077",
    /// 3079: document dated before the registration of an active GSTIN.
    BeforeRegistration = "3079",
    /// 4000: the IRN is not active.
    EwbIrnNotActive = "4000",
    /// 4002: the IRN already has an e-way bill.
    EwbAlreadyGenerated = "4002",
    /// 4003: no such IRN (e-way bill API).
    EwbIrnNotAvailable = "4003",
    /// 4005: no e-way bill for the IRN.
    EwbNotFound = "4005",
    /// 4009: no goods item.
    EwbNoGoods = "4009",
    /// 4010: credit/debit note or services only.
    EwbWrongDocument = "4010",
    /// 4011: road without vehicle number.
    EwbVehicleRequired = "4011",
    /// 4012: rail/air without transport document number.
    EwbTransDocRequired = "4012",
    /// 4013: the given distance is out of range.
    EwbDistanceOutOfRange = "4013",
    /// 4014: malformed vehicle number.
    EwbInvalidVehicle = "4014",
    /// 4015: the GSTIN is blocked for e-way bills.
    EwbBlocked = "4015",
    /// 4016: transport document dated in the future.
    EwbTransDocFuture = "4016",
    /// 4017: malformed date.
    EwbDateFormat = "4017",
    /// 4018: malformed transporter id.
    EwbInvalidTransporter = "4018",
    /// 4019: Part-A only without transporter id.
    EwbTransporterRequired = "4019",
    /// 4020: unknown vehicle type.
    EwbInvalidVehicleType = "4020",
    /// 4021: transport document dated before the invoice.
    EwbTransDocBeforeInvoice = "4021",
    /// 4022: road without vehicle type.
    EwbVehicleTypeRequired = "4022",
    /// 4023: rail/air without transport document date.
    EwbTransDocDateRequired = "4023",
    /// 4024: ODC outside road and ship.
    EwbOdcMode = "4024",
    /// 4028: vehicle or document given without mode.
    EwbModeRequired = "4028",
    /// 4029: distance 0 between identical PINs.
    EwbSamePinZeroDistance = "4029",
    /// 4030: no computed distance for the PIN pair.
    EwbDistanceUnavailable = "4030",
    /// 4031: export without ship-to details.
    EwbExportShipTo = "4031",
    /// 4032: ship-to state 96.
    EwbShipToState96 = "4032",
    /// 4033: ship-to PIN 999999.
    EwbShipToPin999999 = "4033",
    /// 4034: distance 0 with a 999999 PIN.
    EwbForeignPinZeroDistance = "4034",
    /// 4035: dispatch state 96.
    EwbDispatchState96 = "4035",
    /// 4036: dispatch PIN 999999.
    EwbDispatchPin999999 = "4036",
    /// 4037: not authorised (someone else's IRN).
    EwbNotAuthorised = "4037",
    /// 4038: distance too far from the computed one.
    EwbDistanceTooHigh = "4038",
    /// 4039: ship with a regular vehicle type.
    EwbShipRegularVehicle = "4039",
    /// 4040: ship without vehicle or transport document.
    EwbShipNeedsDocument = "4040",
    /// 9999: the IRN is not active (already cancelled).
    InvoiceNotActive = "9999",
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
    /// 408 (emulator): the request body did not arrive before the body deadline.
    RequestTimeout = "408",
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
            Self::RequestTimeout => "The request body did not arrive in time",
            // NIC's text is unpublished; this is the GSP summary of it.
            Self::CancelWindowClosed => "IRN cannot be cancelled as it is more than 24 hrs old",
            _ => catalogue()
                .get(self.code())
                .map_or("Application Error", String::as_str),
        }
    }

    /// The message with `{0}`, `{1}`… replaced by `args`, as NIC fills in HSN codes, serial
    /// numbers and GSTINs.
    pub fn message_with(self, args: &[&str]) -> String {
        let mut text = self.message().to_owned();
        for (i, arg) in args.iter().enumerate() {
            text = text.replace(&format!("{{{i}}}"), arg);
        }
        text
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
                | Self::RequestTimeout
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
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
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
