//! Case-insensitive API paths.
//!
//! NIC's IRP runs on IIS, whose routing ignores case, and clients spell the fixed segments
//! differently (`Master` vs `master`, `Invoice` vs `invoice`). Before routing, every fixed
//! segment is rewritten to the canonical spelling; path parameters (GSTIN, IRN) are never
//! equal to a fixed segment, so they pass through untouched. The fixed segments come from
//! the API table ([`crate::api`]).

use axum::{extract::Request, http::Uri};

fn canonical_segment(segment: &str) -> &str {
    crate::api::fixed_segments()
        .iter()
        .find(|s| s.eq_ignore_ascii_case(segment))
        .copied()
        .unwrap_or(segment)
}

/// Rewrites the fixed segments of a request path to their canonical case.
pub(crate) fn canonical_path(mut request: Request) -> Request {
    let uri = request.uri();
    let path = uri.path();
    let canonical: String = path
        .split('/')
        .map(canonical_segment)
        .collect::<Vec<_>>()
        .join("/");
    if canonical != path {
        let with_query = match uri.query() {
            Some(q) => format!("{canonical}?{q}"),
            None => canonical,
        };
        let mut parts = uri.clone().into_parts();
        if let Ok(pq) = with_query.parse() {
            parts.path_and_query = Some(pq);
            if let Ok(uri) = Uri::from_parts(parts) {
                *request.uri_mut() = uri;
            }
        }
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(path: &str) -> String {
        let request = Request::builder()
            .uri(path)
            .body(axum::body::Body::empty())
            .unwrap();
        canonical_path(request).uri().to_string()
    }

    #[test]
    fn fixed_segments_take_the_canonical_case() {
        assert_eq!(rewrite("/EIVITAL/V1.04/AUTH"), "/eivital/v1.04/auth");
        assert_eq!(
            rewrite("/eivital/v1.03/master/GSTIN/29AAACL1111A1ZD"),
            "/eivital/v1.03/Master/gstin/29AAACL1111A1ZD"
        );
        assert_eq!(
            rewrite("/eicore/v1.03/invoice/irnbydocdetails?doctype=INV&docnum=a"),
            "/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV&docnum=a"
        );
        assert_eq!(rewrite("/unknown/Path"), "/unknown/Path");
    }
}
