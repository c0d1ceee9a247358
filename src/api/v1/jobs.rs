//! `/v1/retrieval/jobs`: create a job, read it, read its results, list jobs.

use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::job_request::{idempotency_key, parse_create, CreateJobDoc};
use super::job_views::{JobView, Page, ResultView};
use crate::api::auth::Authenticated;
use crate::api::openapi::ErrorBody;
use crate::api::params::QueryParams;
use crate::api::{ApiError, ApiResult};
use crate::audit::RequestOrigin;
use crate::domain::JobId;
use crate::services::retrieval::{self, Idempotency};
use crate::state::AppState;

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
    origin: RequestOrigin,
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

    let created = retrieval::create_job(&state, &caller, request, idempotency, &origin).await?;
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
    origin: RequestOrigin,
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

    let page = retrieval::results(&state, &caller, &id, after, limit, &origin).await?;

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
    origin: RequestOrigin,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id = job_id(&id)?;
    let body = crate::services::archive::job_archive(&state, &caller, &id, &origin).await?;
    Ok(zip_response(&id, body))
}

/// A job's zip as a download, for API clients and the portal alike.
pub fn zip_response(id: &JobId, body: crate::storage::ByteStream<'static>) -> Response {
    let disposition = format!("attachment; filename=\"{id}.zip\"");
    let headers = [
        (header::CONTENT_TYPE, "application/zip".to_owned()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
    ];
    (headers, Body::from_stream(body)).into_response()
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
