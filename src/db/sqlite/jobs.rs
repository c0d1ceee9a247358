//! Retrieval jobs and their items.

use std::collections::HashSet;

use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use super::visibility::{push_conditions, Selection};
use super::{catalog, status};
use crate::db::{DbError, DbResult, IdempotencyClaim, JobCreation, JobRecord};
use crate::domain::{DockId, JobFilters, JobId, JobStatus, Metadata, RecipientId, Timestamp};

pub(super) struct JobRow {
    pub(super) id: JobId,
    pub(super) dock_id: DockId,
    pub(super) recipient_id: RecipientId,
    pub(super) filters: String,
    pub(super) status: String,
    pub(super) total_count: i64,
    pub(super) ready_count: i64,
    pub(super) error_count: i64,
    pub(super) created_at: i64,
    pub(super) completed_at: Option<i64>,
    pub(super) sync_watermark: Option<i64>,
    pub(super) failure_reason: Option<String>,
}

impl JobRow {
    pub(super) fn into_record(self) -> DbResult<JobRecord> {
        let filters: JobFilters = serde_json::from_str(&self.filters)
            .map_err(|e| DbError::Corrupt(format!("filters of {}: {e}", self.id)))?;
        Ok(JobRecord {
            status: status(&self.status)?,
            id: self.id,
            dock_id: self.dock_id,
            recipient_id: self.recipient_id,
            filters,
            total_count: self.total_count,
            ready_count: self.ready_count,
            error_count: self.error_count,
            created_at: Timestamp::from_micros(self.created_at),
            completed_at: self.completed_at.map(Timestamp::from_micros),
            sync_watermark: self.sync_watermark.map(Timestamp::from_micros),
            failure_reason: self.failure_reason,
        })
    }
}

pub async fn create(pool: &SqlitePool, job: &JobRecord) -> DbResult<()> {
    insert(&mut *pool.acquire().await?, job).await
}

pub async fn create_once(
    pool: &SqlitePool,
    job: &JobRecord,
    claim: &IdempotencyClaim,
) -> DbResult<JobCreation> {
    let mut tx = pool.begin().await?;
    let not_before = claim.not_before.micros();
    let earlier = sqlx::query!(
        r#"SELECT request_hash, job_id AS "job_id: JobId" FROM idempotency_keys
           WHERE api_key_id = ? AND idempotency_key = ? AND created_at >= ?"#,
        claim.api_key,
        claim.key,
        not_before
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(earlier) = earlier {
        return Ok(if earlier.request_hash == claim.request_hash {
            JobCreation::Replayed(earlier.job_id)
        } else {
            JobCreation::KeyReused
        });
    }

    insert(&mut tx, job).await?;
    let created_at = job.created_at.micros();
    // A lapsed claim on the same key is replaced.
    sqlx::query!(
        "INSERT OR REPLACE INTO idempotency_keys (api_key_id, idempotency_key, request_hash, \
         job_id, created_at) VALUES (?, ?, ?, ?, ?)",
        claim.api_key,
        claim.key,
        claim.request_hash,
        job.id,
        created_at
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(JobCreation::Created)
}

async fn insert(conn: &mut SqliteConnection, job: &JobRecord) -> DbResult<()> {
    let filters = serde_json::to_string(&job.filters)
        .map_err(|e| DbError::Corrupt(format!("filters of {}: {e}", job.id)))?;
    let (status, created_at) = (job.status.as_str(), job.created_at.micros());
    sqlx::query!(
        "INSERT INTO jobs (id, dock_id, recipient_id, filters, status, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
        job.id,
        job.dock_id,
        job.recipient_id,
        filters,
        status,
        created_at
    )
    .execute(conn)
    .await?;
    Ok(())
}

async fn fetch(conn: &mut SqliteConnection, id: &JobId) -> DbResult<Option<JobRecord>> {
    let row = sqlx::query_as!(
        JobRow,
        r#"SELECT id AS "id: JobId", dock_id AS "dock_id: DockId",
                  recipient_id AS "recipient_id: RecipientId", filters, status, total_count,
                  ready_count, error_count, created_at, completed_at, sync_watermark,
                  failure_reason
           FROM jobs WHERE id = ?"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    row.map(JobRow::into_record).transpose()
}

pub async fn get(pool: &SqlitePool, id: &JobId) -> DbResult<Option<JobRecord>> {
    fetch(&mut *pool.acquire().await?, id).await
}

pub async fn list(
    pool: &SqlitePool,
    recipient: &RecipientId,
    after: Option<&JobId>,
    limit: i64,
) -> DbResult<Vec<JobRecord>> {
    // Job IDs are ULIDs, so ordering by ID is ordering by creation.
    let after = after.map(|id| id.as_str().to_owned());
    let rows = sqlx::query_as!(
        JobRow,
        r#"SELECT id AS "id: JobId", dock_id AS "dock_id: DockId",
                  recipient_id AS "recipient_id: RecipientId", filters, status, total_count,
                  ready_count, error_count, created_at, completed_at, sync_watermark,
                  failure_reason
           FROM jobs WHERE recipient_id = ?1 AND (?2 IS NULL OR id < ?2)
           ORDER BY id DESC LIMIT ?3"#,
        recipient,
        after,
        limit
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(JobRow::into_record).collect()
}

pub async fn unfinished(pool: &SqlitePool, limit: i64) -> DbResult<Vec<JobId>> {
    let ids = sqlx::query_scalar!(
        r#"SELECT id AS "id: JobId" FROM jobs WHERE status IN ('PENDING', 'RUNNING')
           ORDER BY created_at LIMIT ?"#,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(ids)
}

pub async fn start(pool: &SqlitePool, id: &JobId, now: Timestamp) -> DbResult<JobRecord> {
    let mut tx = pool.begin().await?;
    let job = fetch(&mut tx, id).await?.ok_or(DbError::NotFound("job"))?;
    if job.status != JobStatus::Pending {
        return Ok(job);
    }

    // Raising the dock's last instant to the watermark makes every later
    // upload land strictly after it, even if the wall clock steps back.
    let last = sqlx::query_scalar!(
        "SELECT last_artifact_at FROM docks WHERE id = ?",
        job.dock_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let watermark = now.max(Timestamp::from_micros(last));
    let watermark_micros = watermark.micros();
    sqlx::query!(
        "UPDATE docks SET last_artifact_at = ? WHERE id = ?",
        watermark_micros,
        job.dock_id
    )
    .execute(&mut *tx)
    .await?;

    let scopes = catalog::grant_scopes_in(&mut tx, &job.recipient_id, &job.dock_id).await?;
    let found = snapshot_items(&mut tx, &job, &scopes, watermark).await?;
    let missing = report_missing(&mut tx, &job, found).await?;

    let total = found + missing;
    let running = JobStatus::Running.as_str();
    let started_at = now.micros();
    sqlx::query!(
        "UPDATE jobs SET status = ?, started_at = ?, sync_watermark = ?, total_count = ?, \
         error_count = ? WHERE id = ?",
        running,
        started_at,
        watermark_micros,
        total,
        missing,
        job.id
    )
    .execute(&mut *tx)
    .await?;
    let started = fetch(&mut tx, id).await?.ok_or(DbError::NotFound("job"))?;
    tx.commit().await?;
    Ok(started)
}

/// Copies the visible, matching artifacts into the job's items, oldest
/// first, in one statement.
async fn snapshot_items(
    conn: &mut SqliteConnection,
    job: &JobRecord,
    scopes: &[Metadata],
    up_to: Timestamp,
) -> DbResult<i64> {
    if scopes.is_empty() {
        return Ok(0);
    }
    let mut query = QueryBuilder::<Sqlite>::new(
        "INSERT INTO job_items (job_id, position, artifact_id, state) SELECT ",
    );
    query.push_bind(job.id.as_str().to_owned());
    query.push(
        ", ROW_NUMBER() OVER (ORDER BY a.created_at), a.id, 'pending' FROM artifacts a WHERE",
    );
    let selection = Selection {
        dock: &job.dock_id,
        scopes,
        filters: &job.filters,
        up_to,
    };
    push_conditions(&mut query, &selection);
    let done = query.build().execute(conn).await?;
    Ok(i64::try_from(done.rows_affected()).unwrap_or(i64::MAX))
}

/// Requested IDs that are not in the snapshot become `not_found` items,
/// whether they do not exist or belong to someone else.
async fn report_missing(conn: &mut SqliteConnection, job: &JobRecord, found: i64) -> DbResult<i64> {
    let Some(requested) = &job.filters.artifact_ids else {
        return Ok(0);
    };
    let present: HashSet<String> =
        sqlx::query_scalar!("SELECT artifact_id FROM job_items WHERE job_id = ?", job.id)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    let mut seen = HashSet::new();
    let mut position = found;
    for id in requested {
        if present.contains(id.as_str()) || !seen.insert(id.clone()) {
            continue;
        }
        position += 1;
        sqlx::query!(
            "INSERT INTO job_items (job_id, position, artifact_id, state, error_code, \
             error_message) VALUES (?, ?, ?, 'error', 'not_found', \
             'No artifact with this ID is available to this recipient')",
            job.id,
            position,
            id
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(position - found)
}

pub async fn finish(
    pool: &SqlitePool,
    id: &JobId,
    status: JobStatus,
    failure_reason: Option<&str>,
    now: Timestamp,
) -> DbResult<()> {
    let (status, completed_at) = (status.as_str(), now.micros());
    sqlx::query!(
        "UPDATE jobs SET status = ?, completed_at = ?, failure_reason = ? WHERE id = ?",
        status,
        completed_at,
        failure_reason,
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}
