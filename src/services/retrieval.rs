//! Bulk retrieval jobs: creating them, reading them and their results.

use tracing::info;

use super::{Caller, ServiceError, ServiceResult};
use sha2::{Digest, Sha256};

use crate::audit::{self, Action, Actor, RequestOrigin};
use crate::db::{
    ArtifactRecord, IdempotencyClaim, ItemOutcome, JobCreation, JobRecord, RecipientRecord,
};
use crate::domain::{DockId, JobFilters, JobId, JobStatus, KeyId, RecipientId, Timestamp};
use crate::signing::{DownloadGrant, URL_LIFETIME_SECONDS};
use crate::state::AppState;

/// Result sets can be read for this long after a job completes.
pub const RESULTS_LIFETIME_SECONDS: i64 = 24 * 3600;

/// A request for a job, already parsed.
#[derive(Debug, Clone)]
pub struct CreateJob {
    pub dock_id: DockId,
    pub recipient_id: RecipientId,
    pub filters: JobFilters,
}

pub fn results_expire_at(job: &JobRecord) -> Option<Timestamp> {
    job.completed_at
        .filter(|_| job.status == JobStatus::Completed)
        .map(|at| at.plus_seconds(RESULTS_LIFETIME_SECONDS))
}

/// The recipient behind the caller, when it may act as `requested`. Acting
/// for someone else reads exactly like naming a recipient that does not exist.
fn acting_recipient<'a>(
    caller: &'a Caller,
    requested: &RecipientId,
) -> ServiceResult<&'a RecipientRecord> {
    match caller {
        Caller::Recipient(r) if &r.id == requested => Ok(r),
        _ => Err(ServiceError::NotFound("recipient")),
    }
}

fn bulk_recipient(caller: &Caller) -> ServiceResult<&RecipientRecord> {
    match caller {
        Caller::Recipient(r) if r.persona.may_retrieve_in_bulk() => Ok(r),
        Caller::Recipient(r) => Err(ServiceError::Forbidden(format!(
            "{} recipients cannot use bulk retrieval",
            r.persona
        ))),
        Caller::Uploader(_) => Err(ServiceError::Forbidden(
            "uploader keys cannot use bulk retrieval".to_owned(),
        )),
    }
}

/// An `Idempotency-Key` header and the API key that sent it.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub api_key: KeyId,
    pub key: String,
}

/// How long an idempotency key holds.
const IDEMPOTENCY_WINDOW_SECONDS: i64 = 24 * 3600;

/// A new job, or the one an earlier identical request made.
#[derive(Debug, Clone)]
pub struct CreatedJob {
    pub job: JobRecord,
    pub replayed: bool,
}

pub async fn create_job(
    state: &AppState,
    caller: &Caller,
    request: CreateJob,
    idempotency: Option<Idempotency>,
    origin: &RequestOrigin,
) -> ServiceResult<CreatedJob> {
    acting_recipient(caller, &request.recipient_id)?;
    let recipient = bulk_recipient(caller)?;
    // A dock the recipient holds no grant on is not theirs to know about.
    let scopes = state
        .store
        .grant_scopes(&recipient.id, &request.dock_id)
        .await?;
    if scopes.is_empty() || state.store.dock(&request.dock_id).await?.is_none() {
        return Err(ServiceError::NotFound("dock"));
    }

    let now = state.clock.now();
    let request_hash = request_hash(&request);
    let job = JobRecord {
        id: JobId::generate(),
        dock_id: request.dock_id,
        recipient_id: recipient.id.clone(),
        filters: request.filters,
        status: JobStatus::Pending,
        total_count: 0,
        ready_count: 0,
        error_count: 0,
        created_at: now,
        completed_at: None,
        sync_watermark: None,
        failure_reason: None,
    };
    if let Some(idempotency) = idempotency {
        let claim = IdempotencyClaim {
            api_key: idempotency.api_key,
            key: idempotency.key,
            request_hash,
            not_before: now.plus_seconds(-IDEMPOTENCY_WINDOW_SECONDS),
        };
        match state.store.create_job_once(&job, &claim).await? {
            JobCreation::Created => {}
            JobCreation::KeyReused => return Err(ServiceError::IdempotencyKeyReused),
            JobCreation::Replayed(id) => {
                let job = state
                    .store
                    .job(&id)
                    .await?
                    .ok_or(ServiceError::NotFound("job"))?;
                info!(job = %job.id, "retrieval job request replayed for its idempotency key");
                return Ok(CreatedJob {
                    job,
                    replayed: true,
                });
            }
        }
    } else {
        state.store.create_job(&job).await?;
    }
    state.jobs_wakeup.notify_one();
    let actor = Actor::of(caller);
    audit::record(
        state,
        origin,
        &actor,
        Action::JobCreated,
        job.id.as_str(),
        true,
    )
    .await?;
    info!(
        job = %job.id, recipient = %job.recipient_id, dock = %job.dock_id,
        "retrieval job created"
    );
    Ok(CreatedJob {
        job,
        replayed: false,
    })
}

/// The request in a canonical form: the same filters hash the same however
/// the client ordered or spaced its JSON.
fn request_hash(request: &CreateJob) -> String {
    let canonical = serde_json::json!({
        "dockId": request.dock_id,
        "recipientId": request.recipient_id,
        "filters": request.filters,
    });
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// The caller's own job; anyone else's reads as not found.
pub async fn job_for(state: &AppState, caller: &Caller, id: &JobId) -> ServiceResult<JobRecord> {
    // A persona without bulk retrieval is refused as such: that says
    // nothing about whether the job exists.
    let recipient = bulk_recipient(caller)?;
    match state.store.job(id).await? {
        Some(job) if job.recipient_id == recipient.id => Ok(job),
        _ => Err(ServiceError::NotFound("job")),
    }
}

pub async fn list_jobs(
    state: &AppState,
    caller: &Caller,
    after: Option<&JobId>,
    limit: i64,
) -> ServiceResult<Vec<JobRecord>> {
    let recipient = bulk_recipient(caller)?;
    Ok(state.store.list_jobs(&recipient.id, after, limit).await?)
}

/// The caller's job, once its results may be read: completed, not expired.
pub async fn completed_job(
    state: &AppState,
    caller: &Caller,
    id: &JobId,
) -> ServiceResult<JobRecord> {
    let job = job_for(state, caller, id).await?;
    if job.status != JobStatus::Completed {
        return Err(ServiceError::JobNotCompleted(job.status));
    }
    let now = state.clock.now();
    if let Some(expired_at) = results_expire_at(&job).filter(|at| now >= *at) {
        return Err(ServiceError::ResultsExpired(expired_at));
    }
    Ok(job)
}

#[derive(Debug, Clone)]
pub enum ResultItem {
    Ready {
        artifact: ArtifactRecord,
        url: String,
        url_expires_at: Timestamp,
    },
    Failed {
        artifact_id: String,
        code: String,
        message: String,
    },
}

#[derive(Debug, Clone)]
pub struct ResultsPage {
    pub items: Vec<ResultItem>,
    /// Position to continue after, when more items follow.
    pub next_after: Option<i64>,
}

/// A page of results with URLs signed now, so reading again gives fresh ones.
pub async fn results(
    state: &AppState,
    caller: &Caller,
    id: &JobId,
    after: i64,
    limit: i64,
    origin: &RequestOrigin,
) -> ServiceResult<ResultsPage> {
    let job = completed_job(state, caller, id).await?;
    let now = state.clock.now();

    let mut rows = state.store.results_page(id, after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let next_after = if more {
        rows.last().map(|r| r.position)
    } else {
        None
    };

    let url_expires_at = now.plus_seconds(URL_LIFETIME_SECONDS);
    let items = rows
        .into_iter()
        .map(|row| match (row.outcome, row.artifact) {
            (ItemOutcome::Ready, Some(artifact)) if artifact.withdrawn => ResultItem::Failed {
                artifact_id: row.artifact_id,
                code: "withdrawn".to_owned(),
                message: "The artifact was withdrawn after the job completed".to_owned(),
            },
            (ItemOutcome::Ready, Some(artifact)) => {
                let token = state.signer.sign(&DownloadGrant {
                    artifact_id: artifact.id.clone(),
                    recipient_id: job.recipient_id.clone(),
                    expires_at: url_expires_at,
                });
                let url = format!("{}/v1/downloads/{token}", state.public_url);
                ResultItem::Ready {
                    artifact,
                    url,
                    url_expires_at,
                }
            }
            (ItemOutcome::Ready, None) => ResultItem::Failed {
                artifact_id: row.artifact_id,
                code: "not_found".to_owned(),
                message: "The artifact no longer exists".to_owned(),
            },
            (ItemOutcome::Error { code, message }, _) => ResultItem::Failed {
                artifact_id: row.artifact_id,
                code,
                message,
            },
        })
        .collect();
    info!(job = %id, recipient = %job.recipient_id, "results read");
    let actor = Actor::of(caller);
    audit::record(
        state,
        origin,
        &actor,
        Action::ResultsRead,
        id.as_str(),
        true,
    )
    .await?;
    Ok(ResultsPage { items, next_after })
}
