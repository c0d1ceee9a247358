//! What the job routes answer with.

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{ArtifactRecord, JobRecord};
use crate::domain::{
    ArtifactId, DockId, JobFilters, JobId, JobStatus, Metadata, RecipientId, Timestamp,
};
use crate::services::retrieval::{self, ResultItem};

/// A retrieval job. Instants are RFC 3339 UTC with microseconds.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobView {
    #[schema(value_type = String, example = "job_01HQ3Q0000000000000000000A")]
    id: JobId,
    #[schema(value_type = String)]
    object: &'static str,
    #[schema(value_type = String)]
    dock_id: DockId,
    #[schema(value_type = String)]
    recipient_id: RecipientId,
    #[schema(value_type = String, example = "PENDING")]
    status: JobStatus,
    total_count: i64,
    ready_count: i64,
    error_count: i64,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    completed_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    results_expire_at: Option<Timestamp>,
    /// Pass as the next job's sinceTimestamp to get every later artifact once.
    #[schema(value_type = Option<String>, format = DateTime)]
    sync_watermark: Option<Timestamp>,
    /// The filters as given.
    #[schema(value_type = Object)]
    filters: JobFilters,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure_reason: Option<String>,
}

impl From<JobRecord> for JobView {
    fn from(job: JobRecord) -> Self {
        Self {
            results_expire_at: retrieval::results_expire_at(&job),
            id: job.id,
            object: "retrieval_job",
            dock_id: job.dock_id,
            recipient_id: job.recipient_id,
            status: job.status,
            total_count: job.total_count,
            ready_count: job.ready_count,
            error_count: job.error_count,
            created_at: job.created_at,
            completed_at: job.completed_at,
            sync_watermark: job.sync_watermark,
            filters: job.filters,
            failure_reason: job.failure_reason,
        }
    }
}

/// One page of a list; pass `nextCursor` as `cursor` for the next.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    #[schema(value_type = String)]
    pub object: &'static str,
    pub data: Vec<T>,
    pub has_more: bool,
    pub next_cursor: Option<String>,
}

/// A result item: a signed URL for a ready artifact, or why it failed.
#[derive(Serialize, ToSchema)]
#[serde(
    rename_all = "camelCase",
    tag = "status",
    rename_all_fields = "camelCase"
)]
pub enum ResultView {
    #[serde(rename = "ready")]
    Ready {
        #[schema(value_type = String)]
        artifact_id: ArtifactId,
        file_name: String,
        content_type: String,
        size_bytes: i64,
        sha256: String,
        #[schema(value_type = std::collections::HashMap<String, String>)]
        metadata: Metadata,
        #[schema(value_type = String, format = DateTime)]
        created_at: Timestamp,
        /// Signed, valid for one hour.
        url: String,
        #[schema(value_type = String, format = DateTime)]
        url_expires_at: Timestamp,
    },
    #[serde(rename = "error")]
    Failed {
        artifact_id: String,
        code: String,
        message: String,
    },
}

impl From<ResultItem> for ResultView {
    fn from(item: ResultItem) -> Self {
        match item {
            ResultItem::Ready {
                artifact,
                url,
                url_expires_at,
            } => {
                let ArtifactRecord {
                    id,
                    file_name,
                    content_type,
                    size_bytes,
                    sha256,
                    metadata,
                    created_at,
                    ..
                } = artifact;
                ResultView::Ready {
                    artifact_id: id,
                    file_name,
                    content_type,
                    size_bytes,
                    sha256,
                    metadata,
                    created_at,
                    url,
                    url_expires_at,
                }
            }
            ResultItem::Failed {
                artifact_id,
                code,
                message,
            } => ResultView::Failed {
                artifact_id,
                code,
                message,
            },
        }
    }
}
