//! Artifacts and their metadata rows.

use sqlx::SqlitePool;

use crate::db::{ArtifactRecord, DbError, DbResult, NewArtifact};
use crate::domain::{ArtifactId, DockId, Timestamp};

pub async fn insert(
    pool: &SqlitePool,
    new: NewArtifact,
    now: Timestamp,
) -> DbResult<ArtifactRecord> {
    let mut tx = pool.begin().await?;

    let last = sqlx::query_scalar!(
        "SELECT last_artifact_at FROM docks WHERE id = ?",
        new.dock_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(DbError::NotFound("dock"))?;
    let created_at = new
        .backdate_to
        .unwrap_or(now)
        .max(Timestamp::from_micros(last).next());

    let (metadata_json, created_micros) = (new.metadata.to_json(), created_at.micros());
    sqlx::query!(
        "INSERT INTO artifacts (id, dock_id, file_name, content_type, size_bytes, sha256, \
         metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        new.id,
        new.dock_id,
        new.file_name,
        new.content_type,
        new.size_bytes,
        new.sha256,
        metadata_json,
        created_micros
    )
    .execute(&mut *tx)
    .await?;
    for (key, value) in new.metadata.iter() {
        sqlx::query!(
            "INSERT INTO artifact_metadata (artifact_id, dock_id, key, value) VALUES (?, ?, ?, ?)",
            new.id,
            new.dock_id,
            key,
            value
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "UPDATE docks SET last_artifact_at = ? WHERE id = ?",
        created_micros,
        new.dock_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    Ok(ArtifactRecord {
        id: new.id,
        dock_id: new.dock_id,
        file_name: new.file_name,
        content_type: new.content_type,
        size_bytes: new.size_bytes,
        sha256: new.sha256,
        metadata: new.metadata,
        created_at,
        withdrawn: false,
    })
}

pub async fn withdraw(pool: &SqlitePool, id: &ArtifactId, now: Timestamp) -> DbResult<()> {
    let withdrawn_at = now.micros();
    let done = sqlx::query!(
        "UPDATE artifacts SET tombstoned_at = ? WHERE id = ? AND tombstoned_at IS NULL",
        withdrawn_at,
        id
    )
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(DbError::NotFound("artifact that is not yet withdrawn"));
    }
    Ok(())
}

pub async fn get(pool: &SqlitePool, id: &ArtifactId) -> DbResult<Option<ArtifactRecord>> {
    let row = sqlx::query!(
        r#"SELECT id AS "id: ArtifactId", dock_id AS "dock_id: DockId", file_name, content_type,
                  size_bytes, sha256, metadata, created_at, tombstoned_at
           FROM artifacts WHERE id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| artifact_record!(r)))
}
