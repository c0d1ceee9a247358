//! Mutual TLS for the test servers: every test server also listens with
//! HTTPS, and mortgagee actors talk to it with a registered certificate,
//! as mortgagees must.

use std::path::{Path, PathBuf};

use docyard::config::{Settings, TlsSettings};
use docyard::db::NewClientCert;
use docyard::demo::tls::{DemoCa, Issued};
use docyard::domain::RecipientId;
use docyard::state::AppState;

/// The test CA and where its certificate is on disk.
pub struct TestTls {
    pub ca: DemoCa,
    pub ca_file: PathBuf,
    pub dir: PathBuf,
}

/// A client certificate written to disk, as `docyard pull` reads it.
#[derive(Debug, Clone)]
pub struct CertFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Writes a server certificate into the data dir and turns the HTTPS
/// listener on.
pub fn enable(settings: &mut Settings) -> TestTls {
    let dir = settings.data_dir.join("tls");
    std::fs::create_dir_all(&dir).expect("tls dir");
    let ca = DemoCa::new("DocYard test CA").expect("CA");
    let server = ca.server().expect("server certificate");
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, ca.cert_pem()).expect("write CA");
    std::fs::write(dir.join("server.pem"), &server.cert_pem).expect("write cert");
    std::fs::write(dir.join("server.key"), &server.key_pem).expect("write key");
    settings.tls = Some(TlsSettings {
        listen: "127.0.0.1:0".parse().expect("loopback"),
        cert: dir.join("server.pem"),
        key: dir.join("server.key"),
    });
    TestTls { ca, ca_file, dir }
}

/// An HTTPS client that trusts the test CA and presents `identity`.
pub fn client(tls: &TestTls, identity: Option<&Issued>) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(tls.ca.cert_pem().as_bytes()).expect("CA PEM");
    let mut builder = reqwest::Client::builder()
        .add_root_certificate(ca)
        .timeout(std::time::Duration::from_secs(60));
    if let Some(issued) = identity {
        let pem = format!("{}\n{}", issued.cert_pem, issued.key_pem);
        let identity = reqwest::Identity::from_pem(pem.as_bytes()).expect("identity PEM");
        builder = builder.identity(identity);
    }
    builder.build().expect("HTTPS client")
}

/// Registers `issued` to `recipient` by fingerprint.
pub async fn register(state: &AppState, recipient: &RecipientId, issued: &Issued) {
    let der = docyard::certs::pem_cert(&issued.cert_pem).expect("certificate PEM");
    let info = docyard::certs::inspect(&der).expect("certificate");
    let registration = NewClientCert {
        recipient_id: recipient.clone(),
        fingerprint: Some(info.fingerprint),
        subject: info.subject,
        not_after: Some(info.not_after),
        label: "test".to_owned(),
    };
    state
        .store
        .register_client_cert(&registration, state.clock.now())
        .await
        .expect("register certificate");
}

/// Saves a certificate and key as PEM files named after `name`.
pub fn save(dir: &Path, name: &str, issued: &Issued) -> CertFiles {
    let files = CertFiles {
        cert: dir.join(format!("{name}.pem")),
        key: dir.join(format!("{name}.key")),
    };
    std::fs::write(&files.cert, &issued.cert_pem).expect("write cert");
    std::fs::write(&files.key, &issued.key_pem).expect("write key");
    files
}
