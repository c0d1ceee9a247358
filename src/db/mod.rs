//! The store layer: every SQL statement of DocYard lives below this module.
//! Callers see the `Store` trait and plain records, so a PostgreSQL backend
//! can slot in beside the SQLite one.

mod accounts;
mod audit;
mod auditors;
mod client_certs;
mod maintenance;
mod policyholders;
mod sqlite;

use async_trait::async_trait;

use crate::domain::{
    ArtifactId, DockId, JobFilters, JobId, JobStatus, KeyId, Metadata, Persona, RecipientId,
    Timestamp,
};

pub use accounts::{
    AccountStore, Enrolment, EnrolmentOutcome, InviteRecord, NewPasskey, PasskeyRecord, UserRecord,
};
pub use audit::{AuditRecord, AuditStore, NewAuditEvent};
pub use auditors::{
    AuditQuery, AuditorRecord, AuditorStore, BadgeLock, DockTotals, JobQuery, JobTotals,
};
pub use client_certs::{ClientCertRecord, ClientCertStore, NewClientCert};
pub use maintenance::{MaintenanceStore, StatisticsRefresh};
pub use policyholders::{
    CodeAttempt, NewSmsCode, OutboxMessage, PolicyholderStore, MAX_CODE_ATTEMPTS,
};
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error("migrating the database failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type DbResult<T> = Result<T, DbError>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockRecord {
    pub id: DockId,
    pub name: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientRecord {
    pub id: RecipientId,
    pub persona: Persona,
    pub display_name: String,
}

/// An API key as listings show it: never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySummary {
    pub id: KeyId,
    pub display_prefix: String,
    pub owner: String,
    pub label: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
}

/// Who an API key speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOwner {
    Recipient(RecipientRecord),
    /// A carrier's uploader, allowed to add artifacts to one dock.
    Uploader(DockId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatedKey {
    pub key_id: KeyId,
    pub owner: KeyOwner,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactRecord {
    pub id: ArtifactId,
    pub dock_id: DockId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub metadata: Metadata,
    pub created_at: Timestamp,
    pub withdrawn: bool,
}

impl ArtifactRecord {
    /// Where the bytes live in the object store.
    pub fn object_key(&self) -> String {
        object_key(&self.dock_id, &self.id)
    }
}

pub fn object_key(dock: &DockId, artifact: &ArtifactId) -> String {
    format!("{dock}/{artifact}")
}

/// An artifact about to be recorded; its bytes are already stored.
#[derive(Debug, Clone)]
pub struct NewArtifact {
    pub id: ArtifactId,
    pub dock_id: DockId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub metadata: Metadata,
    /// Only for importing history (the demo): an earlier instant to use
    /// when it keeps `createdAt` increasing. Uploads leave it empty.
    pub backdate_to: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRecord {
    pub id: JobId,
    pub dock_id: DockId,
    pub recipient_id: RecipientId,
    pub filters: JobFilters,
    pub status: JobStatus,
    pub total_count: i64,
    pub ready_count: i64,
    pub error_count: i64,
    pub created_at: Timestamp,
    pub completed_at: Option<Timestamp>,
    pub sync_watermark: Option<Timestamp>,
    pub failure_reason: Option<String>,
}

/// An `Idempotency-Key` as sent with a job request.
#[derive(Debug, Clone)]
pub struct IdempotencyClaim {
    pub api_key: KeyId,
    pub key: String,
    /// SHA-256 of the request body in canonical form.
    pub request_hash: String,
    /// Claims made before this instant have lapsed.
    pub not_before: Timestamp,
}

/// What became of a job request that carried an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobCreation {
    Created,
    /// The same key and body were seen before: this is their job.
    Replayed(JobId),
    /// The key was used before with another body.
    KeyReused,
}

/// What the portal's search asks of one dock.
#[derive(Debug, Clone)]
pub struct ArtifactSearch {
    /// Metadata pairs and a lower bound on `createdAt` (exclusive).
    pub filters: JobFilters,
    /// Upper bound on `createdAt`, exclusive.
    pub created_before: Option<Timestamp>,
    /// Artifacts created after this instant are left out.
    pub up_to: Timestamp,
}

/// A job item whose object still needs checking.
#[derive(Debug, Clone)]
pub struct PendingItem {
    pub position: i64,
    pub artifact: ArtifactRecord,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemOutcome {
    Ready,
    Error { code: String, message: String },
}

/// One row of a job's results.
#[derive(Debug, Clone)]
pub struct ResultRow {
    pub position: i64,
    pub artifact_id: String,
    pub outcome: ItemOutcome,
    pub artifact: Option<ArtifactRecord>,
}

#[async_trait]
pub trait Store:
    AccountStore
    + AuditStore
    + AuditorStore
    + ClientCertStore
    + MaintenanceStore
    + PolicyholderStore
    + Send
    + Sync
    + 'static
{
    async fn create_dock(&self, name: &str, now: Timestamp) -> DbResult<DockRecord>;
    async fn dock(&self, id: &DockId) -> DbResult<Option<DockRecord>>;
    async fn list_docks(&self) -> DbResult<Vec<DockRecord>>;

    async fn create_recipient(
        &self,
        persona: Persona,
        display_name: &str,
        now: Timestamp,
    ) -> DbResult<RecipientRecord>;
    async fn recipient(&self, id: &RecipientId) -> DbResult<Option<RecipientRecord>>;
    async fn create_grant(
        &self,
        recipient: &RecipientId,
        dock: &DockId,
        scope: &Metadata,
        now: Timestamp,
    ) -> DbResult<()>;
    /// The scopes of the recipient's grants on the dock; empty means no access.
    async fn grant_scopes(&self, recipient: &RecipientId, dock: &DockId)
        -> DbResult<Vec<Metadata>>;

    async fn create_api_key(
        &self,
        owner: &KeyOwner,
        key_hash: &str,
        display_prefix: &str,
        label: &str,
        now: Timestamp,
    ) -> DbResult<KeyId>;
    async fn revoke_api_key(&self, id: &KeyId, now: Timestamp) -> DbResult<()>;
    async fn list_api_keys(&self) -> DbResult<Vec<KeySummary>>;
    /// The live key with this hash, marking it used.
    async fn authenticate(
        &self,
        key_hash: &str,
        now: Timestamp,
    ) -> DbResult<Option<AuthenticatedKey>>;

    async fn insert_artifact(&self, new: NewArtifact, now: Timestamp) -> DbResult<ArtifactRecord>;
    async fn artifact(&self, id: &ArtifactId) -> DbResult<Option<ArtifactRecord>>;
    /// Tombstones the artifact: it is never served again. The row stays, so
    /// the audit trail and past jobs can still name it.
    async fn withdraw_artifact(&self, id: &ArtifactId, now: Timestamp) -> DbResult<()>;
    /// Whether the recipient's grants on the artifact's dock cover it.
    async fn artifact_visible_to(
        &self,
        artifact: &ArtifactRecord,
        recipient: &RecipientId,
    ) -> DbResult<bool>;

    /// Docks on which the recipient holds at least one grant.
    async fn granted_docks(&self, recipient: &RecipientId) -> DbResult<Vec<DockId>>;
    /// The recipient's visible artifacts on the dock matching `search`,
    /// newest first. `scopes` are the recipient's grants there (not empty).
    async fn search_artifacts(
        &self,
        dock: &DockId,
        scopes: &[Metadata],
        search: &ArtifactSearch,
        limit: i64,
    ) -> DbResult<Vec<ArtifactRecord>>;

    async fn create_job(&self, job: &JobRecord) -> DbResult<()>;
    /// Creates `job` unless `claim` names an earlier request, atomically, so
    /// that two identical requests at the same moment make one job.
    async fn create_job_once(
        &self,
        job: &JobRecord,
        claim: &IdempotencyClaim,
    ) -> DbResult<JobCreation>;
    async fn job(&self, id: &JobId) -> DbResult<Option<JobRecord>>;
    /// The recipient's jobs, newest first, strictly after `after` in that order.
    async fn list_jobs(
        &self,
        recipient: &RecipientId,
        after: Option<&JobId>,
        limit: i64,
    ) -> DbResult<Vec<JobRecord>>;
    /// Jobs a worker still has to finish, oldest first.
    async fn unfinished_jobs(&self, limit: i64) -> DbResult<Vec<JobId>>;
    /// Moves a pending job to running: takes its snapshot (the items it will
    /// deliver) and its sync watermark in one transaction.
    async fn start_job(&self, id: &JobId, now: Timestamp) -> DbResult<JobRecord>;
    /// Items still to check, in position order after `after`.
    async fn pending_items(&self, id: &JobId, after: i64, limit: i64)
        -> DbResult<Vec<PendingItem>>;
    async fn record_outcomes(&self, id: &JobId, outcomes: &[(i64, ItemOutcome)]) -> DbResult<()>;
    async fn finish_job(
        &self,
        id: &JobId,
        status: JobStatus,
        failure_reason: Option<&str>,
        now: Timestamp,
    ) -> DbResult<()>;
    async fn results_page(&self, id: &JobId, after: i64, limit: i64) -> DbResult<Vec<ResultRow>>;
}
