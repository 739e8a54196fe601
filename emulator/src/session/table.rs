//! The sessions in memory: NIC's reuse, refresh and expiry rules as plain functions of
//! their inputs (`now` included), so they are unit-testable without a runtime or a store.

use std::collections::HashMap;

use time::{Duration, OffsetDateTime};

use super::{Identity, Login, REFRESH_WINDOW, Session, TokenError};
use crate::secret::SessionKey;

/// All sessions in memory: a plain struct, every method given `now`, no I/O.
#[derive(Debug, Default)]
pub struct SessionTable {
    by_token: HashMap<String, Session>,
    current: HashMap<Identity, String>,
}

const TOKEN_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn new_token() -> String {
    let mut bytes = [0u8; 25];
    crate::crypto::fill_random(&mut bytes);
    bytes
        .iter()
        .map(|b| {
            let i = usize::from(*b) % TOKEN_ALPHABET.len();
            char::from(TOKEN_ALPHABET.get(i).copied().unwrap_or(b'A'))
        })
        .collect()
}

impl SessionTable {
    /// Authenticates `identity`: returns the live session, or a new one when there is none,
    /// it has expired, or a forced refresh falls inside the refresh window.
    pub fn login(
        &mut self,
        identity: Identity,
        force_refresh: bool,
        now: OffsetDateTime,
        lifetime: Duration,
    ) -> Login {
        let mut replaced = None;
        if let Some(live) = self
            .current
            .get(&identity)
            .and_then(|t| self.by_token.get(t))
        {
            let expired = now >= live.expires_at;
            let refresh = force_refresh && now >= live.expires_at - REFRESH_WINDOW;
            if !expired && !refresh {
                return Login {
                    session: live.clone(),
                    issued: false,
                    replaced: None,
                };
            }
            let old = live.token.clone();
            self.by_token.remove(&old);
            replaced = Some(old);
        }
        let session = Session {
            token: new_token(),
            identity: identity.clone(),
            sek: SessionKey::random(),
            expires_at: now + lifetime,
        };
        self.current.insert(identity, session.token.clone());
        self.by_token.insert(session.token.clone(), session.clone());
        Login {
            session,
            issued: true,
            replaced,
        }
    }

    /// Puts back a session read from the store.
    pub fn restore(&mut self, session: Session) {
        let current = self
            .current
            .get(&session.identity)
            .and_then(|t| self.by_token.get(t));
        if current.is_none_or(|c| c.expires_at <= session.expires_at) {
            self.current
                .insert(session.identity.clone(), session.token.clone());
        }
        self.by_token.insert(session.token.clone(), session);
    }

    /// Checks a token presented with (client, user, GSTIN) headers at `now`.
    pub fn check(
        &self,
        token: &str,
        client_id: &str,
        user_name: &str,
        gstin: &str,
        now: OffsetDateTime,
    ) -> Result<&Session, TokenError> {
        let session = self.by_token.get(token).ok_or(TokenError::Invalid)?;
        if now >= session.expires_at {
            return Err(TokenError::Invalid);
        }
        if session.identity.client_id != client_id || session.identity.user_name != user_name {
            return Err(TokenError::WrongOwner);
        }
        if session.identity.gstin.as_str() != gstin {
            return Err(TokenError::WrongGstin);
        }
        Ok(session)
    }

    /// Forgets one token (a session whose store write failed, or a revoked one).
    pub fn forget(&mut self, token: &str) {
        if let Some(session) = self.by_token.remove(token)
            && self
                .current
                .get(&session.identity)
                .is_some_and(|t| t == token)
        {
            self.current.remove(&session.identity);
        }
    }

    /// Revokes every session of a user (used when the taxpayer master changes).
    pub fn revoke_user(&mut self, user_name: &str) {
        self.by_token
            .retain(|_, s| s.identity.user_name != user_name);
        self.current
            .retain(|identity, _| identity.user_name != user_name);
    }

    /// Drops every session.
    pub fn clear(&mut self) {
        self.by_token.clear();
        self.current.clear();
    }

    /// Number of live and expired-but-unreplaced sessions.
    pub fn len(&self) -> usize {
        self.by_token.len()
    }

    /// Whether there are no sessions.
    pub fn is_empty(&self) -> bool {
        self.by_token.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gstin::Gstin;
    use time::macros::datetime;

    const LIFE: Duration = Duration::minutes(60);
    const T0: OffsetDateTime = datetime!(2026-03-31 10:00:00 UTC);

    fn who(user: &str) -> Identity {
        Identity {
            client_id: "client".into(),
            user_name: user.into(),
            gstin: Gstin::parse("29AAACL1111A1ZD").unwrap(),
            irp: crate::irp::IrpName::nic1(),
        }
    }

    #[test]
    fn reuse_refresh_and_expiry() {
        let mut sessions = SessionTable::default();
        let first = sessions.login(who("u"), false, T0, LIFE).session;
        assert_eq!(first.token.len(), 25);
        let again = sessions
            .login(who("u"), false, T0 + Duration::minutes(30), LIFE)
            .session;
        assert_eq!(
            (again.token.as_str(), again.expires_at),
            (first.token.as_str(), first.expires_at)
        );
        assert_eq!(again.sek, first.sek);

        // Forced refresh more than ten minutes before expiry: same token.
        let early = sessions
            .login(who("u"), true, T0 + Duration::minutes(49), LIFE)
            .session;
        assert_eq!(early.token, first.token);

        // Inside the last ten minutes: a new token, and the old one is dead.
        let at = T0 + Duration::minutes(50);
        let login = sessions.login(who("u"), true, at, LIFE);
        assert!(login.issued);
        assert_eq!(login.replaced.as_deref(), Some(first.token.as_str()));
        let fresh = login.session;
        assert_ne!(fresh.token, first.token);
        assert_ne!(fresh.sek, first.sek);
        assert_eq!(fresh.expires_at, at + LIFE);
        let gstin = "29AAACL1111A1ZD";
        assert_eq!(
            sessions.check(&first.token, "client", "u", gstin, at).err(),
            Some(TokenError::Invalid)
        );
        assert!(
            sessions
                .check(&fresh.token, "client", "u", gstin, at)
                .is_ok()
        );

        // After expiry the token is refused and a plain login issues a new one.
        let late = fresh.expires_at;
        assert_eq!(
            sessions
                .check(&fresh.token, "client", "u", gstin, late)
                .err(),
            Some(TokenError::Invalid)
        );
        let next = sessions.login(who("u"), false, late, LIFE).session;
        assert_ne!(next.token, fresh.token);
        assert_eq!(sessions.len(), 1);
    }

    #[test]
    fn tokens_are_bound_to_their_owner() {
        let mut sessions = SessionTable::default();
        let s = sessions.login(who("u"), false, T0, LIFE).session;
        let gstin = "29AAACL1111A1ZD";
        assert_eq!(
            sessions.check(&s.token, "other", "u", gstin, T0).err(),
            Some(TokenError::WrongOwner)
        );
        assert_eq!(
            sessions.check(&s.token, "client", "v", gstin, T0).err(),
            Some(TokenError::WrongOwner)
        );
        assert_eq!(
            sessions
                .check(&s.token, "client", "u", "27AAACB4444D1Z3", T0)
                .err(),
            Some(TokenError::WrongGstin)
        );
        sessions.revoke_user("u");
        assert_eq!(
            sessions.check(&s.token, "client", "u", gstin, T0).err(),
            Some(TokenError::Invalid)
        );
    }

    #[test]
    fn a_forgotten_token_is_refused_and_the_next_login_issues_a_new_one() {
        let mut sessions = SessionTable::default();
        let s = sessions.login(who("u"), false, T0, LIFE).session;
        sessions.forget(&s.token);
        assert_eq!(
            sessions
                .check(&s.token, "client", "u", "29AAACL1111A1ZD", T0)
                .err(),
            Some(TokenError::Invalid)
        );
        let next = sessions.login(who("u"), false, T0, LIFE);
        assert!(next.issued);
        assert_eq!(next.replaced, None);
        assert_ne!(next.session.token, s.token);
    }
}
