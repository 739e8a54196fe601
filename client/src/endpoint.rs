//! Which method and path each IRP API is called on, and which envelope it answers in.

use std::fmt;

use http::Method;

/// A resolved call: method, path with query, and which envelope the API uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// HTTP method.
    pub method: Method,
    /// Path and query, percent-encoded.
    pub path: String,
    /// The e-way bill system's lower-case envelope (`{"action","data"}` in,
    /// `{"status","data"|"error"}` out): Cancel e-way bill.
    pub ewb_system: bool,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

impl Endpoint {
    fn post(path: &str) -> Self {
        Self {
            method: Method::POST,
            path: path.to_owned(),
            ewb_system: false,
        }
    }

    fn get(path: String) -> Self {
        Self {
            method: Method::GET,
            path,
            ewb_system: false,
        }
    }

    /// `POST /eivital/v1.04/auth`.
    pub fn auth() -> Self {
        Self::post("/eivital/v1.04/auth")
    }

    /// `GET /eivital/v1.03/Master/gstin/{gstin}`.
    pub fn gstin_details(gstin: &str) -> Self {
        Self::get(format!("/eivital/v1.03/Master/gstin/{}", encode(gstin)))
    }

    /// `GET /eivital/v1.03/Master/syncgstin/{gstin}`.
    pub fn sync_gstin(gstin: &str) -> Self {
        Self::get(format!("/eivital/v1.03/Master/syncgstin/{}", encode(gstin)))
    }

    /// `POST /eicore/v1.03/Invoice`.
    pub fn generate_irn() -> Self {
        Self::post("/eicore/v1.03/Invoice")
    }

    /// `GET /eicore/v1.03/Invoice/irn/{irn}`.
    pub fn get_irn(irn: &str) -> Self {
        Self::get(format!("/eicore/v1.03/Invoice/irn/{}", encode(irn)))
    }

    /// `GET /eicore/v1.03/Invoice/irnbydocdetails?doctype=…&docnum=…&docdate=…`.
    pub fn get_irn_by_document(doctype: &str, docnum: &str, docdate: &str) -> Self {
        Self::get(format!(
            "/eicore/v1.03/Invoice/irnbydocdetails?doctype={}&docnum={}&docdate={}",
            encode(doctype),
            encode(docnum),
            encode(docdate)
        ))
    }

    /// `POST /eicore/v1.03/Invoice/Cancel`.
    pub fn cancel_irn() -> Self {
        Self::post("/eicore/v1.03/Invoice/Cancel")
    }

    /// `POST /eiewb/v1.03/ewaybill`.
    pub fn generate_ewb() -> Self {
        Self::post("/eiewb/v1.03/ewaybill")
    }

    /// `GET /eicore/v1.03/Invoice/rejectedirns?date=dd/MM/yyyy`: what cross-IRP
    /// de-duplication refused that day.
    pub fn rejected_irns(date: &str) -> Self {
        Self::get(format!(
            "/eicore/v1.03/Invoice/rejectedirns?date={}",
            encode(date)
        ))
    }

    /// `GET /eiewb/v1.03/ewaybill/irn/{irn}`.
    pub fn get_ewb(irn: &str) -> Self {
        Self::get(format!("/eiewb/v1.03/ewaybill/irn/{}", encode(irn)))
    }

    /// `POST /ewaybillapi/v1.03/ewayapi` (action `CANEWB`), in the e-way bill system's
    /// envelope.
    pub fn cancel_ewb() -> Self {
        Self {
            ewb_system: true,
            ..Self::post("/ewaybillapi/v1.03/ewayapi")
        }
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_parameters_are_encoded() {
        let endpoint = Endpoint::get_irn_by_document("INV", "DOC/1", "30/03/2026");
        assert_eq!(
            endpoint.path,
            "/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV&docnum=DOC%2F1&docdate=30%2F03%2F2026"
        );
        assert_eq!(
            Endpoint::get_irn("a b").path,
            "/eicore/v1.03/Invoice/irn/a%20b"
        );
    }

    #[test]
    fn only_cancel_ewb_speaks_the_ewb_system_envelope() {
        let all = [
            Endpoint::auth(),
            Endpoint::gstin_details("X"),
            Endpoint::sync_gstin("X"),
            Endpoint::generate_irn(),
            Endpoint::get_irn("X"),
            Endpoint::get_irn_by_document("INV", "1", "01/01/2026"),
            Endpoint::cancel_irn(),
            Endpoint::generate_ewb(),
            Endpoint::get_ewb("X"),
        ];
        assert!(all.iter().all(|e| !e.ewb_system));
        assert!(Endpoint::cancel_ewb().ewb_system);
        assert_eq!(
            Endpoint::cancel_ewb().to_string(),
            "POST /ewaybillapi/v1.03/ewayapi"
        );
    }
}
