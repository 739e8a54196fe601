//! The login, the one call the proxy changes: the SEK re-wrapped for the ERP.
//!
//! The ERP encrypted its credentials for the proxy, so they cannot go upstream as they
//! are. The proxy opens them, logs in upstream with the same credentials under its own
//! fresh AppKey (`credentials.rs`), unwraps the upstream's `Sek` with that AppKey and
//! hands the ERP the same SEK wrapped under the ERP's AppKey: in the answer only the value
//! of `Data.Sek` changes, every other byte is the upstream's. The token and SEK are then
//! remembered, so later calls made with the token can be decrypted for the journal.
//!
//! What the proxy cannot open (no `Data`, not base64, encrypted for another key or with
//! OAEP, not a JSON object inside) goes upstream unchanged and the upstream's answer comes
//! back unchanged: the refusal the ERP sees is the real IRP's. Should the upstream accept
//! such a login (the ERP encrypted with the upstream's own key), the ERP works but the
//! proxy cannot read its session; it says so on stderr. A refused login passes through
//! unchanged. NIC's legacy v1.03 scheme (each secret RSA-encrypted on its own in a plain
//! `data` object) is such a body: it is relayed, not translated; the emulator serves the
//! v1.03 path with the v1.04 scheme, which is translated.

use base64::{Engine, engine::general_purpose::STANDARD};
use irp_emulator::{
    crypto::{aes_ecb_decrypt, aes_ecb_encrypt},
    journal::token_fingerprint,
    secret::{AppKey, SessionKey},
};
use serde_json::Value;
use zeroize::Zeroizing;

use super::{
    Proxy,
    call::{Call, Relayed},
    credentials::{self, field},
    member,
    relay::{json_or_text, response_copy},
    sessions::Session,
    upstream::Received,
};

/// The login `call` with the ERP's `body`.
pub(super) async fn login(proxy: &Proxy, call: &Call, body: Vec<u8>) -> Relayed {
    let Some(opened) = credentials::open(&proxy.inner.credential, &body) else {
        return forward_unopened(proxy, call, body).await;
    };
    let request = Value::Object(opened.parsed.clone());
    let upstream = &proxy.inner.upstream;
    let key = match upstream.auth_key().await {
        Ok(key) => key,
        Err(failure) => return Relayed::failed(&failure, request, None),
    };
    let sealed = match opened.seal(&body, key) {
        Ok(sealed) => sealed,
        Err(e) => {
            super::warn(&format!("{e}; the login goes upstream as the ERP sent it"));
            return forward_unopened(proxy, call, body).await;
        }
    };
    let mut received = match upstream
        .send(&call.method, &call.path, &call.headers, sealed.body)
        .await
    {
        Ok(received) => received,
        Err(failure) => return Relayed::failed(&failure, request, None),
    };
    let session = match (&sealed.app_key, &opened.app_key) {
        (Some(mine), Some(erp)) => rewrap(&mut received, mine, erp).map(|(token, sek)| {
            let session = Session {
                sek,
                gstin: call.irp.gstin.clone(),
                user_name: field(&opened.parsed, "UserName")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            };
            proxy.remember(token, session)
        }),
        _ => None,
    };
    let response = json_or_text(&received.body);
    if session.is_none() && sealed.app_key.is_some() && succeeded(&response) {
        super::warn(
            "the upstream accepted a login but its Sek did not unwrap with the proxy's \
             AppKey: the answer went to the ERP unchanged",
        );
    }
    Relayed {
        response,
        status: received.status,
        headers: received.headers,
        body: received.body,
        request,
        session,
    }
}

/// Sends a login the proxy could not open as it is.
async fn forward_unopened(proxy: &Proxy, call: &Call, body: Vec<u8>) -> Relayed {
    let upstream = &proxy.inner.upstream;
    match upstream
        .send(&call.method, &call.path, &call.headers, body)
        .await
    {
        Ok(received) => {
            let response = response_copy(&received.body, None, false);
            if succeeded(&response) {
                let token = response
                    .pointer("/Data/AuthToken")
                    .and_then(Value::as_str)
                    .map(token_fingerprint)
                    .unwrap_or_default();
                super::warn(&format!(
                    "the upstream accepted a login the proxy could not decrypt (token \
                     {token}): the ERP encrypts its credentials with another key than the \
                     proxy's, so its calls are relayed but not decrypted for the journal"
                ));
            }
            Relayed {
                response,
                status: received.status,
                headers: received.headers,
                body: received.body,
                request: Value::Null,
                session: None,
            }
        }
        Err(failure) => Relayed::failed(&failure, Value::Null, None),
    }
}

/// Whether an auth answer says `Status` 1 (a number or a string).
fn succeeded(answer: &Value) -> bool {
    answer
        .as_object()
        .and_then(|a| field(a, "Status"))
        .is_some_and(|status| {
            status.as_u64() == Some(1) || status.as_str().map(str::trim) == Some("1")
        })
}

/// In a successful auth answer, replaces `Data.Sek` (wrapped under `mine`) by the same SEK
/// wrapped under `erp`; the token and SEK. `None`, the answer untouched, when it is no
/// success or its `Sek` does not unwrap (the ERP then fails to unwrap it too, as it would
/// with an upstream that sent a bad one).
fn rewrap(received: &mut Received, mine: &AppKey, erp: &AppKey) -> Option<(String, SessionKey)> {
    let answer: Value = serde_json::from_slice(&received.body).ok()?;
    if !succeeded(&answer) {
        return None;
    }
    let data = field(answer.as_object()?, "Data")?.as_object()?;
    let token = field(data, "AuthToken")?.as_str()?.to_owned();
    let wrapped = STANDARD.decode(field(data, "Sek")?.as_str()?.trim()).ok()?;
    let plain = Zeroizing::new(aes_ecb_decrypt(mine.expose(), &wrapped).ok()?);
    let sek = SessionKey::from_bytes(plain.as_slice().try_into().ok()?);
    let rewrapped = STANDARD.encode(aes_ecb_encrypt(erp.expose(), sek.expose()).ok()?);
    received.body = member::replace_string(&received.body, &["Data", "Sek"], &rewrapped)?;
    Some((token, sek))
}
