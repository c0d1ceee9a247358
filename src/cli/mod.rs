//! The `docyard` command line.

mod admin;
mod audit;
mod cert;
pub use admin::create_key;
pub use doors::create_auditor;
mod demo;
mod doors;
mod ingest;
mod invite;
mod pull;
mod sms;
mod storage;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::clock::SystemClock;
use crate::config::{RateLimit, Settings, SigningKey, TlsSettings};

#[derive(Debug, Parser)]
#[command(
    name = "docyard",
    version,
    about = "Insurance document delivery: portal, API and admin"
)]
pub struct Cli {
    /// Holds the SQLite database, stored objects and demo certificates.
    #[arg(
        long,
        global = true,
        env = "DOCYARD_DATA_DIR",
        default_value = "./data"
    )]
    data_dir: PathBuf,
    /// Log as JSON lines instead of text.
    #[arg(long, global = true, env = "DOCYARD_LOG_JSON")]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "DOCYARD_LISTEN", default_value = "127.0.0.1:3000")]
    listen: SocketAddr,
    /// Where clients reach this server; signed URLs are built on it.
    #[arg(
        long,
        env = "DOCYARD_PUBLIC_URL",
        default_value = "http://localhost:3000"
    )]
    public_url: String,
    /// Largest accepted upload, in bytes.
    #[arg(long, env = "DOCYARD_MAX_UPLOAD_BYTES", default_value_t = 512 * 1024 * 1024)]
    max_upload_bytes: usize,
    /// Requests per second allowed to one API key, on average.
    #[arg(long, env = "DOCYARD_RATE_LIMIT_PER_SECOND", default_value = "20")]
    rate_limit_per_second: std::num::NonZeroU32,
    /// Requests one API key may send at once above that rate.
    #[arg(long, env = "DOCYARD_RATE_LIMIT_BURST", default_value = "40")]
    rate_limit_burst: std::num::NonZeroU32,
    /// Seconds a JSON API request may take before it is answered with 408.
    #[arg(long, env = "DOCYARD_REQUEST_TIMEOUT_SECONDS", default_value_t = 30)]
    request_timeout_seconds: u64,
    /// Base64 key that signs download URLs; generated into the data dir when absent.
    #[arg(long, env = "DOCYARD_SIGNING_KEY", hide_env_values = true)]
    signing_key: Option<String>,
    /// Also serve HTTPS here, asking clients for a certificate (mutual TLS
    /// for mortgagees); for example 127.0.0.1:3443.
    #[arg(long, env = "DOCYARD_TLS_LISTEN")]
    tls_listen: Option<SocketAddr>,
    /// PEM certificate chain of the HTTPS listener [default: <data-dir>/tls/server.pem].
    #[arg(long, env = "DOCYARD_TLS_CERT")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of the HTTPS listener [default: <data-dir>/tls/server.key].
    #[arg(long, env = "DOCYARD_TLS_KEY")]
    tls_key: Option<PathBuf>,
    /// PEM of a CA whose client certificates count for registered subjects.
    #[arg(long, env = "DOCYARD_CLIENT_CA")]
    client_ca: Option<PathBuf>,
    /// Comma-separated proxy IPs whose X-Forwarded-Client-Cert or
    /// X-SSL-Client-Cert headers are believed; others' are ignored.
    #[arg(long, env = "DOCYARD_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<std::net::IpAddr>,
    #[command(flatten)]
    sms: sms::SmsArgs,
    #[command(flatten)]
    storage: storage::StorageArgs,
}

/// Where `docyard demo` keeps its certificates.
pub fn data_dir_tls(data_dir: &std::path::Path, file: &str) -> PathBuf {
    data_dir.join("tls").join(file)
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the portal and the API.
    Serve(Box<ServeArgs>),
    /// Apply database migrations and exit.
    Migrate,
    /// Fill the data dir with a demo dock, documents and one recipient of each persona.
    Demo(demo::DemoArgs),
    /// Create and list docks.
    #[command(subcommand)]
    Dock(admin::DockCommand),
    /// Create recipients.
    #[command(subcommand)]
    Recipient(admin::RecipientCommand),
    /// Give a recipient access to a dock.
    #[command(subcommand)]
    Grant(admin::GrantCommand),
    /// Create and revoke API keys.
    #[command(subcommand)]
    Key(admin::KeyCommand),
    /// Withdraw artifacts.
    #[command(subcommand)]
    Artifact(admin::ArtifactCommand),
    /// Register policyholders' phone numbers for SMS sign-in.
    #[command(subcommand)]
    Phone(doors::PhoneCommand),
    /// Add auditors, who sign in with a badge ID and their NDA's SHA-256.
    #[command(subcommand)]
    Auditor(doors::AuditorCommand),
    /// Register, list and remove mortgagees' client certificates.
    #[command(subcommand)]
    Cert(cert::CertCommand),
    /// Check the audit trail's hash chain, or list its records.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Invite a person to create a passkey and sign in to the portal.
    #[command(subcommand)]
    Invite(invite::InviteCommand),
    /// Upload every file of a folder into a dock.
    Ingest(ingest::IngestArgs),
    /// Sync a recipient's new documents into a folder (a reference client for cron).
    Pull(pull::PullArgs),
    /// Read the text messages the development SMS backend kept.
    #[command(subcommand)]
    Sms(sms::SmsCommand),
}

impl ServeArgs {
    fn settings(&self, data_dir: PathBuf) -> anyhow::Result<Settings> {
        let signing_key = SigningKey::load_or_create(self.signing_key.as_deref(), &data_dir)?;
        Ok(Settings {
            listen: self.listen,
            public_url: self.public_url.clone(),
            signing_key,
            max_upload_bytes: self.max_upload_bytes,
            rate_limit: RateLimit {
                per_second: self.rate_limit_per_second,
                burst: self.rate_limit_burst,
            },
            request_timeout: std::time::Duration::from_secs(self.request_timeout_seconds),
            tls: self.tls_listen.map(|listen| TlsSettings {
                listen,
                cert: self
                    .tls_cert
                    .clone()
                    .unwrap_or_else(|| data_dir_tls(&data_dir, "server.pem")),
                key: self
                    .tls_key
                    .clone()
                    .unwrap_or_else(|| data_dir_tls(&data_dir, "server.key")),
            }),
            client_ca: self.client_ca.clone(),
            trusted_proxies: self.trusted_proxies.clone(),
            sms: self.sms.settings()?,
            objects: self.storage.settings()?,
            data_dir,
        })
    }
}

/// Runs the command line; errors are one line on stderr and exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::telemetry::init(cli.log_json);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let data_dir = cli.data_dir;
    // Commands that change who may see what go on the audit trail, as does
    // any attempt that failed.
    let audited = admin_action(&cli.command);
    let result = match cli.command {
        Command::Serve(args) => {
            crate::server::serve(&args.settings(data_dir.clone())?, Arc::new(SystemClock)).await
        }
        Command::Migrate => {
            std::fs::create_dir_all(&data_dir)?;
            crate::db::SqliteStore::migrate(&data_dir.join("docyard.db")).await?;
            println!(
                "migrations applied to {}",
                data_dir.join("docyard.db").display()
            );
            Ok(())
        }
        Command::Demo(args) => demo::run(&data_dir, args).await,
        Command::Dock(command) => admin::dock(&data_dir, command).await,
        Command::Recipient(command) => admin::recipient(&data_dir, command).await,
        Command::Grant(command) => admin::grant(&data_dir, command).await,
        Command::Key(command) => admin::key(&data_dir, command).await,
        Command::Artifact(command) => admin::artifact(&data_dir, command).await,
        Command::Invite(command) => invite::run(&data_dir, command).await,
        Command::Cert(command) => cert::run(&data_dir, command).await,
        Command::Phone(command) => doors::phone(&data_dir, command).await,
        Command::Auditor(command) => doors::auditor(&data_dir, command).await,
        Command::Audit(command) => audit::run(&data_dir, command).await,
        Command::Ingest(args) => ingest::run(&data_dir, args).await,
        Command::Pull(args) => pull::run(args).await,
        Command::Sms(command) => sms::run(&data_dir, command).await,
    };
    if let Some((name, target)) = audited {
        let recorded = audit::record_command(&data_dir, name, &target, result.is_ok()).await;
        // The command's own failure is the one to report; a command that
        // worked but could not be recorded reports that instead.
        result?;
        return recorded;
    }
    result
}

/// The audit name and target of an admin command, listings included;
/// `None` for serving, setting up and pulling, which are not admin acts.
fn admin_action(command: &Command) -> Option<(&'static str, String)> {
    let (name, target) = match command {
        Command::Dock(c) => ("admin_dock", format!("{c:?}")),
        Command::Recipient(c) => ("admin_recipient", format!("{c:?}")),
        Command::Grant(c) => ("admin_grant", format!("{c:?}")),
        Command::Key(c) => ("admin_key", format!("{c:?}")),
        Command::Artifact(c) => ("admin_artifact", format!("{c:?}")),
        Command::Invite(c) => ("admin_invite", format!("{c:?}")),
        Command::Cert(c) => ("admin_cert", format!("{c:?}")),
        Command::Phone(c) => ("admin_phone", format!("{c:?}")),
        Command::Auditor(c) => ("admin_auditor", format!("{c:?}")),
        Command::Ingest(a) => ("admin_ingest", format!("{a:?}")),
        // The outbox holds live sign-in codes.
        Command::Sms(c) => ("admin_sms_outbox", format!("{c:?}")),
        // Reading the trail is itself on it. A verify that finds the trail
        // broken appends unsealed, so it cannot hide what it found.
        Command::Audit(c) => ("admin_audit", format!("{c:?}")),
        Command::Serve(_) | Command::Migrate | Command::Demo(_) | Command::Pull(_) => return None,
    };
    Some((name, target.chars().take(300).collect()))
}

/// The shared state admin commands work on: the same services the server
/// uses, without listening.
async fn offline_state(data_dir: &std::path::Path) -> anyhow::Result<crate::state::AppState> {
    let args = ServeArgs::parse_from_env_defaults();
    crate::server::build_state(
        &args.settings(data_dir.to_path_buf())?,
        Arc::new(SystemClock),
    )
    .await
}

impl ServeArgs {
    /// Serve settings as the environment gives them, for commands that do
    /// not take serve flags themselves.
    fn parse_from_env_defaults() -> Self {
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            serve: ServeArgs,
        }
        Only::parse_from(["docyard"]).serve
    }
}

/// `key=value` pairs from the command line.
fn parse_pairs(pairs: &[String]) -> anyhow::Result<crate::domain::Metadata> {
    let split: Vec<(&str, &str)> = pairs
        .iter()
        .map(|p| {
            p.split_once('=')
                .ok_or_else(|| anyhow::anyhow!("{p:?} must be key=value"))
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(crate::domain::Metadata::from_pairs(split)?)
}
