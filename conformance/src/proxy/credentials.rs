//! The ERP's credentials block, opened with the proxy's key and sealed again for the
//! upstream.
//!
//! The ERP encrypts `{UserName, Password, AppKey, ForceRefreshAccessToken}` for the proxy
//! (base64 → RSA-2048 PKCS#1 v1.5 → base64, as for the IRP). The proxy sends the upstream
//! the same credentials text with one change: the AppKey becomes a fresh one of its own, of
//! the same length, so the SEK comes back under a key the proxy holds and the ERP's AppKey
//! never leaves the proxy. Everything else (member spelling and order, extra or missing
//! members, `ForceRefreshAccessToken`) goes through as the ERP wrote it, so the upstream
//! judges it as it would have judged the ERP. An AppKey the emulator would refuse (not
//! base64, not 16/24/32 bytes) is left as it is, for the upstream to refuse in its own words.
//!
//! Only PKCS#1 v1.5 is opened, as by the emulator (which answers OAEP with 1013) and as NIC
//! specifies; a block the proxy cannot open is forwarded unchanged (see `login.rs`).

use base64::{Engine, engine::general_purpose::STANDARD};
use irp_client::{Encryption, cipher};
use irp_emulator::{crypto::CredentialKey, secret::AppKey};
use rsa::RsaPublicKey;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::member;

/// Credentials the proxy could open.
pub(super) struct Opened {
    /// The credentials JSON text exactly as the ERP encrypted it (it holds the password:
    /// wiped when dropped).
    text: Zeroizing<Vec<u8>>,
    /// The same, parsed (for the journal, masked there, and for the AppKey).
    pub(super) parsed: Map<String, Value>,
    /// The ERP's AppKey, when it is one the emulator accepts.
    pub(super) app_key: Option<AppKey>,
}

/// What goes upstream: the body, and the AppKey the SEK will come back under (the proxy's,
/// or `None` when the ERP's credentials went unchanged).
pub(super) struct Sealed {
    /// The auth body for the upstream.
    pub(super) body: Vec<u8>,
    /// The proxy's own AppKey for this login.
    pub(super) app_key: Option<AppKey>,
}

/// A member looked up as NIC's .NET deserialiser does: the exact name, else any case.
pub(super) fn field<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// Opens the auth body `body` with the proxy's `key`; `None` when it is not an auth body
/// the proxy can read (not JSON, no `Data`, not base64, not for this key, not a JSON
/// object inside).
pub(super) fn open(key: &CredentialKey, body: &[u8]) -> Option<Opened> {
    let outer: Map<String, Value> = serde_json::from_slice(body).ok()?;
    let data = field(&outer, "Data")?.as_str()?;
    let block = STANDARD.decode(data.trim()).ok()?;
    let inner = Zeroizing::new(key.decrypt(&block).ok()?);
    let text = Zeroizing::new(STANDARD.decode(inner.trim_ascii()).ok()?);
    let parsed: Map<String, Value> = serde_json::from_slice(&text).ok()?;
    let app_key = field(&parsed, "AppKey")
        .and_then(Value::as_str)
        .and_then(|key| STANDARD.decode(key.trim()).ok())
        .and_then(AppKey::new);
    Some(Opened {
        text,
        parsed,
        app_key,
    })
}

/// Why the credentials could not be sealed for the upstream.
#[derive(Debug, thiserror::Error)]
#[error("sealing the credentials for the upstream: {0}")]
pub(super) struct SealError(String);

impl Opened {
    /// The auth body for the upstream: `outer` (the ERP's body) with `Data` replaced by the
    /// credentials, their AppKey swapped for a fresh one, encrypted with `upstream_key`.
    pub(super) fn seal(
        &self,
        outer: &[u8],
        upstream_key: &RsaPublicKey,
    ) -> Result<Sealed, SealError> {
        let fresh = self.app_key.as_ref().and_then(|erp| {
            let mut bytes = vec![0u8; erp.expose().len()];
            irp_emulator::crypto::fill_random(&mut bytes);
            AppKey::new(bytes)
        });
        let swapped = fresh.as_ref().and_then(|key| {
            let text = STANDARD.encode(key.expose());
            member::replace_string(&self.text, &["AppKey"], &text).map(Zeroizing::new)
        });
        let (text, app_key) = match swapped {
            Some(text) => (text, fresh),
            // The AppKey could not be swapped (two spellings of it): the ERP's text as it is.
            None => (self.text.clone(), None),
        };
        let data = cipher::encrypt_credentials(upstream_key, &text, Encryption::Pkcs1)
            .map_err(|e| SealError(e.to_string()))?;
        let body = member::replace_string(outer, &["Data"], &data)
            .unwrap_or_else(|| serde_json::json!({ "Data": data }).to_string().into_bytes());
        Ok(Sealed { body, app_key })
    }
}

#[cfg(test)]
mod tests {
    use irp_emulator::keys::KeySet;
    use rsa::pkcs8::DecodePublicKey;
    use serde_json::json;

    use super::*;

    fn keys() -> (KeySet, RsaPublicKey) {
        let keys = KeySet::embedded().unwrap();
        let public = RsaPublicKey::from_public_key_pem(&keys.pems.auth_public).unwrap();
        (keys, public)
    }

    fn body(public: &RsaPublicKey, credentials: &Value) -> Vec<u8> {
        let data = cipher::encrypt_credentials(
            public,
            credentials.to_string().as_bytes(),
            Encryption::Pkcs1,
        )
        .unwrap();
        json!({ "Data": data }).to_string().into_bytes()
    }

    #[test]
    fn the_app_key_is_swapped_for_one_of_the_same_length_and_nothing_else_changes() {
        let (keys, public) = keys();
        for length in [16, 24, 32] {
            let erp_key = STANDARD.encode(vec![7u8; length]);
            let credentials = json!({ "username": "u", "Password": "p", "APPKEY": erp_key,
                "ForceRefreshAccessToken": true, "Extra": 1 });
            let opened = open(&keys.credential, &body(&public, &credentials)).unwrap();
            assert_eq!(opened.app_key.as_ref().unwrap().expose().len(), length);
            let sealed = opened.seal(br#"{"Data":"x","Other":1}"#, &public).unwrap();
            let proxy_key = sealed.app_key.unwrap();
            assert_eq!(proxy_key.expose().len(), length);
            assert_ne!(proxy_key.expose(), &vec![7u8; length][..]);
            // The upstream (here the same key) opens what the ERP sent, AppKey aside.
            let again = open(&keys.credential, &sealed.body).unwrap();
            let mut expected = credentials.as_object().unwrap().clone();
            expected.insert("APPKEY".into(), json!(STANDARD.encode(proxy_key.expose())));
            assert_eq!(again.parsed, expected);
            let outer: Value = serde_json::from_slice(&sealed.body).unwrap();
            assert_eq!(outer["Other"], 1);
        }
    }

    #[test]
    fn an_app_key_the_emulator_refuses_goes_through_unchanged() {
        let (keys, public) = keys();
        for bad in [
            json!("not base64!"),
            json!(STANDARD.encode([1u8; 20])),
            json!(5),
        ] {
            let credentials = json!({ "UserName": "u", "Password": "p", "AppKey": bad });
            let opened = open(&keys.credential, &body(&public, &credentials)).unwrap();
            assert!(opened.app_key.is_none());
            let sealed = opened.seal(b"{}", &public).unwrap();
            assert!(sealed.app_key.is_none());
            let again = open(&keys.credential, &sealed.body).unwrap();
            assert_eq!(Value::Object(again.parsed), credentials);
        }
    }

    #[test]
    fn bodies_the_proxy_cannot_open() {
        let (keys, public) = keys();
        // Another RSA key of the set: the TLS one, which credentials are never sealed with.
        let stranger: rsa::RsaPrivateKey =
            rsa::pkcs8::DecodePrivateKey::from_pkcs8_pem(&keys.pems.tls_private).unwrap();
        let oaep = cipher::encrypt_credentials(&public, b"{}", Encryption::Oaep).unwrap();
        let wrong_key =
            cipher::encrypt_credentials(&RsaPublicKey::from(&stranger), b"{}", Encryption::Pkcs1)
                .unwrap();
        let not_an_object = body(&public, &json!(["UserName"]));
        for junk in [
            b"".to_vec(),
            b"not json".to_vec(),
            b"[]".to_vec(),
            br#"{"Data":7}"#.to_vec(),
            br#"{"Data":"!!"}"#.to_vec(),
            json!({ "Data": oaep }).to_string().into_bytes(),
            json!({ "Data": wrong_key }).to_string().into_bytes(),
            not_an_object,
        ] {
            assert!(
                open(&keys.credential, &junk).is_none(),
                "{}",
                String::from_utf8_lossy(&junk)
            );
        }
    }
}
