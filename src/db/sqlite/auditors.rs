//! Auditors' badges and the read-only views their pages show.

use async_trait::async_trait;

use super::jobs::JobRow;
use super::SqliteStore;
use crate::db::{
    AuditQuery, AuditRecord, AuditorRecord, AuditorStore, BadgeLock, DbResult, DockRecord,
    DockTotals, JobQuery, JobRecord, JobTotals, NewAuditEvent,
};
use crate::domain::{BadgeId, DockId, JobId, NdaHash, RecipientId, Timestamp};

macro_rules! auditor_record {
    ($row:expr) => {{
        let row = $row;
        AuditorRecord {
            recipient_id: row.recipient_id,
            badge_id: row.badge_id,
            nda_sha256: row.nda_sha256,
            failed_attempts: row.failed_attempts,
            locked_until: row.locked_until.map(Timestamp::from_micros),
        }
    }};
}

#[async_trait]
impl AuditorStore for SqliteStore {
    async fn create_auditor(
        &self,
        recipient: &RecipientId,
        badge: &BadgeId,
        nda: &NdaHash,
        now: Timestamp,
    ) -> DbResult<()> {
        let (badge, nda, now) = (badge.as_str(), nda.as_str(), now.micros());
        sqlx::query!(
            "INSERT INTO auditors (recipient_id, badge_id, nda_sha256, created_at)
             VALUES (?, ?, ?, ?)",
            recipient,
            badge,
            nda,
            now
        )
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn auditor_by_badge(&self, badge: &BadgeId) -> DbResult<Option<AuditorRecord>> {
        let badge = badge.as_str();
        let row = sqlx::query!(
            r#"SELECT recipient_id AS "recipient_id: RecipientId", badge_id, nda_sha256,
                      failed_attempts, locked_until
               FROM auditors WHERE badge_id = ?"#,
            badge
        )
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|r| auditor_record!(r)))
    }

    async fn auditor(&self, recipient: &RecipientId) -> DbResult<Option<AuditorRecord>> {
        let row = sqlx::query!(
            r#"SELECT recipient_id AS "recipient_id: RecipientId", badge_id, nda_sha256,
                      failed_attempts, locked_until
               FROM auditors WHERE recipient_id = ?"#,
            recipient
        )
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|r| auditor_record!(r)))
    }

    async fn auditor_sign_in_failed(
        &self,
        recipient: &RecipientId,
        rule: &BadgeLock,
        now: Timestamp,
    ) -> DbResult<()> {
        let lock_after = rule.after_failures;
        let counted_since = now.plus_seconds(-rule.seconds).micros();
        let locked_until = now.plus_seconds(rule.seconds).micros();
        let now = now.micros();
        // `recent` is the count that still stands: failures older than the
        // lock's length have decayed. SQLite cannot name it, hence repeated.
        sqlx::query!(
            "UPDATE auditors SET
                 locked_until = CASE
                     WHEN (CASE WHEN last_failed_at > ?3 THEN failed_attempts ELSE 0 END) + 1
                          >= ?2 THEN ?4
                     ELSE locked_until END,
                 failed_attempts = CASE
                     WHEN (CASE WHEN last_failed_at > ?3 THEN failed_attempts ELSE 0 END) + 1
                          >= ?2 THEN 0
                     ELSE (CASE WHEN last_failed_at > ?3 THEN failed_attempts ELSE 0 END) + 1 END,
                 last_failed_at = ?5
             WHERE recipient_id = ?1",
            recipient,
            lock_after,
            counted_since,
            locked_until,
            now
        )
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn auditor_signed_in(&self, recipient: &RecipientId, now: Timestamp) -> DbResult<bool> {
        // Checked again as it is written: tries sent in parallel all read
        // the badge before any of them locked it.
        let now = now.micros();
        let cleared = sqlx::query!(
            "UPDATE auditors SET failed_attempts = 0, locked_until = NULL
             WHERE recipient_id = ? AND (locked_until IS NULL OR locked_until <= ?)",
            recipient,
            now
        )
        .execute(&self.writer)
        .await?;
        Ok(cleared.rows_affected() == 1)
    }

    async fn dock_totals(&self) -> DbResult<Vec<DockTotals>> {
        let rows = sqlx::query!(
            r#"SELECT d.id AS "id: DockId", d.name, d.created_at,
                      COUNT(a.id) AS "artifacts!: i64",
                      COUNT(a.tombstoned_at) AS "withdrawn!: i64",
                      COALESCE(SUM(a.size_bytes), 0) AS "bytes!: i64"
               FROM docks d LEFT JOIN artifacts a ON a.dock_id = d.id
               GROUP BY d.id ORDER BY d.created_at"#
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| DockTotals {
                dock: DockRecord {
                    id: r.id,
                    name: r.name,
                    created_at: Timestamp::from_micros(r.created_at),
                },
                artifacts: r.artifacts,
                withdrawn: r.withdrawn,
                bytes: r.bytes,
            })
            .collect())
    }

    async fn all_jobs(&self, query: &JobQuery, limit: i64) -> DbResult<Vec<JobRecord>> {
        let status = query.status.map(|s| s.as_str());
        let rows = sqlx::query_as!(
            JobRow,
            r#"SELECT id AS "id: JobId", dock_id AS "dock_id: DockId",
                      recipient_id AS "recipient_id: RecipientId", filters, status, total_count,
                      ready_count, error_count, created_at, completed_at, sync_watermark,
                      failure_reason
               FROM jobs
               WHERE (?1 IS NULL OR recipient_id = ?1) AND (?2 IS NULL OR dock_id = ?2)
                 AND (?3 IS NULL OR status = ?3)
               ORDER BY id DESC LIMIT ?4"#,
            query.recipient,
            query.dock,
            status,
            limit
        )
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter().map(JobRow::into_record).collect()
    }

    async fn job_totals(&self, query: &JobQuery) -> DbResult<JobTotals> {
        let status = query.status.map(|s| s.as_str());
        let row = sqlx::query!(
            r#"SELECT COUNT(*) AS "jobs!: i64", COALESCE(SUM(total_count), 0) AS "documents!: i64",
                      COALESCE(SUM(ready_count), 0) AS "ready!: i64",
                      COALESCE(SUM(error_count), 0) AS "errors!: i64"
               FROM jobs
               WHERE (?1 IS NULL OR recipient_id = ?1) AND (?2 IS NULL OR dock_id = ?2)
                 AND (?3 IS NULL OR status = ?3)"#,
            query.recipient,
            query.dock,
            status
        )
        .fetch_one(&self.reader)
        .await?;
        Ok(JobTotals {
            jobs: row.jobs,
            documents: row.documents,
            ready: row.ready,
            errors: row.errors,
        })
    }

    async fn search_audit_events(
        &self,
        query: &AuditQuery,
        limit: i64,
    ) -> DbResult<Vec<AuditRecord>> {
        let from = query.from.map(Timestamp::micros);
        let until = query.until.map(Timestamp::micros);
        let rows = sqlx::query!(
            "SELECT seq, at, actor, persona, action, target, outcome, ip, request_id,
                    prev_hash, hash
             FROM audit_events
             WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR action = ?2)
               AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4)
             ORDER BY seq DESC LIMIT ?5",
            query.actor,
            query.action,
            from,
            until,
            limit
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| AuditRecord {
                seq: r.seq,
                event: NewAuditEvent {
                    at: Timestamp::from_micros(r.at),
                    actor: r.actor,
                    persona: r.persona,
                    action: r.action,
                    target: r.target,
                    outcome: r.outcome,
                    ip: r.ip,
                    request_id: r.request_id,
                },
                prev_hash: r.prev_hash,
                hash: r.hash,
            })
            .collect())
    }
}
