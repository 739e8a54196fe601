//! Every call but the login: relayed unchanged both ways, a copy decrypted for the journal.
//!
//! The ERP's request (method, path and query, headers but the hop-by-hop ones, body) goes
//! upstream as it came, and the upstream's answer comes back as it went: tokens, signed
//! documents and error answers are never touched, so the ERP verifies NIC's signatures
//! with NIC's certificate as before. When the proxy saw the token issued, it decrypts a
//! copy of `Data` (the request's and, on success, the answer's) with the token's SEK; the
//! e-way bill system's cancel (`{"action","data"}` in, `{"status","data"|"error"}` out) is
//! journaled as the emulator journals it, `data` decrypted and `error` decoded.

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::STANDARD};
use irp_client::cipher;
use irp_emulator::api::Api;
use serde_json::{Map, Value};

use super::{
    Proxy,
    call::{Call, Relayed},
    credentials::field,
    sessions::Session,
};

/// How much of a payload that is not JSON the journal keeps (the emulator's figure).
const TEXT_LIMIT: usize = 64 * 1024;

/// `bytes` as JSON, else as (the first 64 KiB of) text; null when empty.
pub(super) fn json_or_text(bytes: &[u8]) -> Value {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Value::Null;
    }
    serde_json::from_slice(bytes).unwrap_or_else(|_| {
        let head = bytes.get(..bytes.len().min(TEXT_LIMIT)).unwrap_or_default();
        Value::String(String::from_utf8_lossy(head).into_owned())
    })
}

/// Decrypts the base64 text `sealed` with `sek`: its JSON (or text), `None` when it does
/// not decrypt.
fn open(sek: &[u8], sealed: &Value) -> Option<Value> {
    let plain = cipher::open(sek, sealed.as_str()?).ok()?;
    Some(json_or_text(&plain))
}

/// The request as the upstream reads it: `Data` (`data` for the e-way bill system)
/// decrypted; null when there is no body or it does not decrypt.
fn request_copy(body: &[u8], session: Option<&Session>, ewb_system: bool) -> Value {
    let (Some(session), Ok(object)) = (session, serde_json::from_slice::<Map<String, Value>>(body))
    else {
        return Value::Null;
    };
    let member = if ewb_system { "data" } else { "Data" };
    field(&object, member)
        .and_then(|sealed| open(session.sek.expose(), sealed))
        .unwrap_or(Value::Null)
}

/// The answer for the journal: the envelope as received with `Data` decrypted on success
/// (left as received when it does not decrypt or the token is unknown); for the e-way
/// bill system `data` decrypted and `error` decoded from base64.
pub(super) fn response_copy(body: &[u8], session: Option<&Session>, ewb_system: bool) -> Value {
    let mut answer = json_or_text(body);
    let Value::Object(object) = &mut answer else {
        return answer;
    };
    if ewb_system
        && let Some(error) = object.get_mut("error")
        && let Some(decoded) = error
            .as_str()
            .and_then(|text| STANDARD.decode(text.trim()).ok())
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
    {
        *error = decoded;
    }
    let member = if ewb_system { "data" } else { "Data" };
    if let (Some(session), Some(data)) = (session, object.get_mut(member))
        && let Some(opened) = open(session.sek.expose(), data)
    {
        *data = opened;
    }
    answer
}

/// Relays `call` with `body` unchanged and journals decrypted copies.
pub(super) async fn relay(proxy: &Proxy, call: &Call, body: Vec<u8>) -> Relayed {
    let session: Option<Arc<Session>> = call
        .irp
        .auth_token
        .as_deref()
        .and_then(|token| proxy.session(token));
    let ewb_system = call.api == Api::CancelEwb;
    let request = request_copy(&body, session.as_deref(), ewb_system);
    let upstream = &proxy.inner.upstream;
    match upstream
        .send(&call.method, &call.path, &call.headers, body)
        .await
    {
        Ok(received) => Relayed {
            response: response_copy(&received.body, session.as_deref(), ewb_system),
            status: received.status,
            headers: received.headers,
            body: received.body,
            request,
            session,
        },
        Err(failure) => Relayed::failed(&failure, request, session),
    }
}

#[cfg(test)]
mod tests {
    use irp_emulator::secret::SessionKey;
    use serde_json::json;

    use super::*;

    fn session() -> Session {
        Session {
            sek: SessionKey::from_bytes([4; 32]),
            gstin: None,
            user_name: None,
        }
    }

    fn sealed(plain: &str) -> String {
        STANDARD.encode(cipher::seal(&[4; 32], plain.as_bytes()).unwrap())
    }

    #[test]
    fn irp_envelopes_are_opened_on_success_only() {
        let s = session();
        let ok = json!({ "Status": 1, "Data": sealed(r#"{"Irn":"i"}"#), "Alert": null });
        let copy = response_copy(ok.to_string().as_bytes(), Some(&s), false);
        assert_eq!(
            copy,
            json!({ "Status": 1, "Data": { "Irn": "i" }, "Alert": null })
        );
        let refused = json!({ "Status": 0, "Data": null, "ErrorDetails": [{"ErrorCode": "2150"}] });
        let copy = response_copy(refused.to_string().as_bytes(), Some(&s), false);
        assert_eq!(copy, refused);
        // An unknown token: the envelope as received.
        assert_eq!(response_copy(ok.to_string().as_bytes(), None, false), ok);
        assert_eq!(
            response_copy(b"<html>Bad gateway</html>", Some(&s), false),
            json!("<html>Bad gateway</html>")
        );
        assert_eq!(response_copy(b"", Some(&s), false), Value::Null);
    }

    #[test]
    fn the_ewb_system_envelope_is_journaled_as_the_emulator_does() {
        let s = session();
        let ok = json!({ "status": "1", "data": sealed(r#"{"ewayBillNo":"1"}"#) });
        assert_eq!(
            response_copy(ok.to_string().as_bytes(), Some(&s), true),
            json!({ "status": "1", "data": { "ewayBillNo": "1" } })
        );
        let error = json!({ "status": "0", "error": STANDARD.encode(r#"{"errorCodes":"312,"}"#) });
        assert_eq!(
            response_copy(error.to_string().as_bytes(), Some(&s), true),
            json!({ "status": "0", "error": { "errorCodes": "312," } })
        );
    }

    #[test]
    fn requests_are_opened_with_the_session_key() {
        let s = session();
        let body = json!({ "Data": sealed(r#"{"Irn":"i","CnlRsn":"1"}"#) }).to_string();
        assert_eq!(
            request_copy(body.as_bytes(), Some(&s), false),
            json!({ "Irn": "i", "CnlRsn": "1" })
        );
        let ewb = json!({ "action": "CANEWB", "data": sealed(r#"{"ewbNo":1}"#) }).to_string();
        assert_eq!(
            request_copy(ewb.as_bytes(), Some(&s), true),
            json!({ "ewbNo": 1 })
        );
        assert_eq!(request_copy(body.as_bytes(), None, false), Value::Null);
        for junk in ["", "[]", r#"{"Data":"!!"}"#, r#"{"Data":5}"#] {
            assert_eq!(
                request_copy(junk.as_bytes(), Some(&s), false),
                Value::Null,
                "{junk}"
            );
        }
    }
}
