//! Sessions per role: a profile's party, altered by a scenario's auth variant, becomes the
//! client's [`Login`]; a step that needs a session and has none logs in first.

use irp_client::{Login, Session};

use super::{Runner, expect, step::Stop};
use crate::{profile::Party, scenario::AuthVariant};

/// The client's login for `party`, altered by `variant` (a failure case's user, password,
/// AppKey text, left-out members or encryption).
pub(super) fn login_of(party: &Party, variant: &AuthVariant) -> Login {
    let user = variant
        .username
        .clone()
        .or_else(|| party.username.clone())
        .unwrap_or_default();
    let password = variant
        .password
        .clone()
        .or_else(|| party.password.clone())
        .unwrap_or_default();
    let mut login = Login::new(&party.gstin, user, password).force_refresh(variant.force_refresh);
    login.app_key_text = variant.app_key.clone();
    login.omit = variant.omit.clone();
    login.encryption = variant.encryption.into();
    login
}

impl Runner {
    /// The role's session, logging in when there is none.
    pub(super) async fn session(&mut self, role: &str, party: &Party) -> Result<Session, Stop> {
        let key = (self.at, role.to_owned());
        if let Some(session) = self.sessions.get(&key) {
            return Ok(session.clone());
        }
        let login = login_of(party, &AuthVariant::default());
        let (answer, session) = self.peer().client.login(&login, &[]).await?;
        let session = session.ok_or_else(|| {
            Stop::Fail(format!(
                "could not authenticate role `{role}`: {}",
                expect::describe(&answer)
            ))
        })?;
        self.sessions.insert(key, session.clone());
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use irp_client::Encryption;

    use super::*;
    use crate::scenario;

    fn party() -> Party {
        Party {
            gstin: "29AAACL1111A1ZD".into(),
            username: Some("large_supplier".into()),
            password: Some("Emulator@123".into()),
            ..Party::default()
        }
    }

    #[test]
    fn a_variant_overrides_the_party_member_by_member() {
        let plain = login_of(&party(), &AuthVariant::default());
        assert_eq!(plain.user_name, "large_supplier");
        assert_eq!(plain.encryption, Encryption::Pkcs1);
        let variant = AuthVariant {
            password: Some("wrong".into()),
            app_key: Some("not base64".into()),
            omit: vec!["UserName".into()],
            encryption: scenario::Encryption::Oaep,
            force_refresh: true,
            ..AuthVariant::default()
        };
        let altered = login_of(&party(), &variant);
        assert_eq!(altered.user_name, "large_supplier");
        assert_eq!(altered.password, "wrong");
        assert_eq!(altered.encryption, Encryption::Oaep);
        let credentials = altered.credentials();
        assert_eq!(credentials["AppKey"], "not base64");
        assert_eq!(credentials["ForceRefreshAccessToken"], true);
        assert!(credentials.get("UserName").is_none());
    }
}
