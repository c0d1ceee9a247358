//! SQLite backend: the embedded default.
//!
//! Writes go through a pool of one connection. SQLite allows one writer at a
//! time anyway; queuing writers here instead of in SQLite means no
//! `SQLITE_BUSY`, and it is what keeps `createdAt` strictly increasing.

/// Builds an `ArtifactRecord` from a query row that selected the artifact
/// columns under their own names. A macro, because every `query!` row is a
/// type of its own.
macro_rules! artifact_record {
    ($row:expr) => {{
        let row = $row;
        crate::db::ArtifactRecord {
            id: row.id,
            dock_id: row.dock_id,
            file_name: row.file_name,
            content_type: row.content_type,
            size_bytes: row.size_bytes,
            sha256: row.sha256,
            metadata: crate::domain::Metadata::from_stored_json(&row.metadata),
            created_at: crate::domain::Timestamp::from_micros(row.created_at),
            withdrawn: row.tombstoned_at.is_some(),
        }
    }};
}

mod accounts;
mod artifacts;
mod audit;
mod auditors;
mod catalog;
mod client_certs;
mod items;
mod jobs;
mod maintenance;
mod policyholders;
mod search;
mod visibility;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use super::{
    ArtifactRecord, ArtifactSearch, AuthenticatedKey, DbError, DbResult, DockRecord,
    IdempotencyClaim, ItemOutcome, JobCreation, JobRecord, KeyOwner, KeySummary, NewArtifact,
    PendingItem, RecipientRecord, ResultRow, Store,
};
use crate::domain::{
    ArtifactId, DockId, JobId, JobStatus, KeyId, Metadata, Persona, RecipientId, Timestamp,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and applies migrations.
    pub async fn open(path: &Path) -> DbResult<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&writer).await?;
        // Connections load planner statistics with the schema; this makes
        // the writer, which already has it, read what migrations seeded.
        sqlx::raw_sql("ANALYZE sqlite_schema")
            .execute(&writer)
            .await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        Ok(Self { writer, reader })
    }

    /// Applies migrations without keeping the store open.
    pub async fn migrate(path: &Path) -> DbResult<()> {
        let store = Self::open(path).await?;
        store.writer.close().await;
        store.reader.close().await;
        Ok(())
    }
}

fn parse_stored<T: FromStr>(raw: &str, what: &str) -> DbResult<T> {
    raw.parse()
        .map_err(|_| DbError::Corrupt(format!("{what} {raw:?} is not valid")))
}

fn persona(raw: &str) -> DbResult<Persona> {
    parse_stored(raw, "persona")
}

fn status(raw: &str) -> DbResult<JobStatus> {
    parse_stored(raw, "job status")
}

#[async_trait]
impl Store for SqliteStore {
    async fn create_dock(&self, name: &str, now: Timestamp) -> DbResult<DockRecord> {
        catalog::create_dock(&self.writer, name, now).await
    }

    async fn dock(&self, id: &DockId) -> DbResult<Option<DockRecord>> {
        catalog::dock(&self.reader, id).await
    }

    async fn list_docks(&self) -> DbResult<Vec<DockRecord>> {
        catalog::list_docks(&self.reader).await
    }

    async fn create_recipient(
        &self,
        persona: Persona,
        display_name: &str,
        now: Timestamp,
    ) -> DbResult<RecipientRecord> {
        catalog::create_recipient(&self.writer, persona, display_name, now).await
    }

    async fn recipient(&self, id: &RecipientId) -> DbResult<Option<RecipientRecord>> {
        catalog::recipient(&self.reader, id).await
    }

    async fn create_grant(
        &self,
        recipient: &RecipientId,
        dock: &DockId,
        scope: &Metadata,
        now: Timestamp,
    ) -> DbResult<()> {
        catalog::create_grant(&self.writer, recipient, dock, scope, now).await
    }

    async fn grant_scopes(
        &self,
        recipient: &RecipientId,
        dock: &DockId,
    ) -> DbResult<Vec<Metadata>> {
        catalog::grant_scopes(&self.reader, recipient, dock).await
    }

    async fn create_api_key(
        &self,
        owner: &KeyOwner,
        key_hash: &str,
        display_prefix: &str,
        label: &str,
        now: Timestamp,
    ) -> DbResult<KeyId> {
        catalog::create_api_key(&self.writer, owner, key_hash, display_prefix, label, now).await
    }

    async fn list_api_keys(&self) -> DbResult<Vec<KeySummary>> {
        catalog::list_api_keys(&self.reader).await
    }

    async fn revoke_api_key(&self, id: &KeyId, now: Timestamp) -> DbResult<()> {
        catalog::revoke_api_key(&self.writer, id, now).await
    }

    async fn authenticate(
        &self,
        key_hash: &str,
        now: Timestamp,
    ) -> DbResult<Option<AuthenticatedKey>> {
        catalog::authenticate(&self.reader, &self.writer, key_hash, now).await
    }

    async fn insert_artifact(&self, new: NewArtifact, now: Timestamp) -> DbResult<ArtifactRecord> {
        artifacts::insert(&self.writer, new, now).await
    }

    async fn withdraw_artifact(&self, id: &ArtifactId, now: Timestamp) -> DbResult<()> {
        artifacts::withdraw(&self.writer, id, now).await
    }

    async fn artifact(&self, id: &ArtifactId) -> DbResult<Option<ArtifactRecord>> {
        artifacts::get(&self.reader, id).await
    }

    async fn artifact_visible_to(
        &self,
        artifact: &ArtifactRecord,
        recipient: &RecipientId,
    ) -> DbResult<bool> {
        let scopes = catalog::grant_scopes(&self.reader, recipient, &artifact.dock_id).await?;
        Ok(!artifact.withdrawn && scopes.iter().any(|s| artifact.metadata.contains_all(s)))
    }

    async fn granted_docks(&self, recipient: &RecipientId) -> DbResult<Vec<DockId>> {
        search::granted_docks(&self.reader, recipient).await
    }

    async fn search_artifacts(
        &self,
        dock: &DockId,
        scopes: &[Metadata],
        search: &ArtifactSearch,
        limit: i64,
    ) -> DbResult<Vec<ArtifactRecord>> {
        search::search(&self.reader, dock, scopes, search, limit).await
    }

    async fn create_job(&self, job: &JobRecord) -> DbResult<()> {
        jobs::create(&self.writer, job).await
    }

    async fn create_job_once(
        &self,
        job: &JobRecord,
        claim: &IdempotencyClaim,
    ) -> DbResult<JobCreation> {
        jobs::create_once(&self.writer, job, claim).await
    }

    async fn job(&self, id: &JobId) -> DbResult<Option<JobRecord>> {
        jobs::get(&self.reader, id).await
    }

    async fn list_jobs(
        &self,
        recipient: &RecipientId,
        after: Option<&JobId>,
        limit: i64,
    ) -> DbResult<Vec<JobRecord>> {
        jobs::list(&self.reader, recipient, after, limit).await
    }

    async fn unfinished_jobs(&self, limit: i64) -> DbResult<Vec<JobId>> {
        jobs::unfinished(&self.reader, limit).await
    }

    async fn start_job(&self, id: &JobId, now: Timestamp) -> DbResult<JobRecord> {
        jobs::start(&self.writer, id, now).await
    }

    async fn pending_items(
        &self,
        id: &JobId,
        after: i64,
        limit: i64,
    ) -> DbResult<Vec<PendingItem>> {
        items::pending_items(&self.reader, id, after, limit).await
    }

    async fn record_outcomes(&self, id: &JobId, outcomes: &[(i64, ItemOutcome)]) -> DbResult<()> {
        items::record_outcomes(&self.writer, id, outcomes).await
    }

    async fn finish_job(
        &self,
        id: &JobId,
        status: JobStatus,
        failure_reason: Option<&str>,
        now: Timestamp,
    ) -> DbResult<()> {
        jobs::finish(&self.writer, id, status, failure_reason, now).await
    }

    async fn results_page(&self, id: &JobId, after: i64, limit: i64) -> DbResult<Vec<ResultRow>> {
        items::results_page(&self.reader, id, after, limit).await
    }
}
