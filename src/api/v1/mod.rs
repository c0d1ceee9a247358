//! Routes of the `/v1` API, each resource in its own file.

pub(crate) mod artifacts;
pub(crate) mod downloads;
mod job_request;
mod job_views;
pub(crate) mod jobs;

pub use jobs::zip_response;

use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::{from_fn, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::api::error::ApiError;
use crate::server::Routes;

/// JSON request bodies are small; uploads have their own, larger limit.
const JSON_BODY_LIMIT: usize = 1024 * 1024;

/// Answers 408 in the API's own error shape when a JSON route runs past
/// `limit`; the work in flight is dropped.
async fn time_limited(limit: Duration, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_ms = limit.as_millis(), "a JSON request timed out");
            ApiError::timed_out(limit).into_response()
        }
    }
}

pub fn router(max_upload_bytes: usize, timeout: Duration) -> Routes {
    // Uploads and downloads stream for as long as their bytes take; the
    // timeout covers the JSON routes, whose answers should be quick.
    let json_routes = Routes::new()
        .route("/v1/retrieval/jobs", post(jobs::create).get(jobs::list))
        .route("/v1/retrieval/jobs/{id}", get(jobs::show))
        .route("/v1/retrieval/jobs/{id}/results", get(jobs::results))
        .route("/v1/retrieval/jobs/{id}/archive", get(jobs::archive))
        .map(|router| {
            router.layer(from_fn(move |request: Request, next: Next| {
                time_limited(timeout, request, next)
            }))
        });
    Routes::new()
        .merge(json_routes)
        .route("/v1/openapi.json", get(crate::api::openapi::openapi_json))
        .route("/v1/downloads/{token}", get(downloads::download))
        .map(|router| router.layer(DefaultBodyLimit::max(JSON_BODY_LIMIT)))
        .route(
            "/v1/docks/{dock_id}/artifacts",
            post(artifacts::upload).layer(DefaultBodyLimit::max(max_upload_bytes)),
        )
}
