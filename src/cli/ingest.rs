//! `docyard ingest`: upload a folder's files into a dock, with a progress bar.

use std::path::{Path, PathBuf};

use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use tokio_util::io::ReaderStream;

use super::{offline_state, parse_pairs};
use crate::domain::DockId;
use crate::services::uploads::{store_artifact, UploadDetails};

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// The dock to upload into.
    #[arg(long)]
    dock: DockId,
    /// Metadata for every file, as key=value; repeat for more.
    #[arg(long = "metadata")]
    metadata: Vec<String>,
    /// The folder whose files (not subfolders) are uploaded.
    folder: PathBuf,
}

pub async fn run(data_dir: &Path, args: IngestArgs) -> anyhow::Result<()> {
    let metadata = parse_pairs(&args.metadata)?;
    let mut files = Vec::new();
    let entries = std::fs::read_dir(&args.folder)
        .map_err(|e| anyhow::anyhow!("cannot read folder {}: {e}", args.folder.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    let state = offline_state(data_dir).await?;
    anyhow::ensure!(
        state.store.dock(&args.dock).await?.is_some(),
        "no dock {}",
        args.dock
    );

    let bar = ProgressBar::new(files.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files  {elapsed_precise}  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    for path in &files {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        bar.set_message(file_name.clone());
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
        let details = UploadDetails {
            content_type: mime_guess::from_path(path)
                .first_or_octet_stream()
                .to_string(),
            file_name,
            metadata: metadata.clone(),
            expected_sha256: None,
            backdate_to: None,
        };
        store_artifact(&state, &args.dock, details, ReaderStream::new(file).boxed())
            .await
            .map_err(|e| anyhow::anyhow!("cannot ingest {}: {e}", path.display()))?;
        bar.inc(1);
    }
    bar.finish_with_message("done");
    println!("ingested {} files into {}", files.len(), args.dock);
    Ok(())
}
