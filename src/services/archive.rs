//! A completed job's files as one streamed zip.

use tracing::info;

use super::retrieval::completed_job;
use super::{Caller, ServiceResult};
use crate::archive::{plan, stream_zip, PlannedError};
use crate::audit::{self, Action, Actor, RequestOrigin};
use crate::db::ItemOutcome;
use crate::domain::JobId;
use crate::state::AppState;
use crate::storage::ByteStream;

const PAGE: i64 = 1000;

/// The zip of the caller's completed job. Items that failed are listed in
/// its manifest.
pub async fn job_archive(
    state: &AppState,
    caller: &Caller,
    id: &JobId,
    origin: &RequestOrigin,
) -> ServiceResult<ByteStream<'static>> {
    let job = completed_job(state, caller, id).await?;
    let (mut ready, mut errors, mut after) = (Vec::new(), Vec::new(), 0);
    loop {
        let rows = state.store.results_page(id, after, PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = last.position;
        for row in rows {
            match (row.outcome, row.artifact) {
                (ItemOutcome::Ready, Some(artifact)) if !artifact.withdrawn => ready.push(artifact),
                (ItemOutcome::Ready, _) => errors.push(PlannedError {
                    artifact_id: row.artifact_id,
                    code: "withdrawn".to_owned(),
                    message: "The artifact was withdrawn after the job completed".to_owned(),
                }),
                (ItemOutcome::Error { code, message }, _) => errors.push(PlannedError {
                    artifact_id: row.artifact_id,
                    code,
                    message,
                }),
            }
        }
    }
    info!(job = %job.id, recipient = %job.recipient_id, files = ready.len(), "archive requested");
    let actor = Actor::of(caller);
    audit::record(
        state,
        origin,
        &actor,
        Action::ArchiveDownloaded,
        id.as_str(),
        true,
    )
    .await?;
    Ok(stream_zip(state.objects.clone(), plan(ready, errors)))
}
