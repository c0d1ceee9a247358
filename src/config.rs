//! Typed settings, from command-line flags and `DOCYARD_*` variables.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use base64::Engine;

use crate::domain::PhoneNumber;

/// Everything `docyard serve` needs to run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// Where clients reach this server; signed URLs are built on it.
    pub public_url: String,
    pub signing_key: SigningKey,
    /// Largest accepted upload, in bytes.
    pub max_upload_bytes: usize,
    pub rate_limit: RateLimit,
    /// How long a JSON API request may take before it is answered with 408.
    pub request_timeout: std::time::Duration,
    /// A second, HTTPS listener that asks clients for certificates.
    pub tls: Option<TlsSettings>,
    /// PEM file of a CA whose client certificates count for the subjects
    /// registered under it.
    pub client_ca: Option<PathBuf>,
    /// Proxies whose client-certificate headers are believed; every other
    /// peer's are ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Where policyholders' sign-in codes are sent.
    pub sms: SmsSettings,
    /// Where artifact bytes are kept.
    pub objects: ObjectStoreSettings,
}

/// Which object store keeps artifact bytes.
#[derive(Debug, Clone, Default)]
pub enum ObjectStoreSettings {
    /// One file per object under `<data-dir>/objects`.
    #[default]
    Local,
    S3(S3Settings),
}

/// How to reach an S3-compatible bucket.
#[derive(Debug, Clone)]
pub struct S3Settings {
    pub bucket: String,
    pub region: String,
    /// The store's address when it is not AWS, such as a MinIO server.
    pub endpoint: Option<url::Url>,
    pub access_key_id: String,
    pub secret_access_key: Secret,
    /// `host/bucket/key` addresses instead of `bucket.host/key`, which most
    /// S3-compatible servers need.
    pub path_style: bool,
}

/// A password or key from configuration. Never printed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(secret: String) -> Self {
        Self(secret)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Which SMS backend delivers sign-in codes.
#[derive(Debug, Clone, Default)]
pub enum SmsSettings {
    /// Development: messages are kept in the database, for `docyard sms outbox`.
    #[default]
    Outbox,
    /// A Twilio-style REST API.
    Http(HttpSmsSettings),
}

/// How to reach a Twilio-style SMS provider.
#[derive(Debug, Clone)]
pub struct HttpSmsSettings {
    /// The API's root, such as `https://api.twilio.com`.
    pub api_url: url::Url,
    pub account_sid: String,
    pub auth_token: SmsAuthToken,
    /// The number messages are sent from.
    pub from: PhoneNumber,
}

/// The SMS provider's password. Never printed.
#[derive(Clone)]
pub struct SmsAuthToken(String);

impl SmsAuthToken {
    pub fn new(token: String) -> Self {
        Self(token)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SmsAuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SmsAuthToken(<redacted>)")
    }
}

/// The HTTPS listener for mutual TLS.
#[derive(Debug, Clone)]
pub struct TlsSettings {
    pub listen: SocketAddr,
    /// PEM: the server certificate, then its chain.
    pub cert: PathBuf,
    /// PEM: the server's private key.
    pub key: PathBuf,
}

/// Per-API-key token bucket: a steady rate and the burst allowed above it.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    pub per_second: std::num::NonZeroU32,
    pub burst: std::num::NonZeroU32,
}

impl Settings {
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("docyard.db")
    }

    pub fn objects_dir(&self) -> PathBuf {
        self.data_dir.join("objects")
    }
}

/// The secret that signs download URLs. Never printed.
#[derive(Clone)]
pub struct SigningKey(Vec<u8>);

impl SigningKey {
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// Uses `configured` (base64) when given; otherwise the key kept in the
    /// data dir, generated on first use so that URLs survive a restart.
    pub fn load_or_create(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<Self> {
        let engine = base64::engine::general_purpose::STANDARD;
        if let Some(raw) = configured {
            let bytes = engine
                .decode(raw.trim())
                .context("DOCYARD_SIGNING_KEY is not valid base64")?;
            anyhow::ensure!(
                bytes.len() >= 32,
                "DOCYARD_SIGNING_KEY must hold at least 32 bytes"
            );
            return Ok(Self(bytes));
        }
        let path = data_dir.join("signing.key");
        if path.exists() {
            let raw = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let bytes = engine
                .decode(raw.trim())
                .with_context(|| format!("{} is not valid base64", path.display()))?;
            return Ok(Self(bytes));
        }
        let bytes: [u8; 32] = rand::random();
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create {}", data_dir.display()))?;
        std::fs::write(&path, engine.encode(bytes))
            .with_context(|| format!("cannot write {}", path.display()))?;
        restrict_permissions(&path)?;
        Ok(Self(bytes.to_vec()))
    }
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("cannot restrict permissions of {}", path.display()))
}

#[cfg(not(unix))]
fn restrict_permissions(_path: &Path) -> anyhow::Result<()> {
    Ok(())
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sms_settings_print_without_the_auth_token() {
        let settings = SmsSettings::Http(HttpSmsSettings {
            api_url: url::Url::parse("https://api.twilio.com").expect("URL"),
            account_sid: "AC0123".to_owned(),
            auth_token: SmsAuthToken::new("s3cret-token".to_owned()),
            from: PhoneNumber::parse("+15550100199").expect("phone"),
        });

        let printed = format!("{settings:?}");

        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(printed.contains("AC0123"), "{printed}");
    }
}
