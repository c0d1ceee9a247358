//! The pull client's state file.

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PullState {
    /// `syncWatermark` of the last job whose files all landed.
    pub watermark: Option<String>,
    /// A job created but not yet fully downloaded.
    pub job_in_progress: Option<String>,
    /// The last job that ended without every file landing. The next
    /// request names it in its idempotency key, so that it asks for a new
    /// job instead of getting this one back.
    pub unfinished_job: Option<String>,
}

impl PullState {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        if !path.exists() {
            return Ok(Self::default());
        }
        let raw = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read state file {}", path.display()))?;
        serde_json::from_str(&raw)
            .with_context(|| format!("state file {} is not valid", path.display()))
    }

    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        super::write_atomically(path, serde_json::to_string_pretty(self)?.as_bytes())
    }
}
