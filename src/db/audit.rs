//! Audit records as the store keeps them. Only appending is offered.

use async_trait::async_trait;

use super::DbResult;
use crate::audit::{AuditSeal, Sealer};
use crate::domain::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEvent {
    pub at: Timestamp,
    pub actor: String,
    pub persona: String,
    pub action: String,
    pub target: String,
    /// `ok` or `refused`.
    pub outcome: String,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

/// An event as stored: its place in the chain and the hashes that link it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub event: NewAuditEvent,
    pub prev_hash: String,
    pub hash: String,
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends the event after the newest record, chained to its hash, and
    /// seals the trail at the new record, in one transaction.
    async fn append_audit_event(&self, event: &NewAuditEvent, sealer: &Sealer) -> DbResult<()>;
    /// The seal over the newest record; `None` before the first append.
    async fn audit_seal(&self) -> DbResult<Option<AuditSeal>>;
    /// Records in order, strictly after `after_seq`.
    async fn audit_events(&self, after_seq: i64, limit: i64) -> DbResult<Vec<AuditRecord>>;
}
