//! `POST /v1/docks/{dockId}/artifacts`: multipart upload by a dock's uploader.

use std::io;

use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::Json;
use futures::TryStreamExt;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::auth::Authenticated;
use crate::api::openapi::ErrorBody;
use crate::api::{ApiError, ApiResult};
use crate::db::ArtifactRecord;
use crate::domain::{ArtifactId, DockId, Metadata, Timestamp};
use crate::services::uploads::{self, StagedObject, UploadDetails};
use crate::state::AppState;

/// A stored artifact.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactView {
    #[schema(value_type = String)]
    id: ArtifactId,
    #[schema(value_type = String)]
    object: &'static str,
    #[schema(value_type = String)]
    dock_id: DockId,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    sha256: String,
    #[schema(value_type = std::collections::HashMap<String, String>)]
    metadata: Metadata,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

/// The multipart parts of an upload.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The bytes; the part's filename and content type become the artifact's.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// A JSON object of string values.
    metadata: Option<String>,
    /// Hex SHA-256 the bytes must match.
    sha256: Option<String>,
}

impl From<ArtifactRecord> for ArtifactView {
    fn from(a: ArtifactRecord) -> Self {
        Self {
            id: a.id,
            object: "artifact",
            dock_id: a.dock_id,
            file_name: a.file_name,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
            sha256: a.sha256,
            metadata: a.metadata,
            created_at: a.created_at,
        }
    }
}

/// The parts seen so far; the file part is streamed to the store as soon as
/// it arrives, whatever order the client sent the parts in.
#[derive(Default)]
struct Parts {
    file: Option<(String, String)>,
    metadata: Option<Metadata>,
    sha256: Option<String>,
}

/// Upload an artifact (uploader keys only).
#[utoipa::path(
    post,
    path = "/v1/docks/{dockId}/artifacts",
    tag = "artifacts",
    params(("dockId" = String, Path, description = "dock_...")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The stored artifact", body = ArtifactView),
        (status = 400, description = "Bad part; `param` names it", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked key", body = ErrorBody),
        (status = 403, description = "Not an uploader key", body = ErrorBody),
        (status = 404, description = "No such dock of yours", body = ErrorBody),
        (status = 413, description = "Upload too large", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    )
)]
pub async fn upload(
    State(state): State<AppState>,
    Authenticated { caller, .. }: Authenticated,
    Path(dock): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<(StatusCode, Json<ArtifactView>)> {
    let dock = DockId::parse(&dock)
        .map_err(|_| ApiError::from(crate::services::ServiceError::NotFound("dock")))?;
    uploads::check_uploader(&caller, &dock)?;
    let mut multipart = multipart.map_err(|e| {
        ApiError::bad_request(
            "multipart_invalid",
            format!("expected multipart/form-data: {e}"),
        )
    })?;

    let mut parts = Parts::default();
    let mut staged: Option<StagedObject> = None;
    let read = read_parts(&state, &dock, &mut multipart, &mut parts, &mut staged).await;

    let outcome = match (read, staged) {
        (Err(e), Some(staged)) => {
            uploads::discard(&state, staged).await?;
            Err(e)
        }
        (Err(e), None) => Err(e),
        (Ok(()), None) => Err(ApiError::missing("file")),
        (Ok(()), Some(staged)) => match finish_details(parts) {
            Ok(details) => Ok(uploads::commit(&state, staged, details).await?),
            Err(e) => {
                uploads::discard(&state, staged).await?;
                Err(e)
            }
        },
    };
    Ok((StatusCode::CREATED, Json(outcome?.into())))
}

async fn read_parts(
    state: &AppState,
    dock: &DockId,
    multipart: &mut Multipart,
    parts: &mut Parts,
    staged: &mut Option<StagedObject>,
) -> ApiResult<()> {
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" if staged.is_none() => {
                let file_name = field
                    .file_name()
                    .map(str::to_owned)
                    .filter(|n| !n.trim().is_empty())
                    .ok_or_else(|| ApiError::invalid("file", "the file part needs a filename"))?;
                let content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_owned();
                parts.file = Some((file_name, content_type));
                *staged = Some(uploads::stage(state, dock, body_stream(field)).await?);
            }
            "metadata" if parts.metadata.is_none() => {
                let text = field.text().await.map_err(multipart_error)?;
                let value: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
                    ApiError::invalid("metadata", "metadata must hold a JSON object")
                })?;
                let metadata = Metadata::parse_json(&value)
                    .map_err(|e| ApiError::invalid("metadata", format!("metadata {e}")))?;
                parts.metadata = Some(metadata);
            }
            "sha256" if parts.sha256.is_none() => {
                let text = field
                    .text()
                    .await
                    .map_err(multipart_error)?
                    .trim()
                    .to_owned();
                if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(ApiError::invalid(
                        "sha256",
                        "sha256 must be 64 hexadecimal digits",
                    ));
                }
                parts.sha256 = Some(text);
            }
            "file" | "metadata" | "sha256" => {
                return Err(ApiError::invalid(
                    &name,
                    format!("{name} may be sent only once"),
                ));
            }
            other => return Err(ApiError::unknown(other)),
        }
    }
    Ok(())
}

fn finish_details(parts: Parts) -> ApiResult<UploadDetails> {
    let (file_name, content_type) = parts.file.ok_or_else(|| ApiError::missing("file"))?;
    Ok(UploadDetails {
        file_name,
        content_type,
        metadata: parts.metadata.unwrap_or_default(),
        expected_sha256: parts.sha256,
        backdate_to: None,
    })
}

fn body_stream(field: Field<'_>) -> crate::storage::ByteStream<'_> {
    Box::pin(field.map_err(|e| {
        let kind = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            io::ErrorKind::FileTooLarge
        } else {
            io::ErrorKind::InvalidData
        };
        io::Error::new(kind, e)
    }))
}

fn multipart_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        crate::services::ServiceError::TooLarge.into()
    } else {
        ApiError::bad_request(
            "multipart_invalid",
            format!("the multipart body is malformed: {e}"),
        )
    }
}
