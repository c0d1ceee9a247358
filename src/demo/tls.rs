//! The demo's mutual TLS: a local CA, a server certificate for localhost
//! and a client certificate for the demo mortgagee, registered to it.

use std::path::{Path, PathBuf};

use anyhow::Context;
use rcgen::{
    CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use serde::{Deserialize, Serialize};

use crate::certs::inspect;
use crate::db::NewClientCert;
use crate::domain::RecipientId;
use crate::state::AppState;

/// Where the demo's certificates are, as `docyard demo --json` prints them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MortgageeTls {
    pub https_url: String,
    pub ca_file: PathBuf,
    pub cert_file: PathBuf,
    pub key_file: PathBuf,
}

/// A certificate and its key, PEM.
pub struct Issued {
    pub cert_pem: String,
    pub key_pem: String,
}

/// A CA that signs the demo's (and the tests') certificates.
pub struct DemoCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl DemoCa {
    pub fn new(name: &str) -> anyhow::Result<Self> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate()?)?;
        Ok(Self { issuer })
    }

    pub fn cert_pem(&self) -> String {
        self.issuer.pem()
    }

    /// A server certificate for `localhost` and the loopback addresses.
    pub fn server(&self) -> anyhow::Result<Issued> {
        let names = vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
            "::1".to_owned(),
        ];
        let mut params = CertificateParams::new(names)?;
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        self.issue(params)
    }

    /// A client certificate with `common_name` as its subject, valid for
    /// `days` from `start_days_ago` days ago.
    pub fn client(
        &self,
        common_name: &str,
        start_days_ago: i64,
        days: i64,
    ) -> anyhow::Result<Issued> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params
            .distinguished_name
            .push(DnType::CommonName, common_name);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let start = time::OffsetDateTime::now_utc() - time::Duration::days(start_days_ago);
        params.not_before = start;
        params.not_after = start + time::Duration::days(days);
        self.issue(params)
    }

    fn issue(&self, params: CertificateParams) -> anyhow::Result<Issued> {
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(Issued {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        })
    }
}

fn write(path: &Path, contents: &str, secret: bool) -> anyhow::Result<()> {
    std::fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = secret;
    Ok(())
}

/// Writes the demo CA, server and mortgagee certificates into `dir` and
/// registers the mortgagee's by fingerprint.
pub async fn create(
    state: &AppState,
    dir: &Path,
    mortgagee: &RecipientId,
    https_url: &str,
) -> anyhow::Result<MortgageeTls> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let ca = DemoCa::new("DocYard demo CA")?;
    let server = ca.server()?;
    let client = ca.client("First National Mortgage (demo)", 1, 365)?;
    let files = MortgageeTls {
        https_url: https_url.trim_end_matches('/').to_owned(),
        ca_file: dir.join("ca.pem"),
        cert_file: dir.join("mortgagee.pem"),
        key_file: dir.join("mortgagee.key"),
    };
    write(&files.ca_file, &ca.cert_pem(), false)?;
    write(&dir.join("server.pem"), &server.cert_pem, false)?;
    write(&dir.join("server.key"), &server.key_pem, true)?;
    write(&files.cert_file, &client.cert_pem, false)?;
    write(&files.key_file, &client.key_pem, true)?;

    let der = crate::certs::pem_cert(&client.cert_pem).context("the demo client certificate")?;
    let info = inspect(&der)?;
    let registration = NewClientCert {
        recipient_id: mortgagee.clone(),
        fingerprint: Some(info.fingerprint),
        subject: info.subject,
        not_after: Some(info.not_after),
        label: "demo mortgagee".to_owned(),
    };
    state
        .store
        .register_client_cert(&registration, state.clock.now())
        .await?;
    Ok(files)
}
