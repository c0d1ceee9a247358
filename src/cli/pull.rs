//! `docyard pull`: sync a recipient's documents into a folder.

use std::path::PathBuf;

use crate::pull::{pull, ClientTls, PullOptions};

#[derive(Debug, clap::Args)]
pub struct PullArgs {
    /// The DocYard server.
    #[arg(
        long,
        env = "DOCYARD_BASE_URL",
        default_value = "http://localhost:3000"
    )]
    base_url: String,
    /// The recipient's API key.
    #[arg(long, env = "DOCYARD_API_KEY", hide_env_values = true)]
    api_key: String,
    #[arg(long)]
    dock: String,
    #[arg(long)]
    recipient: String,
    /// Only artifacts with this key=value metadata pair; repeat for more.
    #[arg(long = "metadata")]
    metadata: Vec<String>,
    /// Where files land.
    #[arg(long)]
    out: PathBuf,
    /// Where the watermark is kept (default: <out>/.docyard-pull.json).
    #[arg(long)]
    state: Option<PathBuf>,
    /// PEM client certificate for mutual TLS (mortgagee keys need one).
    #[arg(long, env = "DOCYARD_CLIENT_CERT", requires = "key")]
    cert: Option<PathBuf>,
    /// PEM private key of --cert.
    #[arg(long, env = "DOCYARD_CLIENT_KEY", requires = "cert")]
    key: Option<PathBuf>,
    /// PEM CA to trust for the server's certificate (e.g. the demo CA).
    #[arg(long, env = "DOCYARD_CA_CERT")]
    cacert: Option<PathBuf>,
}

pub async fn run(args: PullArgs) -> anyhow::Result<()> {
    let metadata = super::parse_pairs(&args.metadata)?;
    let options = PullOptions {
        state_file: args
            .state
            .unwrap_or_else(|| args.out.join(".docyard-pull.json")),
        base_url: args.base_url,
        api_key: args.api_key,
        dock_id: args.dock,
        recipient_id: args.recipient,
        metadata: metadata
            .iter()
            .map(|(k, v)| (k.to_owned(), serde_json::Value::from(v)))
            .collect(),
        out_dir: args.out,
        tls: ClientTls {
            identity: args.cert.zip(args.key),
            ca: args.cacert,
        },
    };
    let report = pull(&options).await?;
    println!(
        "downloaded {} new files, {} already present; watermark {}",
        report.downloaded,
        report.already_present,
        report.watermark.as_deref().unwrap_or("not set")
    );
    anyhow::ensure!(
        report.failed_items.is_empty(),
        "{} items could not be delivered, so the watermark stays where it was: {}",
        report.failed_items.len(),
        report.failed_items.join(", ")
    );
    Ok(())
}
