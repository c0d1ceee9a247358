//! A job's items: checking them off while the job runs, and reading them as
//! results.

use sqlx::{SqliteConnection, SqlitePool};

use crate::db::{ArtifactRecord, DbResult, ItemOutcome, PendingItem, ResultRow};
use crate::domain::{ArtifactId, DockId, JobId, Metadata, Timestamp};

pub async fn pending_items(
    pool: &SqlitePool,
    id: &JobId,
    after: i64,
    limit: i64,
) -> DbResult<Vec<PendingItem>> {
    let rows = sqlx::query!(
        r#"SELECT ji.position, a.id AS "id: ArtifactId", a.dock_id AS "dock_id: DockId",
                  a.file_name, a.content_type, a.size_bytes, a.sha256, a.metadata, a.created_at,
                  a.tombstoned_at
           FROM job_items ji JOIN artifacts a ON a.id = ji.artifact_id
           WHERE ji.job_id = ? AND ji.position > ? AND ji.state = 'pending'
           ORDER BY ji.position LIMIT ?"#,
        id,
        after,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PendingItem {
            position: r.position,
            artifact: artifact_record!(r),
        })
        .collect())
}

/// Marks items ready or failed. Ready items come in long runs of
/// consecutive positions, so each run is one statement.
pub async fn record_outcomes(
    pool: &SqlitePool,
    id: &JobId,
    outcomes: &[(i64, ItemOutcome)],
) -> DbResult<()> {
    let mut sorted: Vec<&(i64, ItemOutcome)> = outcomes.iter().collect();
    sorted.sort_by_key(|(position, _)| *position);
    let mut tx = pool.begin().await?;
    let (mut ready, mut errors) = (0i64, 0i64);
    let mut run: Option<(i64, i64)> = None;
    for (position, outcome) in sorted {
        match outcome {
            ItemOutcome::Ready => {
                ready += 1;
                run = match run {
                    Some((first, last)) if last + 1 == *position => Some((first, *position)),
                    Some((first, last)) => {
                        mark_ready(&mut tx, id, first, last).await?;
                        Some((*position, *position))
                    }
                    None => Some((*position, *position)),
                };
            }
            ItemOutcome::Error { code, message } => {
                errors += 1;
                sqlx::query!(
                    "UPDATE job_items SET state = 'error', error_code = ?, error_message = ? \
                     WHERE job_id = ? AND position = ? AND state = 'pending'",
                    code,
                    message,
                    id,
                    position
                )
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    if let Some((first, last)) = run {
        mark_ready(&mut tx, id, first, last).await?;
    }
    sqlx::query!(
        "UPDATE jobs SET ready_count = ready_count + ?, error_count = error_count + ? WHERE id = ?",
        ready,
        errors,
        id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn mark_ready(
    conn: &mut SqliteConnection,
    id: &JobId,
    first: i64,
    last: i64,
) -> DbResult<()> {
    sqlx::query!(
        "UPDATE job_items SET state = 'ready' \
         WHERE job_id = ? AND position BETWEEN ? AND ? AND state = 'pending'",
        id,
        first,
        last
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn results_page(
    pool: &SqlitePool,
    id: &JobId,
    after: i64,
    limit: i64,
) -> DbResult<Vec<ResultRow>> {
    let rows = sqlx::query!(
        r#"SELECT ji.position, ji.artifact_id, ji.state, ji.error_code, ji.error_message,
                  a.id AS "id?: ArtifactId", a.dock_id AS "dock_id?: DockId",
                  a.file_name AS "file_name?", a.content_type AS "content_type?",
                  a.size_bytes AS "size_bytes?", a.sha256 AS "sha256?", a.metadata AS "metadata?",
                  a.created_at AS "created_at?", a.tombstoned_at
           FROM job_items ji LEFT JOIN artifacts a ON a.id = ji.artifact_id
           WHERE ji.job_id = ? AND ji.position > ?
           ORDER BY ji.position LIMIT ?"#,
        id,
        after,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let artifact = match (r.id, r.dock_id, r.file_name, r.content_type, r.sha256) {
                (Some(id), Some(dock_id), Some(file_name), Some(content_type), Some(sha256)) => {
                    Some(ArtifactRecord {
                        id,
                        dock_id,
                        file_name,
                        content_type,
                        size_bytes: r.size_bytes.unwrap_or_default(),
                        sha256,
                        metadata: Metadata::from_stored_json(r.metadata.as_deref().unwrap_or("{}")),
                        created_at: Timestamp::from_micros(r.created_at.unwrap_or_default()),
                        withdrawn: r.tombstoned_at.is_some(),
                    })
                }
                _ => None,
            };
            let outcome = match r.state.as_str() {
                "ready" => ItemOutcome::Ready,
                "pending" => ItemOutcome::Error {
                    code: "pending".to_owned(),
                    message: "not checked yet".to_owned(),
                },
                _ => ItemOutcome::Error {
                    code: r.error_code.unwrap_or_else(|| "error".to_owned()),
                    message: r.error_message.unwrap_or_default(),
                },
            };
            ResultRow {
                position: r.position,
                artifact_id: r.artifact_id,
                outcome,
                artifact,
            }
        })
        .collect())
}
