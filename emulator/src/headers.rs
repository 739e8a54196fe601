//! The IRP request headers, read the way real clients send them.
//!
//! Clients disagree on spelling: `client_id` vs `client-id`, `Gstin` vs `gstin`,
//! `AuthToken` vs `authtoken`. HTTP names are case-insensitive anyway, and reverse proxies
//! often drop names with `_`, so `_` and `-` count as the same character here.

use axum::http::HeaderMap;

/// The headers an IRP API reads; each is `None` when absent or blank.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IrpHeaders {
    /// `client_id`.
    pub client_id: Option<String>,
    /// `client_secret`.
    pub client_secret: Option<String>,
    /// `Gstin`: the authenticated GSTIN.
    pub gstin: Option<String>,
    /// `user_name`.
    pub user_name: Option<String>,
    /// `AuthToken`.
    pub auth_token: Option<String>,
    /// `sup_gstin`: the supplier when an e-commerce operator acts.
    pub sup_gstin: Option<String>,
    /// `irp`: `NIC1`/`NIC2`, the NIC IRP holding the IRN a call acts on ("criss-cross").
    pub irp: Option<String>,
}

/// Which IRP header a name denotes, if any: lower-cased, with `-` read as `_`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderField {
    /// `client_id`
    ClientId,
    /// `client_secret`
    ClientSecret,
    /// `gstin`
    Gstin,
    /// `user_name`
    UserName,
    /// `authtoken`
    AuthToken,
    /// `sup_gstin`
    SupGstin,
    /// `irp`
    Irp,
}

/// Normalises a header name: ASCII lower case, `-` → `_`.
pub fn normalise_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

impl HeaderField {
    /// Recognises a header name in any of its spellings.
    pub fn recognise(name: &str) -> Option<Self> {
        match normalise_name(name).as_str() {
            "client_id" => Some(Self::ClientId),
            "client_secret" => Some(Self::ClientSecret),
            "gstin" => Some(Self::Gstin),
            "user_name" | "username" => Some(Self::UserName),
            "authtoken" | "auth_token" => Some(Self::AuthToken),
            "sup_gstin" => Some(Self::SupGstin),
            "irp" => Some(Self::Irp),
            _ => None,
        }
    }
}

impl IrpHeaders {
    /// Reads the IRP headers from a request; the first non-blank value of each wins.
    pub fn from_map(map: &HeaderMap) -> Self {
        let mut out = Self::default();
        for (name, value) in map {
            let Some(field) = HeaderField::recognise(name.as_str()) else {
                continue;
            };
            let Some(value) = value.to_str().ok().map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            let slot = match field {
                HeaderField::ClientId => &mut out.client_id,
                HeaderField::ClientSecret => &mut out.client_secret,
                HeaderField::Gstin => &mut out.gstin,
                HeaderField::UserName => &mut out.user_name,
                HeaderField::AuthToken => &mut out.auth_token,
                HeaderField::SupGstin => &mut out.sup_gstin,
                HeaderField::Irp => &mut out.irp,
            };
            slot.get_or_insert_with(|| value.to_owned());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderName, HeaderValue};
    use proptest::prelude::*;

    #[test]
    fn spellings_real_clients_use() {
        for (name, field) in [
            ("client_id", HeaderField::ClientId),
            ("client-id", HeaderField::ClientId),
            ("Client-Id", HeaderField::ClientId),
            ("CLIENT_SECRET", HeaderField::ClientSecret),
            ("client-secret", HeaderField::ClientSecret),
            ("Gstin", HeaderField::Gstin),
            ("gstin", HeaderField::Gstin),
            ("user_name", HeaderField::UserName),
            ("user-name", HeaderField::UserName),
            ("AuthToken", HeaderField::AuthToken),
            ("authtoken", HeaderField::AuthToken),
            ("sup_gstin", HeaderField::SupGstin),
            ("irp", HeaderField::Irp),
            ("IRP", HeaderField::Irp),
        ] {
            assert_eq!(HeaderField::recognise(name), Some(field), "{name}");
        }
        assert_eq!(HeaderField::recognise("content-type"), None);
        assert_eq!(HeaderField::recognise("clientid"), None);
    }

    #[test]
    fn blank_values_count_as_missing() {
        let mut map = HeaderMap::new();
        map.insert("gstin", HeaderValue::from_static("  "));
        map.insert("client-id", HeaderValue::from_static("abc"));
        let headers = IrpHeaders::from_map(&map);
        assert_eq!(headers.gstin, None);
        assert_eq!(headers.client_id.as_deref(), Some("abc"));
    }

    fn respell(base: &str, mask: &[bool]) -> String {
        base.chars()
            .zip(mask.iter().cycle())
            .map(|(c, upper)| match c {
                '_' if *upper => '-',
                c if *upper => c.to_ascii_uppercase(),
                c => c,
            })
            .collect()
    }

    proptest! {
        #[test]
        fn any_case_and_separator_reads_the_same(
            base in prop::sample::select(vec!["client_id", "client_secret", "gstin", "user_name", "authtoken", "sup_gstin"]),
            mask in prop::collection::vec(any::<bool>(), 1..16),
            value in "[A-Za-z0-9]{1,30}",
        ) {
            let spelled = respell(base, &mask);
            prop_assert_eq!(normalise_name(&spelled), normalise_name(base));
            let mut map = HeaderMap::new();
            map.insert(HeaderName::try_from(spelled.as_str()).unwrap(), HeaderValue::try_from(value.as_str()).unwrap());
            let headers = IrpHeaders::from_map(&map);
            let read = [headers.client_id, headers.client_secret, headers.gstin, headers.user_name, headers.auth_token, headers.sup_gstin];
            prop_assert_eq!(read.iter().flatten().collect::<Vec<_>>(), vec![&value]);
        }

        #[test]
        fn normalisation_is_idempotent(name in "[A-Za-z_-]{0,20}") {
            let once = normalise_name(&name);
            prop_assert_eq!(normalise_name(&once), once.clone());
            prop_assert!(!once.contains('-'));
        }
    }
}
