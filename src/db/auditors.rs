//! Auditors' badges, and the read-only views of the whole yard their pages
//! show: dock totals, every job, and the audit trail with filters.

use async_trait::async_trait;

use super::{AuditRecord, DbResult, DockRecord, JobRecord};
use crate::domain::{BadgeId, DockId, JobStatus, NdaHash, RecipientId, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditorRecord {
    pub recipient_id: RecipientId,
    pub badge_id: String,
    pub nda_sha256: String,
    pub failed_attempts: i64,
    pub locked_until: Option<Timestamp>,
}

/// When failed sign-ins lock a badge: `after_failures` of them, each within
/// `seconds` of the one before, lock it for `seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadgeLock {
    pub after_failures: i64,
    pub seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockTotals {
    pub dock: DockRecord,
    pub artifacts: i64,
    pub withdrawn: i64,
    pub bytes: i64,
}

/// Which jobs an auditor asked to see; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct JobQuery {
    pub recipient: Option<RecipientId>,
    pub dock: Option<DockId>,
    pub status: Option<JobStatus>,
}

/// Sums over every job a [`JobQuery`] matches, not only the listed ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobTotals {
    pub jobs: i64,
    pub documents: i64,
    pub ready: i64,
    pub errors: i64,
}

/// Which audit records an auditor asked to see.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from: Option<Timestamp>,
    /// Exclusive.
    pub until: Option<Timestamp>,
}

#[async_trait]
pub trait AuditorStore: Send + Sync {
    async fn create_auditor(
        &self,
        recipient: &RecipientId,
        badge: &BadgeId,
        nda: &NdaHash,
        now: Timestamp,
    ) -> DbResult<()>;
    async fn auditor_by_badge(&self, badge: &BadgeId) -> DbResult<Option<AuditorRecord>>;
    async fn auditor(&self, recipient: &RecipientId) -> DbResult<Option<AuditorRecord>>;
    /// Counts a failed sign-in at `now`. The failure that completes `rule`
    /// locks the badge and starts the count again; a failure that comes
    /// long after the one before it starts the count again too.
    async fn auditor_sign_in_failed(
        &self,
        recipient: &RecipientId,
        rule: &BadgeLock,
        now: Timestamp,
    ) -> DbResult<()>;
    /// Clears the badge's failures for a sign-in at `now`; false, and
    /// nothing changed, when the badge was locked by then.
    async fn auditor_signed_in(&self, recipient: &RecipientId, now: Timestamp) -> DbResult<bool>;

    async fn dock_totals(&self) -> DbResult<Vec<DockTotals>>;
    /// Jobs of every recipient, newest first.
    async fn all_jobs(&self, query: &JobQuery, limit: i64) -> DbResult<Vec<JobRecord>>;
    async fn job_totals(&self, query: &JobQuery) -> DbResult<JobTotals>;
    /// Matching records, newest first.
    async fn search_audit_events(
        &self,
        query: &AuditQuery,
        limit: i64,
    ) -> DbResult<Vec<AuditRecord>>;
}
