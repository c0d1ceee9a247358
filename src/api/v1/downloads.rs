//! `GET|HEAD /v1/downloads/{token}`: the bytes behind a signed URL, with
//! ranges, an ETag and a Content-Disposition safe for any file name.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::api::openapi::ErrorBody;
use crate::api::ApiResult;
use crate::audit::RequestOrigin;
use crate::db::ArtifactRecord;
use crate::services::downloads;
use crate::state::AppState;

/// RFC 5987 `attr-char`: everything else in `filename*` is percent-encoded.
const ATTR_CHAR_ESCAPES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// The bytes behind a signed URL. Needs no API key: the URL is the grant.
#[utoipa::path(
    get,
    path = "/v1/downloads/{token}",
    tag = "downloads",
    security(()),
    params(("token" = String, Path, description = "From a result item's url")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream",
         body = Vec<u8>),
        (status = 206, description = "The requested range",
         content_type = "application/octet-stream",
         body = Vec<u8>),
        (status = 304, description = "Matches If-None-Match"),
        (status = 403, description = "Tampered, foreign or expired URL", body = ErrorBody),
        (status = 404, description = "The artifact is no longer available to you",
         body = ErrorBody),
        (status = 416, description = "Range outside the file"),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    Path(token): Path<String>,
    origin: RequestOrigin,
    method: Method,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (artifact, recipient) = downloads::resolve(&state, &token).await?;
    if method == Method::GET {
        downloads::record_download(&state, &origin, &artifact, &recipient).await?;
    }
    tracing::Span::current().record("recipient", recipient.id.as_str());
    artifact_response(
        &state,
        &artifact,
        &method,
        &headers,
        Disposition::Attachment,
    )
    .await
}

/// Whether the browser shows the file or saves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    Inline,
    Attachment,
}

/// The bytes of an artifact the caller was already found to be allowed,
/// with ranges, an ETag and a safe Content-Disposition.
pub async fn artifact_response(
    state: &AppState,
    artifact: &ArtifactRecord,
    method: &Method,
    headers: &HeaderMap,
    disposition: Disposition,
) -> ApiResult<Response> {
    let size = u64::try_from(artifact.size_bytes).unwrap_or_default();
    let etag = format!("\"{}\"", artifact.sha256);

    let mut response_headers = HeaderMap::new();
    let set = |headers: &mut HeaderMap, name, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(&mut response_headers, header::ETAG, &etag);
    set(&mut response_headers, header::ACCEPT_RANGES, "bytes");
    set(
        &mut response_headers,
        header::CONTENT_TYPE,
        &artifact.content_type,
    );
    set(
        &mut response_headers,
        header::CONTENT_DISPOSITION,
        &content_disposition(&artifact.file_name, disposition),
    );
    set(
        &mut response_headers,
        header::CACHE_CONTROL,
        "private, no-store",
    );

    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    if not_modified {
        return Ok((StatusCode::NOT_MODIFIED, response_headers).into_response());
    }

    let range = match requested_range(headers, size) {
        RangeRequest::Whole => None,
        RangeRequest::Part(range) => Some(range),
        RangeRequest::Unsatisfiable => {
            set(
                &mut response_headers,
                header::CONTENT_RANGE,
                &format!("bytes */{size}"),
            );
            return Ok((StatusCode::RANGE_NOT_SATISFIABLE, response_headers).into_response());
        }
    };
    let (status, length) = match &range {
        Some(r) => {
            let content_range = format!("bytes {}-{}/{size}", r.start, r.end - 1);
            set(&mut response_headers, header::CONTENT_RANGE, &content_range);
            (StatusCode::PARTIAL_CONTENT, r.end - r.start)
        }
        None => (StatusCode::OK, size),
    };
    set(
        &mut response_headers,
        header::CONTENT_LENGTH,
        &length.to_string(),
    );

    if *method == Method::HEAD {
        return Ok((status, response_headers).into_response());
    }
    let body = state
        .objects
        .get(&artifact.object_key(), range)
        .await
        .map_err(crate::services::ServiceError::from)?;
    tracing::info!(artifact = %artifact.id, bytes = length, "artifact downloaded");
    Ok((status, response_headers, Body::from_stream(body)).into_response())
}

enum RangeRequest {
    Whole,
    Part(std::ops::Range<u64>),
    Unsatisfiable,
}

/// One byte range is honoured; a request for several gets the whole file,
/// which RFC 9110 allows.
fn requested_range(headers: &HeaderMap, size: u64) -> RangeRequest {
    let Some(raw) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return RangeRequest::Whole;
    };
    let Ok(parsed) = http_range_header::parse_range_header(raw) else {
        return RangeRequest::Whole;
    };
    // An empty file has no byte to point at: every range misses it.
    if size == 0 {
        return RangeRequest::Unsatisfiable;
    }
    match parsed.validate(size) {
        Ok(ranges) if ranges.len() == 1 => {
            let r = &ranges[0];
            RangeRequest::Part(*r.start()..r.end() + 1)
        }
        Ok(_) => RangeRequest::Whole,
        Err(_) => RangeRequest::Unsatisfiable,
    }
}

/// RFC 6266: an ASCII fallback for old clients and `filename*` for the rest.
pub fn content_disposition(file_name: &str, disposition: Disposition) -> String {
    let fallback: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = utf8_percent_encode(file_name, ATTR_CHAR_ESCAPES);
    let kind = match disposition {
        Disposition::Inline => "inline",
        Disposition::Attachment => "attachment",
    };
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::{content_disposition, Disposition};

    #[test]
    fn non_ascii_names_get_an_encoded_filename_star() {
        let value = content_disposition("Déclaration_Müller_保険.pdf", Disposition::Attachment);

        assert_eq!(
            value,
            "attachment; filename=\"D_claration_M_ller___.pdf\"; \
             filename*=UTF-8''D%C3%A9claration_M%C3%BCller_%E4%BF%9D%E9%99%BA.pdf"
        );
    }
}
