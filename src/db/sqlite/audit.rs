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
        let last_seen = last.as_ref().map(|row| (row.seq, row.hash.clone()));
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
        if !self.seal_vouches_for(&mut tx, sealer, last_seen).await? {
            // Resealing now would vouch for a trail someone changed outside
            // DocYard. The old seal stays, so `audit verify` keeps finding it.
            tracing::error!(
                seq,
                "the audit trail's seal does not name its newest record; \
                 record appended but left unsealed, run `docyard audit verify`"
            );
            tx.commit().await?;
            return Ok(());
        }
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
        stored_seal(&self.reader).await
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

impl SqliteStore {
    /// Whether the stored seal is genuine and names `last`, the newest
    /// record before this append (an empty trail has no seal yet).
    async fn seal_vouches_for(
        &self,
        tx: &mut sqlx::SqliteConnection,
        sealer: &Sealer,
        last: Option<(i64, String)>,
    ) -> DbResult<bool> {
        Ok(match (stored_seal(&mut *tx).await?, last) {
            (None, None) => true,
            (Some(seal), Some((seq, hash))) => {
                seal.seq == seq && seal.hash == hash && sealer.is_genuine(&seal)
            }
            _ => false,
        })
    }
}

async fn stored_seal(db: impl sqlx::SqliteExecutor<'_>) -> DbResult<Option<AuditSeal>> {
    let row = sqlx::query!("SELECT seq, hash, mac FROM audit_seal WHERE id = 1")
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| AuditSeal {
        seq: r.seq,
        hash: r.hash,
        mac: r.mac,
    }))
}
