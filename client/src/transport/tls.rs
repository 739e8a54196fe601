//! TLS for every HTTP client in the workspace: rustls on AWS-LC with the web PKI roots.
//!
//! reqwest's own rustls features bring `ring` in as a second crypto backend; the workspace
//! keeps one (AWS-LC), so reqwest is built without a provider and handed this config.

use std::sync::Arc;

use crate::ClientError;
use rustls::{ClientConfig, RootCertStore, crypto::aws_lc_rs, pki_types::CertificateDer};

/// A rustls client config on AWS-LC trusting the web PKI roots plus `extra` (a test CA).
pub fn tls_config(extra: &[CertificateDer<'static>]) -> Result<ClientConfig, rustls::Error> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for certificate in extra {
        roots.add(certificate.clone())?;
    }
    Ok(
        ClientConfig::builder_with_provider(Arc::new(aws_lc_rs::default_provider()))
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

/// A reqwest builder with [`tls_config`] and no extra roots: use it instead of
/// `reqwest::Client::builder()` (which, without a provider feature, has no TLS backend).
pub fn http_builder() -> Result<reqwest::ClientBuilder, ClientError> {
    let config = tls_config(&[]).map_err(|e| ClientError::Request(format!("TLS: {e}")))?;
    Ok(reqwest::Client::builder().use_preconfigured_tls(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_trusts_web_pki_and_builds_a_client() {
        let config = tls_config(&[]).unwrap();
        assert!(config.crypto_provider().cipher_suites.len() > 1);
        assert!(http_builder().unwrap().build().is_ok());
    }
}
