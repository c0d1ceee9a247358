//! The append-only audit trail.

use async_trait::async_trait;

use super::SqliteStore;
use crate::audit::{chain_hash, GENESIS};
use crate::db::{AuditRecord, AuditStore, DbResult, NewAuditEvent};
use crate::domain::Timestamp;

#[async_trait]
impl AuditStore for SqliteStore {
    async fn append_audit_event(&self, event: &NewAuditEvent) -> DbResult<()> {
        // The writer pool has one connection, so appends are serialised and
        // every record sees the true newest one before it.
        let mut tx = self.writer.begin().await?;
        let last = sqlx::query!("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
        let (seq, prev_hash) = match last {
            Some(row) => (row.seq + 1, row.hash),
            None => (1, GENESIS.to_owned()),
        };
        let hash = chain_hash(&prev_hash, seq, event);
        let at = event.at.micros();
        sqlx::query!(
            "INSERT INTO audit_events (seq, at, actor, persona, action, target, outcome, ip,
             request_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            seq,
            at,
            event.actor,
            event.persona,
            event.action,
            event.target,
            event.outcome,
            event.ip,
            event.request_id,
            prev_hash,
            hash
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_events(&self, after_seq: i64, limit: i64) -> DbResult<Vec<AuditRecord>> {
        let rows = sqlx::query!(
            "SELECT seq, at, actor, persona, action, target, outcome, ip, request_id,
                    prev_hash, hash
             FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?",
            after_seq,
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
