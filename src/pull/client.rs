//! The few `/v1` calls the pull client makes, with retries where a retry is
//! safe.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::ClientTls;

const ATTEMPTS: u32 = 5;
const MAX_POLL_DELAY: Duration = Duration::from_secs(5);

pub struct Client {
    http: reqwest::Client,
    base_url: String,
    api_key: String,
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

impl Client {
    pub fn new(base_url: &str, api_key: &str, tls: &ClientTls) -> anyhow::Result<Self> {
        let mut builder = reqwest::Client::builder().timeout(Duration::from_secs(300));
        if let Some((cert, key)) = &tls.identity {
            let mut pem = read(cert)?;
            pem.push(b'\n');
            pem.extend(read(key)?);
            let identity = reqwest::Identity::from_pem(&pem)
                .context("the client certificate or key is not usable PEM")?;
            builder = builder.identity(identity);
        }
        if let Some(ca) = &tls.ca {
            let ca = reqwest::Certificate::from_pem(&read(ca)?)
                .context("the CA file is not a PEM certificate")?;
            builder = builder.add_root_certificate(ca);
        }
        let http = builder.build().context("cannot set up the HTTP client")?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key: api_key.to_owned(),
        })
    }

    /// Creating is safe to retry: the idempotency key makes a repeat the
    /// same job.
    pub async fn create_job(&self, body: &Value, idempotency_key: &str) -> anyhow::Result<String> {
        let url = format!("{}/v1/retrieval/jobs", self.base_url);
        let job = self
            .send_json(|| {
                self.http
                    .post(&url)
                    .bearer_auth(&self.api_key)
                    .header("Idempotency-Key", idempotency_key)
                    .json(body)
            })
            .await?;
        job["id"]
            .as_str()
            .map(str::to_owned)
            .context("the job answer has no id")
    }

    /// Polls with growing pauses until the job is finished.
    pub async fn wait_for_job(&self, job_id: &str) -> anyhow::Result<Value> {
        let url = format!("{}/v1/retrieval/jobs/{job_id}", self.base_url);
        let mut delay = Duration::from_millis(100);
        loop {
            let job = self
                .send_json(|| self.http.get(&url).bearer_auth(&self.api_key))
                .await?;
            if job["status"] == "COMPLETED" || job["status"] == "FAILED" {
                return Ok(job);
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(MAX_POLL_DELAY);
        }
    }

    pub async fn results_page(&self, job_id: &str, cursor: Option<&str>) -> anyhow::Result<Value> {
        let mut url = format!(
            "{}/v1/retrieval/jobs/{job_id}/results?limit=500",
            self.base_url
        );
        if let Some(cursor) = cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        self.send_json(|| self.http.get(&url).bearer_auth(&self.api_key))
            .await
    }

    /// Streams `url` into `path` (created afresh) and returns the SHA-256
    /// of what arrived, so memory stays flat whatever the file's size.
    pub async fn download_to(&self, url: &str, path: &Path) -> anyhow::Result<String> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.try_download(url, path).await {
                Ok(sha256) => return Ok(sha256),
                Err(DownloadError::Http(e)) if attempt < ATTEMPTS && retryable(e.status()) => {
                    backoff(attempt).await
                }
                Err(DownloadError::Http(e)) => {
                    return Err(anyhow::Error::new(e).context("download failed"))
                }
                Err(DownloadError::Io(e)) => {
                    return Err(
                        anyhow::Error::new(e).context(format!("cannot write {}", path.display()))
                    )
                }
            }
        }
    }

    async fn try_download(&self, url: &str, path: &Path) -> Result<String, DownloadError> {
        let mut response = self.http.get(url).send().await?.error_for_status()?;
        let mut file = tokio::fs::File::create(path).await?;
        let mut hasher = Sha256::new();
        while let Some(chunk) = response.chunk().await? {
            hasher.update(&chunk);
            file.write_all(&chunk).await?;
        }
        file.sync_all().await?;
        Ok(hex::encode(hasher.finalize()))
    }

    /// Sends with retries on network errors, 429 and 5xx; anything else is
    /// an answer to report.
    async fn send_json(
        &self,
        request: impl Fn() -> reqwest::RequestBuilder,
    ) -> anyhow::Result<Value> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match request().send().await {
                Ok(response) if response.status().is_success() => {
                    return response.json().await.context("the answer is not JSON");
                }
                Ok(response) if attempt < ATTEMPTS && retryable(Some(response.status())) => {
                    backoff(attempt).await;
                }
                Ok(response) => {
                    let status = response.status();
                    let body: Value = response.json().await.unwrap_or_default();
                    let message = body["error"]["message"].as_str().unwrap_or("no details");
                    anyhow::bail!("the server answered {status}: {message}");
                }
                Err(_) if attempt < ATTEMPTS => backoff(attempt).await,
                Err(e) => return Err(anyhow::Error::new(e).context("cannot reach the server")),
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum DownloadError {
    #[error(transparent)]
    Http(#[from] reqwest::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

fn retryable(status: Option<StatusCode>) -> bool {
    status.is_none_or(|s| s == StatusCode::TOO_MANY_REQUESTS || s.is_server_error())
}

async fn backoff(attempt: u32) {
    tokio::time::sleep(Duration::from_millis(200 * 2u64.pow(attempt))).await;
}
