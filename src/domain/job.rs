//! Retrieval job status and filters.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::{ArtifactId, Metadata, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JobStatus {
    Pending,
    Running,
    Completed,
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "PENDING",
            JobStatus::Running => "RUNNING",
            JobStatus::Completed => "COMPLETED",
            JobStatus::Failed => "FAILED",
        }
    }

    pub fn is_finished(self) -> bool {
        matches!(self, JobStatus::Completed | JobStatus::Failed)
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for JobStatus {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        match raw {
            "PENDING" => Ok(JobStatus::Pending),
            "RUNNING" => Ok(JobStatus::Running),
            "COMPLETED" => Ok(JobStatus::Completed),
            "FAILED" => Ok(JobStatus::Failed),
            other => Err(format!("unknown job status {other:?}")),
        }
    }
}

/// The filters of a job, as the caller gave them (already parsed). They are
/// stored with the job and applied inside the caller's grants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobFilters {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_ids: Option<Vec<ArtifactId>>,
    #[serde(skip_serializing_if = "Option::is_none", with = "stored_metadata")]
    #[serde(default)]
    pub metadata: Option<Metadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_timestamp: Option<Timestamp>,
}

/// Metadata stored with a job was validated when the job was created.
mod stored_metadata {
    use super::Metadata;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<Metadata>, s: S) -> Result<S::Ok, S::Error> {
        value.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Metadata>, D::Error> {
        let raw = Option::<serde_json::Value>::deserialize(d)?;
        raw.map(|v| Metadata::parse_json(&v).map_err(serde::de::Error::custom))
            .transpose()
    }
}
