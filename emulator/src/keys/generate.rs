//! `irp-emulator keys generate`: mints a fresh key set in the layout of `keys/`.

use std::path::Path;

use rcgen::{
    CertificateParams, DistinguishedName, DnType, KeyPair, PKCS_RSA_SHA256, RsaKeySize, SanType,
};
use time::{Duration, OffsetDateTime};

use super::{KeyError, KeyPems, files};

fn rsa_2048() -> Result<KeyPair, KeyError> {
    KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048).map_err(|e| KeyError::Invalid {
        file: "generated key",
        reason: e.to_string(),
    })
}

fn self_signed(
    key: &KeyPair,
    common_name: &str,
    names: Vec<SanType>,
    file: &'static str,
) -> Result<String, KeyError> {
    let invalid = |e: rcgen::Error| KeyError::Invalid {
        file,
        reason: e.to_string(),
    };
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(invalid)?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "IN");
    dn.push(DnType::OrganizationName, "IRP Emulator (TEST ONLY)");
    dn.push(DnType::CommonName, common_name);
    params.distinguished_name = dn;
    params.subject_alt_names = names;
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::days(1);
    params.not_after = now + Duration::days(3650);
    Ok(params.self_signed(key).map_err(invalid)?.pem())
}

/// Generates a complete key set (three RSA-2048 pairs, two certificates).
pub fn generate_pems() -> Result<KeyPems, KeyError> {
    let auth = rsa_2048()?;
    let signing = rsa_2048()?;
    let tls = rsa_2048()?;
    let localhost =
        vec![
            SanType::DnsName("localhost".try_into().map_err(|e: rcgen::Error| {
                KeyError::Invalid {
                    file: files::TLS_CERT,
                    reason: e.to_string(),
                }
            })?),
            SanType::IpAddress([127, 0, 0, 1].into()),
            SanType::IpAddress(std::net::Ipv6Addr::LOCALHOST.into()),
        ];
    Ok(KeyPems {
        auth_private: auth.serialize_pem(),
        auth_public: auth.public_key_pem(),
        signing_cert: self_signed(
            &signing,
            "IRP Emulator Test Signing Certificate",
            Vec::new(),
            files::SIGNING_CERT,
        )?,
        signing_private: signing.serialize_pem(),
        tls_cert: self_signed(&tls, "localhost", localhost, files::TLS_CERT)?,
        tls_private: tls.serialize_pem(),
    })
}

/// Writes a freshly generated key set into `dir` (created if needed) and returns it.
pub fn generate(dir: &Path) -> Result<KeyPems, KeyError> {
    let pems = generate_pems()?;
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| KeyError::Read { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    for (name, text) in [
        (files::AUTH_PRIVATE, &pems.auth_private),
        (files::AUTH_PUBLIC, &pems.auth_public),
        (files::SIGNING_PRIVATE, &pems.signing_private),
        (files::SIGNING_CERT, &pems.signing_cert),
        (files::TLS_CERT, &pems.tls_cert),
        (files::TLS_PRIVATE, &pems.tls_private),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(io(&path))?;
    }
    Ok(pems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeySet;

    #[test]
    fn generated_set_loads_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path()).unwrap();
        let keys = KeySet::from_pems(KeyPems::read_dir(dir.path()).unwrap()).unwrap();
        assert_eq!(keys.credential.block_len(), 256);
        assert_ne!(keys.kid, KeySet::embedded().unwrap().kid);
    }
}
