//! Token checking for every API but auth, and sealing of the answer under the session key.

use axum::{extract::FromRequestParts, http::request::Parts};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde::Serialize;

use super::{Sealed, credentials::check_client};
use crate::{
    caller::Caller,
    config::GstinMismatch,
    crypto::aes_ecb_encrypt,
    error::{ApiError, ErrorCode},
    headers::IrpHeaders,
    secret::SessionKey,
    session::{Identity, TokenError},
    state::AppState,
};

/// A caller whose token matched its client, user and GSTIN headers.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// Who is calling.
    pub identity: Identity,
    /// The caller of document APIs: the token's GSTIN, and the supplier named in
    /// `sup_gstin` when an e-commerce operator acts for one.
    pub caller: Caller,
    sek: SessionKey,
}

impl Authenticated {
    /// The session key, for decrypting request payloads.
    pub fn session_key(&self) -> &SessionKey {
        &self.sek
    }

    /// Serialises `data` and encrypts it under the session key.
    pub fn seal<T: Serialize>(&self, data: &T) -> Result<Sealed, ApiError> {
        let plain = serde_json::to_value(data)
            .map_err(|e| ApiError::new(ErrorCode::ApplicationError).caused_by(e))?;
        Ok(Sealed {
            data: self.encrypt_json(&plain)?,
            plain,
            info: None,
        })
    }

    /// base64(AES-256-ECB(SEK, JSON of `data`)).
    pub fn encrypt_json<T: Serialize>(&self, data: &T) -> Result<String, ApiError> {
        let json = serde_json::to_vec(data)
            .map_err(|e| ApiError::new(ErrorCode::ApplicationError).caused_by(e))?;
        let sealed = aes_ecb_encrypt(self.sek.expose(), &json)
            .map_err(|e| ApiError::new(ErrorCode::ApplicationError).caused_by(e))?;
        Ok(STANDARD.encode(sealed))
    }
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let headers = IrpHeaders::from_map(&parts.headers);
        let client_id = check_client(state, &headers)?;
        let gstin = headers
            .gstin
            .as_deref()
            .ok_or(ErrorCode::HeaderGstinRequired)?;
        let user_name = headers
            .user_name
            .as_deref()
            .ok_or(ErrorCode::UserNameRequired)?;
        let token = headers
            .auth_token
            .as_deref()
            .ok_or(ErrorCode::InvalidToken)?;
        let now = state.clock.now();
        match state
            .sessions
            .check(token, &client_id, user_name, gstin, now)
        {
            // A token belongs to the IRP that issued it: at another it is no token at all.
            Ok((identity, _)) if identity.irp != state.settings.irp.name => {
                Err(ApiError::new(ErrorCode::InvalidToken)
                    .caused_by(format_args!("a token of IRP {}", identity.irp)))
            }
            Ok((identity, sek)) => {
                let for_supplier = match headers.sup_gstin.as_deref() {
                    None => None,
                    Some(text) => Some(state.settings.gstin_check().parse(text).map_err(|_| {
                        ApiError::with_message(
                            ErrorCode::InvalidGstin,
                            format!("GSTIN - {text} is invalid"),
                        )
                    })?),
                };
                Ok(Self {
                    caller: Caller {
                        gstin: identity.gstin.clone(),
                        for_supplier,
                        at: state.settings.irp.clone(),
                        irp_header: headers.irp,
                    },
                    identity,
                    sek,
                })
            }
            Err(TokenError::WrongGstin)
                if state.settings.gstin_mismatch == GstinMismatch::InvalidGstinForUser =>
            {
                Err(ErrorCode::InvalidGstinForUser.into())
            }
            Err(e) => Err(ApiError::new(ErrorCode::InvalidToken).caused_by(format_args!("{e:?}"))),
        }
    }
}
