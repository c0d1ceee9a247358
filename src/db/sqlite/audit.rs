//! The append-only audit trail.

use async_trait::async_trait;

use super::SqliteStore;
use crate::audit::{chain_hash, AuditSeal, Sealer, GENESIS};
use crate::db::{AuditRecord, AuditStore, DbResult, NewAuditEvent};
use crate::domain::Timestamp;

#[async_trait]
impl AuditStore for SqliteStore {
    async fn append_audit_event(&self, event: &NewAuditEvent, sealer: &Sealer) -> DbResult<()> {
        // The writer pool has one connection, so this process's appends are
        // serialised. An admin command is another process: taking the write
        // lock before reading the newest record keeps the two from racing
        // (a deferred transaction would fail when the other one wrote first).
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
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
        let seal = sealer.seal(seq, &hash);
        sqlx::query!(
            "INSERT INTO audit_seal (id, seq, hash, mac) VALUES (1, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE
             SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
            seal.seq,
            seal.hash,
            seal.mac
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_seal(&self) -> DbResult<Option<AuditSeal>> {
        let row = sqlx::query!("SELECT seq, hash, mac FROM audit_seal WHERE id = 1")
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.map(|r| AuditSeal {
            seq: r.seq,
            hash: r.hash,
            mac: r.mac,
        }))
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
