//! Client certificates for the mortgagee channel: reading one, and deciding
//! whether it vouches for the recipient behind an API key. The TLS listener
//! only proves the client holds the certificate's key; trust is decided
//! here, per request, so a refusal can say exactly what is wrong.

mod check;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, TrustAnchor, UnixTime};
use sha2::{Digest, Sha256};

pub use check::{check_mortgagee_cert, CertRefusal};

use crate::domain::Timestamp;

/// What DocYard needs to know about a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// Lower-case hex SHA-256 of the DER encoding.
    pub fingerprint: String,
    /// The subject as RFC 4514 text, e.g. `CN=First National, O=Lender`.
    pub subject: String,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
}

pub fn fingerprint(der: &[u8]) -> String {
    hex::encode(Sha256::digest(der))
}

pub fn inspect(der: &[u8]) -> anyhow::Result<CertInfo> {
    let (_, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|e| anyhow::anyhow!("not an X.509 certificate: {e}"))?;
    let validity = cert.validity();
    let instant = |seconds: i64| Timestamp::from_micros(seconds.saturating_mul(1_000_000));
    Ok(CertInfo {
        fingerprint: fingerprint(der),
        subject: cert.subject().to_string(),
        not_before: instant(validity.not_before.timestamp()),
        not_after: instant(validity.not_after.timestamp()),
    })
}

/// The certificates in a PEM file, first (the end entity) first.
pub fn read_pem_certs(path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_file_iter(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("{} is not PEM", path.display()))?;
    anyhow::ensure!(!certs.is_empty(), "{} holds no certificate", path.display());
    Ok(certs)
}

/// The first certificate of PEM text, as proxies forward it.
pub fn pem_cert(pem: &str) -> Option<Vec<u8>> {
    CertificateDer::pem_slice_iter(pem.as_bytes())
        .next()?
        .ok()
        .map(|c| c.to_vec())
}

/// A CA whose certificates vouch for the subjects registered under it.
#[derive(Debug)]
pub struct ClientCa {
    anchors: Vec<TrustAnchor<'static>>,
}

impl ClientCa {
    pub fn from_pem_file(path: &Path) -> anyhow::Result<Self> {
        let anchors = read_pem_certs(path)?
            .iter()
            .map(|der| {
                webpki::anchor_from_trusted_cert(der)
                    .map(|a| a.to_owned())
                    .map_err(|e| anyhow::anyhow!("{} is not a usable CA: {e:?}", path.display()))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Self { anchors })
    }

    /// Whether the CA issued `der` for client authentication and it is
    /// valid at `now`.
    pub fn issued(&self, der: &[u8], now: Timestamp) -> bool {
        let der = CertificateDer::from(der);
        let Ok(cert) = webpki::EndEntityCert::try_from(&der) else {
            return false;
        };
        let seconds = u64::try_from(now.micros() / 1_000_000).unwrap_or(0);
        let time = UnixTime::since_unix_epoch(Duration::from_secs(seconds));
        cert.verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &self.anchors,
            &[],
            time,
            webpki::KeyUsage::client_auth(),
            None,
            None,
        )
        .is_ok()
    }
}
