//! Building requests: headers, the encrypted credentials block and sealed payloads.
//!
//! Pure functions from keys and values to an [`Outgoing`] request. Nothing here does I/O, so
//! the reqwest transport and in-process tests (the router through `oneshot`, no socket)
//! send exactly the same bytes.

use base64::{Engine, engine::general_purpose::STANDARD};
use rsa::RsaPublicKey;
use serde_json::{Value, json};

use crate::{Caller, ClientError, Endpoint, Login, Session, answer::MASK, cipher};

/// A header change: set to a value, or remove with `None`.
pub type HeaderOverrides<'a> = &'a [(String, Option<String>)];

/// A request ready to send.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// Where it goes.
    pub endpoint: Endpoint,
    /// Headers in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// The JSON body as sent (encrypted parts already encrypted).
    pub body: Option<Value>,
    /// The request as a log shows it: the payload before encryption, secrets masked.
    pub shown: Value,
}

impl Outgoing {
    /// Applies `overrides`: a named header is replaced (any case) or, with `None`, removed.
    pub fn override_headers(&mut self, overrides: HeaderOverrides<'_>) {
        self.headers
            .retain(|(name, _)| !overrides.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)));
        for (name, value) in overrides {
            if let Some(value) = value {
                self.headers.push((name.clone(), value.clone()));
            }
        }
    }

    /// The HTTP request against `base` (scheme and host, optionally a path prefix).
    pub fn to_http(&self, base: &str) -> Result<http::Request<Vec<u8>>, ClientError> {
        let url = format!("{}{}", base.trim_end_matches('/'), self.endpoint.path);
        let mut builder = http::Request::builder()
            .method(self.endpoint.method.clone())
            .uri(url);
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let body = match &self.body {
            Some(body) => {
                builder = builder.header("Content-Type", "application/json");
                body.to_string().into_bytes()
            }
            None => Vec::new(),
        };
        builder
            .body(body)
            .map_err(|e| ClientError::Request(e.to_string()))
    }
}

/// The client headers, plus the user and token of `session`.
fn headers(caller: &Caller, gstin: &str, session: Option<&Session>) -> Vec<(String, String)> {
    let mut headers = vec![
        ("client_id".to_owned(), caller.client_id.clone()),
        ("client_secret".to_owned(), caller.client_secret.clone()),
        ("Gstin".to_owned(), gstin.to_owned()),
    ];
    if let Some(session) = session {
        headers.push(("user_name".to_owned(), session.user.clone()));
        headers.push(("AuthToken".to_owned(), session.token.clone()));
    }
    headers
}

/// The auth call of `login`: `{"Data": base64(RSA(base64(credentials)))}` under `public`.
pub fn auth_request(
    caller: &Caller,
    login: &Login,
    public: &RsaPublicKey,
) -> Result<Outgoing, ClientError> {
    let credentials = login.credentials();
    let data =
        cipher::encrypt_credentials(public, credentials.to_string().as_bytes(), login.encryption)?;
    let mut shown = credentials;
    for secret in ["Password", "AppKey"] {
        if let Some(value) = shown.get_mut(secret) {
            *value = json!(MASK);
        }
    }
    Ok(Outgoing {
        endpoint: Endpoint::auth(),
        headers: headers(caller, &login.gstin, None),
        body: Some(json!({ "Data": data })),
        shown,
    })
}

/// A call of `endpoint` in `session`, with `payload` sealed under the SEK in the envelope
/// the API wants (`{"Data"}`, or `{"action":"CANEWB","data"}` for the e-way bill system).
pub fn api_request(
    caller: &Caller,
    session: &Session,
    endpoint: &Endpoint,
    payload: Option<&Value>,
) -> Result<Outgoing, ClientError> {
    let body = match payload {
        None => None,
        Some(plain) => {
            let data = STANDARD.encode(cipher::seal(&session.sek, plain.to_string().as_bytes())?);
            Some(if endpoint.ewb_system {
                json!({ "action": "CANEWB", "data": data })
            } else {
                json!({ "Data": data })
            })
        }
    };
    Ok(Outgoing {
        endpoint: endpoint.clone(),
        headers: headers(caller, &session.gstin, Some(session)),
        body,
        shown: payload.cloned().unwrap_or(Value::Null),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session {
            gstin: "29AAACL1111A1ZD".into(),
            user: "large_supplier".into(),
            token: "tok".into(),
            sek: vec![4; 32],
            expiry: String::new(),
        }
    }

    #[test]
    fn a_sealed_call_carries_the_session_headers_and_opens_with_the_sek() {
        let caller = Caller::new("id", "secret");
        let payload = json!({ "Irn": "x", "CnlRsn": "1" });
        let out =
            api_request(&caller, &session(), &Endpoint::cancel_irn(), Some(&payload)).unwrap();
        let names: Vec<&str> = out.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "client_id",
                "client_secret",
                "Gstin",
                "user_name",
                "AuthToken"
            ]
        );
        assert_eq!(out.shown, payload);
        let sealed = out.body.as_ref().unwrap()["Data"].as_str().unwrap();
        assert_eq!(
            cipher::open(&[4; 32], sealed).unwrap(),
            payload.to_string().as_bytes()
        );
        let http = out.to_http("http://irp.test/").unwrap();
        assert_eq!(http.uri(), "http://irp.test/eicore/v1.03/Invoice/Cancel");
        assert_eq!(http.headers()["content-type"], "application/json");
    }

    #[test]
    fn cancel_ewb_uses_the_lower_case_envelope() {
        let caller = Caller::new("id", "secret");
        let payload = json!({ "ewbNo": 1 });
        let out =
            api_request(&caller, &session(), &Endpoint::cancel_ewb(), Some(&payload)).unwrap();
        let body = out.body.unwrap();
        assert_eq!(body["action"], "CANEWB");
        assert!(body["data"].is_string() && body.get("Data").is_none());
    }

    #[test]
    fn overrides_replace_in_any_case_and_remove() {
        let caller = Caller::new("id", "secret");
        let mut out = api_request(&caller, &session(), &Endpoint::get_irn("x"), None).unwrap();
        out.override_headers(&[
            ("GSTIN".to_owned(), Some("other".to_owned())),
            ("client_secret".to_owned(), None),
        ]);
        let http = out.to_http("http://irp.test").unwrap();
        assert_eq!(http.headers()["gstin"], "other");
        assert_eq!(http.headers().get_all("gstin").iter().count(), 1);
        assert!(http.headers().get("client_secret").is_none());
        assert!(http.headers().get("content-type").is_none() && http.body().is_empty());
    }
}
