//! Leptos answers a server function call it cannot even decode (a field
//! missing or given twice, a body past its size limit) with a 500, as if
//! the server had failed. Those are the caller's mistakes: they become a
//! 400 (or a 413 for a body too large) that still names the field.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Leptos's own error answers are short; anything longer is not one.
const LARGEST_ERROR: usize = 64 * 1024;

pub async fn blame_the_input(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, LARGEST_ERROR).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let text = String::from_utf8_lossy(&bytes);
    // The prefixes are server_fn's names for errors in decoding the call.
    if text.starts_with("Args|") || text.starts_with("Deserialization|") {
        parts.status = if text.contains("length limit exceeded") {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::BAD_REQUEST
        };
        tracing::info!(answer = %text, "refused a server function call it could not decode");
    }
    Response::from_parts(parts, Body::from(bytes))
}
