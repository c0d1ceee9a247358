//! `docyard pull`: the reference sync client a lender runs from cron.
//!
//! It keeps its watermark in a state file, creates a job for everything
//! after it, waits for the job, and downloads every file with checksum
//! verification. The watermark moves only once every file has landed, and
//! the job in progress is remembered, so a run that is killed picks up where
//! it stopped and nothing is fetched twice or missed.

mod client;
mod state;

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use client::Client;
use state::PullState;

/// What one run does.
#[derive(Debug, Clone)]
pub struct PullOptions {
    pub base_url: String,
    pub api_key: String,
    pub dock_id: String,
    pub recipient_id: String,
    pub metadata: serde_json::Map<String, Value>,
    pub out_dir: PathBuf,
    pub state_file: PathBuf,
    pub tls: ClientTls,
}

/// Mutual TLS for the pull client: mortgagee keys count only with the
/// certificate registered to them.
#[derive(Debug, Clone, Default)]
pub struct ClientTls {
    /// PEM client certificate, and its private key.
    pub identity: Option<(PathBuf, PathBuf)>,
    /// PEM CA that signed the server's certificate, when not a public one.
    pub ca: Option<PathBuf>,
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullReport {
    pub downloaded: usize,
    pub already_present: usize,
    pub failed_items: Vec<String>,
    pub watermark: Option<String>,
}

pub async fn pull(options: &PullOptions) -> anyhow::Result<PullReport> {
    std::fs::create_dir_all(&options.out_dir)
        .with_context(|| format!("cannot create {}", options.out_dir.display()))?;
    let mut state = PullState::load(&options.state_file)?;
    let client = Client::new(&options.base_url, &options.api_key, &options.tls)?;

    let job_id = match state.job_in_progress.clone() {
        Some(id) => id,
        None => {
            let mut body = json!({"dockId": options.dock_id, "recipientId": options.recipient_id});
            if let Some(since) = &state.watermark {
                body["sinceTimestamp"] = json!(since);
            }
            if !options.metadata.is_empty() {
                body["metadata"] = Value::Object(options.metadata.clone());
            }
            let key = idempotency_key(&body, state.unfinished_job.as_deref());
            let id = client.create_job(&body, &key).await?;
            state.job_in_progress = Some(id.clone());
            state.save(&options.state_file)?;
            id
        }
    };

    let job = client.wait_for_job(&job_id).await?;
    if job["status"] != "COMPLETED" {
        state.job_in_progress = None;
        state.unfinished_job = Some(job_id.clone());
        state.save(&options.state_file)?;
        anyhow::bail!(
            "job {job_id} ended {}; the watermark is unchanged",
            job["status"]
        );
    }

    let mut report = PullReport::default();
    let mut cursor: Option<String> = None;
    loop {
        let page = client.results_page(&job_id, cursor.as_deref()).await?;
        for item in page["data"].as_array().into_iter().flatten() {
            if item["status"] == "ready" {
                if fetch_item(&client, item, &options.out_dir).await? {
                    report.downloaded += 1;
                } else {
                    report.already_present += 1;
                }
            } else {
                report
                    .failed_items
                    .push(format!("{} ({})", item["artifactId"], item["code"]));
            }
        }
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }

    state.job_in_progress = None;
    if report.failed_items.is_empty() {
        state.watermark = job["syncWatermark"]
            .as_str()
            .map(str::to_owned)
            .or(state.watermark);
        state.unfinished_job = None;
    } else {
        state.unfinished_job = Some(job_id.clone());
    }
    state.save(&options.state_file)?;
    report.watermark = state.watermark.clone();
    Ok(report)
}

/// The same request after the same watermark is the same job, even if the
/// first attempt's answer was lost. After a job that left files behind
/// (a store that was down, say) the key changes, so the next run gets a
/// new job rather than that one again for the key's 24 hours.
fn idempotency_key(body: &Value, unfinished_job: Option<&str>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(body.to_string());
    if let Some(job) = unfinished_job {
        hasher.update(b"\nafter ");
        hasher.update(job);
    }
    format!("pull-{}", &hex::encode(hasher.finalize())[..32])
}

/// Downloads one ready item unless an intact copy is already there. Returns
/// whether it downloaded.
async fn fetch_item(client: &Client, item: &Value, out_dir: &Path) -> anyhow::Result<bool> {
    let artifact_id = item["artifactId"]
        .as_str()
        .context("result item without artifactId")?;
    let file_name = item["fileName"].as_str().unwrap_or("file");
    let sha256 = item["sha256"]
        .as_str()
        .context("result item without sha256")?;
    let target = out_dir.join(local_name(artifact_id, file_name));
    if target.exists() && file_sha256(&target)? == sha256 {
        return Ok(false);
    }
    let url = item["url"].as_str().context("result item without url")?;
    let temp = partial_path(&target);
    let actual = client.download_to(url, &temp).await?;
    if actual != sha256 {
        let _ = std::fs::remove_file(&temp);
        anyhow::bail!("{artifact_id}: the downloaded bytes do not match its sha256");
    }
    std::fs::rename(&temp, &target)
        .with_context(|| format!("cannot move {} into place", target.display()))?;
    sync_dir(out_dir)?;
    Ok(true)
}

/// `<artifact ID>_<file name>`: unique, and still readable by a person.
fn local_name(artifact_id: &str, file_name: &str) -> String {
    let safe: String = file_name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("{artifact_id}_{}", safe.trim_start_matches('.'))
}

fn file_sha256(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(hex::encode(Sha256::digest(bytes)))
}

/// Where a file is written before it is checked and renamed into place.
fn partial_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.partial"))
}

/// A rename is durable only once its directory is synced.
fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

pub(crate) fn write_atomically(target: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let temp = partial_path(target);
    let mut file =
        std::fs::File::create(&temp).with_context(|| format!("cannot write {}", temp.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temp, target)
        .with_context(|| format!("cannot move {} into place", target.display()))?;
    sync_dir(target.parent().unwrap_or(Path::new(".")))
}
