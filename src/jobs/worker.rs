//! Takes jobs from PENDING to COMPLETED: snapshot first, then a check of
//! every object (present, right size, right SHA-256), in chunks so that the
//! counts move while it runs. Jobs are picked up from the database, so a job
//! a stopped server left behind is finished after restart, and only once.

use std::collections::HashSet;
use std::time::Duration;

use futures::{stream, StreamExt};
use tokio::task::JoinSet;
use tracing::{error, info, info_span, Instrument};

use crate::db::{ItemOutcome, PendingItem};
use crate::domain::{JobId, JobStatus};
use crate::state::AppState;
use crate::storage::{StorageError, StoredObject};

/// Jobs run side by side, so a huge job does not hold up a small one.
const CONCURRENT_JOBS: usize = 4;
/// Items checked per database round trip; also how often counts move.
const CHUNK: i64 = 2000;
/// Batches of objects checked at once within a job (one blocking task each).
const CONCURRENT_CHECKS: usize = 4;
/// Waits before asking a store that failed to answer again: about half a
/// minute in all before its objects count as storage errors.
const RETRY_PAUSES: [Duration; 3] = [
    Duration::from_secs(2),
    Duration::from_secs(8),
    Duration::from_secs(20),
];
/// A safety net in case a wake-up is missed.
const POLL_INTERVAL: Duration = Duration::from_secs(1);

pub fn spawn_worker(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut running: JoinSet<JobId> = JoinSet::new();
        let mut in_flight: HashSet<JobId> = HashSet::new();
        loop {
            let free = CONCURRENT_JOBS.saturating_sub(in_flight.len());
            if free > 0 {
                match state
                    .store
                    .unfinished_jobs((CONCURRENT_JOBS * 2) as i64)
                    .await
                {
                    Ok(ids) => {
                        let fresh: Vec<JobId> = ids
                            .into_iter()
                            .filter(|id| !in_flight.contains(id))
                            .take(free)
                            .collect();
                        for id in fresh {
                            in_flight.insert(id.clone());
                            let state = state.clone();
                            running.spawn(async move {
                                run_job(&state, &id).await;
                                id
                            });
                        }
                    }
                    Err(e) => error!(error = %e, "could not look for retrieval jobs to run"),
                }
            }
            tokio::select! {
                _ = state.jobs_wakeup.notified() => {}
                _ = tokio::time::sleep(POLL_INTERVAL) => {}
                Some(done) = running.join_next(), if !running.is_empty() => {
                    if let Ok(id) = done {
                        in_flight.remove(&id);
                    }
                }
            }
        }
    })
}

/// Runs one job to its end, recording a failure rather than returning one.
pub async fn run_job(state: &AppState, id: &JobId) {
    let span = info_span!("job", job = %id, recipient = tracing::field::Empty);
    async {
        if let Err(e) = drive(state, id).await {
            error!(error = format!("{e:#}"), "retrieval job failed");
            let reason = "internal error while preparing the job";
            if let Err(e) = state
                .store
                .finish_job(id, JobStatus::Failed, Some(reason), state.clock.now())
                .await
            {
                error!(error = %e, "could not record the job's failure");
            }
        }
        progressed(state);
    }
    .instrument(span)
    .await;
}

async fn drive(state: &AppState, id: &JobId) -> anyhow::Result<()> {
    let job = state.store.start_job(id, state.clock.now()).await?;
    tracing::Span::current().record("recipient", job.recipient_id.as_str());
    if job.status.is_finished() {
        return Ok(());
    }
    info!(total = job.total_count, "retrieval job running");
    progressed(state);

    let mut after = 0;
    loop {
        let items = state.store.pending_items(id, after, CHUNK).await?;
        let Some(last) = items.last() else { break };
        after = last.position;
        let batch = items.len().div_ceil(CONCURRENT_CHECKS).max(1);
        let batches: Vec<Vec<PendingItem>> = items.chunks(batch).map(<[_]>::to_vec).collect();
        let outcomes: Vec<(i64, ItemOutcome)> = stream::iter(batches)
            .map(|batch| check(state, batch))
            .buffer_unordered(CONCURRENT_CHECKS)
            .flat_map(stream::iter)
            .collect()
            .await;
        state.store.record_outcomes(id, &outcomes).await?;
        progressed(state);
    }

    state
        .store
        .finish_job(id, JobStatus::Completed, None, state.clock.now())
        .await?;
    if let Some(done) = state.store.job(id).await? {
        info!(
            ready = done.ready_count,
            errors = done.error_count,
            "retrieval job completed"
        );
    }
    Ok(())
}

/// Tells progress streams that some job moved on; each looks at its own.
fn progressed(state: &AppState) {
    state
        .job_progress
        .send_modify(|tick| *tick = tick.wrapping_add(1));
}

async fn check(state: &AppState, batch: Vec<PendingItem>) -> Vec<(i64, ItemOutcome)> {
    let expected = |item: &PendingItem| {
        let object = StoredObject {
            size_bytes: u64::try_from(item.artifact.size_bytes).unwrap_or_default(),
            sha256: item.artifact.sha256.clone(),
        };
        (item.artifact.object_key(), object)
    };
    let mut results = state
        .objects
        .verify_batch(batch.iter().map(expected).collect())
        .await;
    // A store that failed to answer (not one that answered "missing" or
    // "altered") may be having a blip: ask again before an item is marked
    // as a storage error for good.
    for pause in RETRY_PAUSES {
        let again: Vec<usize> = (0..batch.len())
            .filter(|&i| matches!(results[i], Err(ref e) if e.is_transient()))
            .collect();
        if again.is_empty() {
            break;
        }
        tracing::warn!(
            objects = again.len(),
            "the object store failed to answer; asking again in {} s",
            pause.as_secs()
        );
        tokio::time::sleep(pause).await;
        let retried = state
            .objects
            .verify_batch(again.iter().map(|&i| expected(&batch[i])).collect())
            .await;
        for (i, result) in again.into_iter().zip(retried) {
            results[i] = result;
        }
    }
    batch
        .into_iter()
        .zip(results)
        .map(|(item, result)| (item.position, outcome(&item, result)))
        .collect()
}

fn outcome(item: &PendingItem, result: Result<(), StorageError>) -> ItemOutcome {
    match result {
        Ok(()) => ItemOutcome::Ready,
        Err(StorageError::NotFound(_)) => ItemOutcome::Error {
            code: "object_missing".to_owned(),
            message: "The stored file for this artifact is missing".to_owned(),
        },
        Err(StorageError::ChecksumMismatch { .. }) => ItemOutcome::Error {
            code: "checksum_mismatch".to_owned(),
            message: "The stored file does not match its recorded SHA-256".to_owned(),
        },
        Err(e) => {
            error!(artifact = %item.artifact.id, error = %e, "could not check a stored object");
            ItemOutcome::Error {
                code: "storage_error".to_owned(),
                message: "The stored file could not be read".to_owned(),
            }
        }
    }
}
