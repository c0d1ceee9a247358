//! Routes of the `/v1` API, each resource in its own file.

pub(crate) mod artifacts;
pub(crate) mod downloads;
mod job_request;
mod job_views;
pub(crate) mod jobs;

pub use jobs::zip_response;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;

use crate::state::AppState;

/// JSON request bodies are small; uploads have their own, larger limit.
const JSON_BODY_LIMIT: usize = 1024 * 1024;

pub fn router(max_upload_bytes: usize, timeout: Duration) -> Router<AppState> {
    // Uploads and downloads stream for as long as their bytes take; the
    // timeout covers the JSON routes, whose answers should be quick.
    let json_routes = Router::new()
        .route("/v1/retrieval/jobs", post(jobs::create).get(jobs::list))
        .route("/v1/retrieval/jobs/{id}", get(jobs::show))
        .route("/v1/retrieval/jobs/{id}/results", get(jobs::results))
        .route("/v1/retrieval/jobs/{id}/archive", get(jobs::archive))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ));
    Router::new()
        .merge(json_routes)
        .route("/v1/openapi.json", get(crate::api::openapi::openapi_json))
        .route("/v1/downloads/{token}", get(downloads::download))
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .route(
            "/v1/docks/{dock_id}/artifacts",
            post(artifacts::upload).layer(DefaultBodyLimit::max(max_upload_bytes)),
        )
}
