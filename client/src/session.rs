//! Who calls: the API client's id and secret, a user's login, and the session it yields.
//!
//! Secrets (password, AppKey, SEK) are printed as placeholders by `Debug`, so a session can
//! be logged or put in an assertion message without leaking them.

use std::fmt;

use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};

use crate::cipher::{self, Encryption};

/// The API client registered with the IRP (the `client_id`/`client_secret` headers).
#[derive(Clone, PartialEq, Eq)]
pub struct Caller {
    /// `client_id`.
    pub client_id: String,
    /// `client_secret`.
    pub client_secret: String,
}

impl fmt::Debug for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Caller")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl Caller {
    /// A caller from its id and secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }
}

/// A user's login: what goes into the credentials block, and how it is encrypted.
///
/// The fields beyond GSTIN, user and password exist to make failure cases (a wrong
/// AppKey, a member left out, the wrong padding) with the same code as the right call.
#[derive(Clone)]
pub struct Login {
    /// `Gstin` header.
    pub gstin: String,
    /// `UserName`.
    pub user_name: String,
    /// `Password`.
    pub password: String,
    /// The AppKey the SEK comes back under (random 32 bytes by default).
    pub app_key: Vec<u8>,
    /// `AppKey` text sent instead of base64 of `app_key` (not base64, a short key, …).
    pub app_key_text: Option<String>,
    /// `ForceRefreshAccessToken`.
    pub force_refresh: bool,
    /// Credentials members to leave out.
    pub omit: Vec<String>,
    /// How the credentials block is encrypted.
    pub encryption: Encryption,
}

impl fmt::Debug for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Login")
            .field("gstin", &self.gstin)
            .field("user_name", &self.user_name)
            .field("force_refresh", &self.force_refresh)
            .field("omit", &self.omit)
            .field("encryption", &self.encryption)
            .finish_non_exhaustive()
    }
}

impl Login {
    /// `user_name` of `gstin` with `password`, a fresh random AppKey, PKCS#1 v1.5.
    pub fn new(
        gstin: impl Into<String>,
        user_name: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Self {
            gstin: gstin.into(),
            user_name: user_name.into(),
            password: password.into(),
            app_key: cipher::app_key().to_vec(),
            app_key_text: None,
            force_refresh: false,
            omit: Vec::new(),
            encryption: Encryption::Pkcs1,
        }
    }

    /// The same login with a fixed AppKey (tests that want repeatable bytes).
    pub fn with_app_key(mut self, app_key: &[u8]) -> Self {
        self.app_key = app_key.to_vec();
        self
    }

    /// The same login asking for a new token (`ForceRefreshAccessToken`).
    pub fn force_refresh(mut self, force: bool) -> Self {
        self.force_refresh = force;
        self
    }

    /// The credentials JSON, before encryption.
    pub fn credentials(&self) -> Value {
        let app_key = self
            .app_key_text
            .clone()
            .unwrap_or_else(|| STANDARD.encode(&self.app_key));
        let mut credentials = json!({
            "UserName": self.user_name,
            "Password": self.password,
            "AppKey": app_key,
            "ForceRefreshAccessToken": self.force_refresh,
        });
        if let Some(map) = credentials.as_object_mut() {
            for member in &self.omit {
                map.remove(member);
            }
        }
        credentials
    }
}

/// A logged-in session as a client keeps it.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// `Gstin` header.
    pub gstin: String,
    /// `user_name` header.
    pub user: String,
    /// `AuthToken`.
    pub token: String,
    /// The session key, unwrapped with the AppKey.
    pub sek: Vec<u8>,
    /// `TokenExpiry` as sent.
    pub expiry: String,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("gstin", &self.gstin)
            .field("user", &self.user)
            .field("token", &self.token)
            .field("sek", &"[redacted]")
            .field("expiry", &self.expiry)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_secrets() {
        let login = Login::new("29AAACL1111A1ZD", "user", "Secret@123").with_app_key(&[7; 32]);
        let session = Session {
            gstin: "G".into(),
            user: "U".into(),
            token: "T".into(),
            sek: b"SEKSEKSEKSEKSEKSEKSEKSEKSEKSEK42".to_vec(),
            expiry: "E".into(),
        };
        let caller = Caller::new("id", "the-secret");
        let shown = format!("{login:?} {session:?} {caller:?}");
        for secret in [
            "Secret@123",
            "SEKSEK",
            "the-secret",
            &STANDARD.encode([7; 32]),
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[test]
    fn credentials_follow_the_login() {
        let mut login = Login::new("G", "user", "pw").with_app_key(&[1; 16]);
        assert_eq!(login.credentials()["AppKey"], STANDARD.encode([1; 16]));
        login.app_key_text = Some("short".into());
        login.omit = vec!["Password".into()];
        let credentials = login.force_refresh(true).credentials();
        assert_eq!(credentials["AppKey"], "short");
        assert_eq!(credentials["ForceRefreshAccessToken"], true);
        assert!(credentials.get("Password").is_none());
    }
}
