//! Who may log in: the user, password, GSTIN, client mapping and status checks of the auth
//! API, in that order, with their NIC codes.

use time::OffsetDateTime;

use crate::{
    config::{CredentialErrors, Settings},
    envelope::LoginRequest,
    error::{ApiError, ErrorCode},
    session::{Identity, Login, SessionTable},
    taxpayer::TaxpayerMaster,
};

/// Checks a login request against the master and issues (or reuses) a session.
pub fn login(
    master: &TaxpayerMaster,
    sessions: &mut SessionTable,
    settings: &Settings,
    request: &LoginRequest,
    now: OffsetDateTime,
) -> Result<Login, ApiError> {
    let bad_credentials = |specific: ErrorCode| match settings.credential_errors {
        CredentialErrors::Specific => ApiError::new(specific),
        CredentialErrors::Generic => ApiError::new(ErrorCode::InvalidLoginCredentials),
    };
    let (taxpayer, user) = master
        .find_user(&request.user_name)
        .ok_or_else(|| bad_credentials(ErrorCode::IncorrectUserId))?;
    if !user.password.matches(&request.password) {
        return Err(bad_credentials(ErrorCode::IncorrectPassword));
    }
    if taxpayer.gstin.as_str() != request.gstin {
        return Err(ErrorCode::InvalidGstinForUser.into());
    }
    if !user.may_use_client(&request.client_id) {
        return Err(ErrorCode::ClientNotMappedToUser.into());
    }
    if !taxpayer.is_active() || !taxpayer.einvoice_enabled {
        return Err(ErrorCode::InactiveUser.into());
    }
    let identity = Identity {
        client_id: request.client_id.clone(),
        user_name: request.user_name.clone(),
        gstin: taxpayer.gstin.clone(),
        irp: settings.irp.name.clone(),
    };
    Ok(sessions.login(
        identity,
        request.force_refresh,
        now,
        settings.token_lifetime,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{config::DEFAULT_CLIENT_ID, secret::Password};
    use time::macros::datetime;

    fn request(user: &str, password: &str, gstin: &str, client: &str) -> LoginRequest {
        LoginRequest {
            client_id: client.into(),
            gstin: gstin.into(),
            user_name: user.into(),
            password: Password::new(password),
            force_refresh: false,
        }
    }

    macro_rules! login_case {
        ($name:ident, $user:expr, $password:expr, $gstin:expr, $client:expr, $mode:expr, $expected:expr) => {
            #[test]
            fn $name() {
                let master = TaxpayerMaster::default_data_set().unwrap();
                let mut settings = Settings::default();
                settings.credential_errors = $mode;
                let outcome = login(
                    &master,
                    &mut SessionTable::default(),
                    &settings,
                    &request($user, $password, $gstin, $client),
                    datetime!(2026-01-01 0:00 UTC),
                );
                let expected: Option<ErrorCode> = $expected;
                assert_eq!(outcome.err().map(|e| e.code()), expected);
            }
        };
    }

    const PW: &str = "Emulator@123";
    const LARGE: &str = "29AAACL1111A1ZD";
    const C: &str = DEFAULT_CLIENT_ID;
    use CredentialErrors::{Generic, Specific};

    login_case!(ok, "large_supplier", PW, LARGE, C, Specific, None);
    login_case!(
        unknown_user,
        "nobody",
        PW,
        LARGE,
        C,
        Specific,
        Some(ErrorCode::IncorrectUserId)
    );
    login_case!(
        wrong_password,
        "large_supplier",
        "x",
        LARGE,
        C,
        Specific,
        Some(ErrorCode::IncorrectPassword)
    );
    login_case!(
        unknown_user_generic,
        "nobody",
        PW,
        LARGE,
        C,
        Generic,
        Some(ErrorCode::InvalidLoginCredentials)
    );
    login_case!(
        wrong_password_generic,
        "large_supplier",
        "x",
        LARGE,
        C,
        Generic,
        Some(ErrorCode::InvalidLoginCredentials)
    );
    login_case!(
        other_gstin,
        "large_supplier",
        PW,
        "29AAACS2222B1ZY",
        C,
        Specific,
        Some(ErrorCode::InvalidGstinForUser)
    );
    login_case!(
        client_not_mapped,
        "gsp_only_user",
        PW,
        LARGE,
        C,
        Specific,
        Some(ErrorCode::ClientNotMappedToUser)
    );
    login_case!(
        mapped_client,
        "gsp_only_user",
        PW,
        LARGE,
        "second-gsp-client",
        Specific,
        None
    );
    login_case!(
        cancelled,
        "cancelled",
        PW,
        "29AAACX7777G1ZP",
        C,
        Specific,
        Some(ErrorCode::InactiveUser)
    );
    login_case!(
        inactive,
        "inactive",
        PW,
        "29AAACI8888H1ZW",
        C,
        Specific,
        Some(ErrorCode::InactiveUser)
    );
    login_case!(
        not_enabled,
        "not_enabled",
        PW,
        "29AAACN1212K1ZO",
        C,
        Specific,
        Some(ErrorCode::InactiveUser)
    );
    login_case!(
        blocked_may_log_in,
        "blocked",
        PW,
        "29AAACK9999J1ZJ",
        C,
        Specific,
        None
    );
    login_case!(
        check_digit_failing_gstin,
        "nic_sample",
        PW,
        "34AACCC1596Q002",
        C,
        Specific,
        None
    );
}
