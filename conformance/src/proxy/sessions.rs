//! The sessions the proxy saw being opened: token → SEK and whose session it is.
//!
//! The proxy needs the SEK of a token to decrypt copies of the calls made with it; it
//! learns it while re-wrapping the SEK at the login. Sessions are kept in memory only (a
//! proxy restarted while the ERP keeps its token relays that ERP's calls unchanged but
//! journals them undecrypted until the ERP logs in again), and at most [`MAX_SESSIONS`] of
//! them, the oldest logins forgotten first: an IRP token lives at most six hours, so only
//! an ERP logging in thousands of times would lose one still in use.

use std::{
    collections::{HashMap, VecDeque},
    sync::Arc,
};

use irp_emulator::secret::SessionKey;

/// How many sessions are remembered.
pub(super) const MAX_SESSIONS: usize = 10_000;

/// One session as the proxy knows it.
#[derive(Debug)]
pub(super) struct Session {
    /// The session key (wiped when dropped; `Debug` shows no key).
    pub(super) sek: SessionKey,
    /// The login's `Gstin` header.
    pub(super) gstin: Option<String>,
    /// The login's `UserName`.
    pub(super) user_name: Option<String>,
}

/// Token → session, bounded. A plain struct behind the proxy's mutex.
#[derive(Debug, Default)]
pub(super) struct Sessions {
    by_token: HashMap<String, Arc<Session>>,
    /// Tokens in the order they were (last) issued.
    order: VecDeque<String>,
}

impl Sessions {
    /// Remembers `session` for `token` (a repeated login refreshes it), forgetting the
    /// oldest beyond [`MAX_SESSIONS`]; the session as kept.
    pub(super) fn insert(&mut self, token: String, session: Session) -> Arc<Session> {
        let session = Arc::new(session);
        if self
            .by_token
            .insert(token.clone(), session.clone())
            .is_some()
        {
            self.order.retain(|t| *t != token);
        }
        self.order.push_back(token);
        while self.order.len() > MAX_SESSIONS {
            if let Some(oldest) = self.order.pop_front() {
                self.by_token.remove(&oldest);
            }
        }
        session
    }

    /// The session of `token`, if the proxy saw it issued.
    pub(super) fn get(&self, token: &str) -> Option<Arc<Session>> {
        self.by_token.get(token).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(byte: u8) -> Session {
        Session {
            sek: SessionKey::from_bytes([byte; 32]),
            gstin: None,
            user_name: None,
        }
    }

    #[test]
    fn a_repeated_login_replaces_and_the_oldest_are_forgotten() {
        let mut sessions = Sessions::default();
        sessions.insert("a".into(), session(1));
        sessions.insert("a".into(), session(2));
        assert_eq!(sessions.get("a").unwrap().sek.expose(), &[2; 32]);
        assert_eq!(sessions.order.len(), 1);
        for n in 0..MAX_SESSIONS {
            sessions.insert(format!("t{n}"), session(3));
        }
        assert!(sessions.get("a").is_none());
        assert!(sessions.get("t0").is_some());
        assert_eq!(sessions.by_token.len(), MAX_SESSIONS);
        assert!(format!("{:?}", sessions.get("t0").unwrap()).contains("SessionKey(***)"));
    }
}
