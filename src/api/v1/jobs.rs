//! `/v1/retrieval/jobs`: create a job, read it, read its results, list jobs.

use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::api::auth::Authenticated;
use crate::api::openapi::ErrorBody;
use crate::api::params::QueryParams;
use crate::api::{ApiError, ApiResult};
use crate::db::{ArtifactRecord, JobRecord};
use crate::domain::{
    ArtifactId, DockId, JobFilters, JobId, JobStatus, Metadata, MetadataError, RecipientId,
    Timestamp,
};
use crate::services::retrieval::{self, CreateJob, Idempotency, ResultItem};
use crate::state::AppState;

const MAX_ARTIFACT_IDS: usize = 1000;
const CREATE_FIELDS: [&str; 5] = [
    "dockId",
    "recipientId",
    "artifactIds",
    "metadata",
    "sinceTimestamp",
];

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

/// The body of `POST /v1/retrieval/jobs`. Unknown fields are refused.
#[derive(ToSchema)]
#[schema(as = CreateJobRequest)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateJobDoc {
    #[schema(example = "dock_01HQ3K0000000000000000000A")]
    dock_id: String,
    #[schema(example = "rcp_01HQ3N0000000000000000000A")]
    recipient_id: String,
    /// Specific artifacts (at most 1000); ones you cannot see come back as not_found items.
    artifact_ids: Option<Vec<String>>,
    /// Every pair must match exactly; keys [a-z0-9_]{1,64}, values up to 256 characters.
    metadata: Option<std::collections::HashMap<String, String>>,
    /// RFC 3339 with Z or ±hh:mm; only artifacts created strictly after it.
    #[schema(format = DateTime, example = "2025-01-14T00:00:00.000Z")]
    since_timestamp: Option<String>,
}

/// Create a retrieval job.
#[utoipa::path(
    post,
    path = "/v1/retrieval/jobs",
    tag = "retrieval",
    request_body = CreateJobDoc,
    params(("Idempotency-Key" = Option<String>, Header,
            description = "Replays the same job for the same key and body within 24 hours")),
    responses(
        (status = 201, description = "The job, PENDING", body = JobView),
        (status = 400, description = "Bad input; `param` names the field", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 403, description = "This persona cannot use bulk retrieval", body = ErrorBody),
        (status = 404, description = "Dock or recipient not found or not yours", body = ErrorBody),
        (status = 409, description = "Idempotency-Key reused with another body", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 429, description = "Rate limited; see Retry-After", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Authenticated { caller, key_id }: Authenticated,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let idempotency = idempotency_key(&headers)?.map(|key| Idempotency {
        api_key: key_id,
        key,
    });
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::from(crate::services::ServiceError::TooLarge)
        } else {
            ApiError::bad_request(
                "body_unreadable",
                "the request body could not be read".into(),
            )
        }
    })?;
    let value: Value = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request("invalid_json", format!("the body is not valid JSON: {e}"))
    })?;
    let request = parse_create(&value)?;

    let created = retrieval::create_job(&state, &caller, request, idempotency).await?;
    tracing::Span::current().record("job", created.job.id.as_str());

    let replayed = if created.replayed { "true" } else { "false" };
    let view = JobView::from(created.job);
    Ok((
        StatusCode::CREATED,
        [("idempotent-replayed", replayed)],
        Json(view),
    )
        .into_response())
}

/// The optional `Idempotency-Key` header: 1 to 255 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            ApiError::invalid(
                "Idempotency-Key",
                "Idempotency-Key must be 1 to 255 visible ASCII characters",
            )
        })?;
    Ok(Some(key.to_owned()))
}

fn parse_create(value: &Value) -> ApiResult<CreateJob> {
    let body = value.as_object().ok_or_else(|| {
        ApiError::bad_request("invalid_json", "the body must be a JSON object".into())
    })?;
    if let Some(unknown) = body.keys().find(|k| !CREATE_FIELDS.contains(&k.as_str())) {
        return Err(ApiError::unknown(unknown));
    }
    let dock_id = required_id(body, "dockId", DockId::parse)?;
    let recipient_id = required_id(body, "recipientId", RecipientId::parse)?;
    let filters = JobFilters {
        artifact_ids: present(body, "artifactIds")
            .map(parse_artifact_ids)
            .transpose()?,
        metadata: present(body, "metadata").map(parse_metadata).transpose()?,
        since_timestamp: present(body, "sinceTimestamp")
            .map(parse_since)
            .transpose()?,
    };
    Ok(CreateJob {
        dock_id,
        recipient_id,
        filters,
    })
}

/// A field that is absent or JSON null counts as not given.
fn present<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    body.get(name).filter(|v| !v.is_null())
}

fn required_id<T, E: std::fmt::Display>(
    body: &Map<String, Value>,
    name: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> ApiResult<T> {
    let value = present(body, name).ok_or_else(|| ApiError::missing(name))?;
    let raw = value
        .as_str()
        .ok_or_else(|| ApiError::invalid(name, format!("{name} must be a string")))?;
    if raw.is_empty() {
        return Err(ApiError::missing(name));
    }
    parse(raw).map_err(|e| ApiError::invalid(name, format!("{name} {e}")))
}

fn parse_artifact_ids(value: &Value) -> ApiResult<Vec<ArtifactId>> {
    let items = value
        .as_array()
        .ok_or_else(|| ApiError::invalid("artifactIds", "artifactIds must be an array of IDs"))?;
    if items.len() > MAX_ARTIFACT_IDS {
        return Err(ApiError::invalid(
            "artifactIds",
            format!("artifactIds may list at most {MAX_ARTIFACT_IDS} IDs"),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let param = format!("artifactIds[{i}]");
            item.as_str()
                .ok_or_else(|| ApiError::invalid(&param, format!("{param} must be a string")))
                .and_then(|raw| {
                    ArtifactId::parse(raw)
                        .map_err(|e| ApiError::invalid(&param, format!("{param} {e}")))
                })
        })
        .collect()
}

fn parse_metadata(value: &Value) -> ApiResult<Metadata> {
    Metadata::parse_json(value).map_err(|e| {
        let param = match &e {
            MetadataError::BadKey(k)
            | MetadataError::NotAString(k)
            | MetadataError::ValueTooLong(k) => {
                format!("metadata.{k}")
            }
            MetadataError::NotAnObject | MetadataError::TooManyPairs => "metadata".to_owned(),
        };
        ApiError::invalid(&param, format!("metadata {e}"))
    })
}

fn parse_since(value: &Value) -> ApiResult<Timestamp> {
    value
        .as_str()
        .ok_or(crate::domain::TimestampError)
        .and_then(Timestamp::parse_rfc3339)
        .map_err(|e| ApiError::invalid("sinceTimestamp", format!("sinceTimestamp {e}")))
}

/// A malformed job ID cannot name one of the caller's jobs.
fn job_id(raw: &str) -> ApiResult<JobId> {
    let id = JobId::parse(raw).map_err(|_| crate::services::ServiceError::NotFound("job"))?;
    tracing::Span::current().record("job", id.as_str());
    Ok(id)
}

/// A job, with live counts.
#[utoipa::path(
    get,
    path = "/v1/retrieval/jobs/{id}",
    tag = "retrieval",
    params(("id" = String, Path, description = "job_...")),
    responses(
        (status = 200, description = "The job", body = JobView),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 404, description = "No such job of yours", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    Authenticated { caller, .. }: Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<JobView>> {
    let job = retrieval::job_for(&state, &caller, &job_id(&id)?).await?;
    Ok(Json(job.into()))
}

/// One page of a list; pass `nextCursor` as `cursor` for the next.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    #[schema(value_type = String)]
    object: &'static str,
    data: Vec<T>,
    has_more: bool,
    next_cursor: Option<String>,
}

/// The caller's jobs, newest first.
#[utoipa::path(
    get,
    path = "/v1/retrieval/jobs",
    tag = "retrieval",
    params(
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 100, description = "Default 20"),
        ("cursor" = Option<String>, Query, description = "nextCursor of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of jobs", body = Page<JobView>),
        (status = 400, description = "Bad limit, cursor or unknown parameter", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 403, description = "This persona cannot use bulk retrieval", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Authenticated { caller, .. }: Authenticated,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult<Json<Page<JobView>>> {
    let params = QueryParams::parse(query, &["limit", "cursor"])?;
    let limit = params.limit(20, 100)?;
    let after = params
        .get("cursor")
        .map(|raw| {
            JobId::parse(raw)
                .map_err(|_| ApiError::invalid("cursor", "cursor is not one this API gave out"))
        })
        .transpose()?;

    let mut jobs = retrieval::list_jobs(&state, &caller, after.as_ref(), limit + 1).await?;
    let has_more = jobs.len() as i64 > limit;
    jobs.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = has_more
        .then(|| jobs.last().map(|j| j.id.to_string()))
        .flatten();

    Ok(Json(Page {
        object: "list",
        data: jobs.into_iter().map(JobView::from).collect(),
        has_more,
        next_cursor,
    }))
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

/// A page of a completed job's results, with URLs signed now.
#[utoipa::path(
    get,
    path = "/v1/retrieval/jobs/{id}/results",
    tag = "retrieval",
    params(
        ("id" = String, Path, description = "job_..."),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 1000, description = "Default 100"),
        ("cursor" = Option<String>, Query, description = "nextCursor of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of results", body = Page<ResultView>),
        (status = 400, description = "Bad limit, cursor or unknown parameter", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 404, description = "No such job of yours", body = ErrorBody),
        (status = 409, description = "The job is not COMPLETED", body = ErrorBody),
        (status = 410, description = "Past resultsExpireAt", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    )
)]
pub async fn results(
    State(state): State<AppState>,
    Authenticated { caller, .. }: Authenticated,
    Path(id): Path<String>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult<Json<Page<ResultView>>> {
    let id = job_id(&id)?;
    let params = QueryParams::parse(query, &["limit", "cursor"])?;
    let limit = params.limit(100, 1000)?;
    let after = params
        .get("cursor")
        .map(decode_cursor)
        .transpose()?
        .unwrap_or(0);

    let page = retrieval::results(&state, &caller, &id, after, limit).await?;

    Ok(Json(Page {
        object: "list",
        has_more: page.next_after.is_some(),
        next_cursor: page.next_after.map(encode_cursor),
        data: page.items.into_iter().map(ResultView::from).collect(),
    }))
}

/// The whole job as one zip, streamed while it is written.
#[utoipa::path(
    get,
    path = "/v1/retrieval/jobs/{id}/archive",
    tag = "retrieval",
    params(("id" = String, Path, description = "job_...")),
    responses(
        (status = 200, description = "The zip, with manifest.csv", content_type = "application/zip",
         body = Vec<u8>),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 404, description = "No such job of yours", body = ErrorBody),
        (status = 409, description = "The job is not COMPLETED", body = ErrorBody),
        (status = 410, description = "Past resultsExpireAt", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    )
)]
pub async fn archive(
    State(state): State<AppState>,
    Authenticated { caller, .. }: Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id = job_id(&id)?;
    let body = crate::services::archive::job_archive(&state, &caller, &id).await?;
    let disposition = format!("attachment; filename=\"{id}.zip\"");
    let headers = [
        (header::CONTENT_TYPE, "application/zip".to_owned()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
    ];
    Ok((headers, Body::from_stream(body)).into_response())
}

fn encode_cursor(position: i64) -> String {
    format!("pos_{position}")
}

fn decode_cursor(raw: &str) -> ApiResult<i64> {
    raw.strip_prefix("pos_")
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| *n >= 0)
        .ok_or_else(|| ApiError::invalid("cursor", "cursor is not one this API gave out"))
}
