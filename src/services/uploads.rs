//! Adding artifacts to a dock. The bytes are written first and the row
//! second, so a row never points at missing bytes; an upload refused after
//! its bytes arrived has them deleted again.

use std::io;

use tracing::info;

use super::{Caller, ServiceError, ServiceResult};
use crate::db::{object_key, ArtifactRecord, NewArtifact};
use crate::domain::{ArtifactId, DockId, Metadata, Timestamp};
use crate::state::AppState;
use crate::storage::{ByteStream, StorageError, StoredObject};

/// What describes an upload besides its bytes.
pub struct UploadDetails {
    pub file_name: String,
    pub content_type: String,
    pub metadata: Metadata,
    pub expected_sha256: Option<String>,
    pub backdate_to: Option<Timestamp>,
}

/// Bytes that are stored but not yet recorded as an artifact.
pub struct StagedObject {
    id: ArtifactId,
    dock: DockId,
    stored: StoredObject,
}

/// Only the dock's own uploader may add to it; to another uploader the dock
/// does not exist.
pub fn check_uploader(caller: &Caller, dock: &DockId) -> ServiceResult<()> {
    match caller {
        Caller::Uploader(own) if own == dock => Ok(()),
        Caller::Uploader(_) => Err(ServiceError::NotFound("dock")),
        Caller::Recipient(_) => Err(ServiceError::Forbidden(
            "only uploader keys may add artifacts".to_owned(),
        )),
    }
}

/// Streams the bytes into the object store.
pub async fn stage(
    state: &AppState,
    dock: &DockId,
    body: ByteStream<'_>,
) -> ServiceResult<StagedObject> {
    let id = ArtifactId::generate();
    match state.objects.put(&object_key(dock, &id), body).await {
        Ok(stored) => Ok(StagedObject {
            id,
            dock: dock.clone(),
            stored,
        }),
        Err(StorageError::Body(e)) if e.kind() == io::ErrorKind::FileTooLarge => {
            Err(ServiceError::TooLarge)
        }
        Err(StorageError::Body(_)) => Err(ServiceError::invalid(
            "file",
            "the file part could not be read to its end",
        )),
        Err(e) => Err(e.into()),
    }
}

/// Deletes staged bytes whose upload was refused.
pub async fn discard(state: &AppState, staged: StagedObject) -> ServiceResult<()> {
    Ok(state
        .objects
        .delete(&object_key(&staged.dock, &staged.id))
        .await?)
}

/// Checks the staged bytes against the details and records the artifact.
pub async fn commit(
    state: &AppState,
    staged: StagedObject,
    details: UploadDetails,
) -> ServiceResult<ArtifactRecord> {
    if let Some(expected) = &details.expected_sha256 {
        if !expected.eq_ignore_ascii_case(&staged.stored.sha256) {
            let actual = staged.stored.sha256.clone();
            discard(state, staged).await?;
            return Err(ServiceError::invalid(
                "sha256",
                format!("sha256 does not match the uploaded bytes, which hash to {actual}"),
            ));
        }
    }
    let new = NewArtifact {
        id: staged.id.clone(),
        dock_id: staged.dock.clone(),
        file_name: details.file_name,
        content_type: details.content_type,
        size_bytes: i64::try_from(staged.stored.size_bytes).unwrap_or(i64::MAX),
        sha256: staged.stored.sha256.clone(),
        metadata: details.metadata,
        backdate_to: details.backdate_to,
    };
    let artifact = match state.store.insert_artifact(new, state.clock.now()).await {
        Ok(artifact) => artifact,
        Err(crate::db::DbError::NotFound(_)) => {
            discard(state, staged).await?;
            return Err(ServiceError::NotFound("dock"));
        }
        Err(e) => {
            discard(state, staged).await?;
            return Err(e.into());
        }
    };
    info!(
        artifact = %artifact.id, dock = %artifact.dock_id, size = artifact.size_bytes,
        "artifact stored"
    );
    Ok(artifact)
}

/// Stages and commits in one go, for callers that know the details first
/// (ingest and the demo).
pub async fn store_artifact(
    state: &AppState,
    dock: &DockId,
    details: UploadDetails,
    body: ByteStream<'_>,
) -> ServiceResult<ArtifactRecord> {
    let staged = stage(state, dock, body).await?;
    commit(state, staged, details).await
}
