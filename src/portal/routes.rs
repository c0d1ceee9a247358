//! The portal's two routes that are not pages: a job's live progress as
//! server-sent events, and its zip for the signed-in agent.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Extension, Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::Response;
use axum::routing::get;
use futures::Stream;

use super::session::SignedIn;
use super::views;
use crate::api::error::ApiError;
use crate::audit::RequestOrigin;
use crate::domain::JobId;
use crate::server::Routes;
use crate::services::{retrieval, Caller, ServiceError};
use crate::state::AppState;

/// The stream looks at the job when the worker says a job moved on, and
/// at the latest this long after its last look: a job finished by another
/// server sharing the database sends no tick here. The browser is not
/// polling either way: it holds one connection and receives an event only
/// when something changed.
const PROGRESS_FALLBACK: Duration = Duration::from_secs(2);

pub fn router() -> Routes {
    Routes::new()
        .route("/portal/jobs/{id}/events", get(job_events))
        .route("/portal/jobs/{id}/archive", get(job_archive))
}

fn parse_job(raw: &str) -> Result<JobId, ApiError> {
    JobId::parse(raw).map_err(|_| ApiError::from(ServiceError::NotFound("job")))
}

async fn job_events(
    State(state): State<AppState>,
    Extension(agent): Extension<SignedIn>,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let id = parse_job(&id)?;
    let caller = Caller::Recipient(agent.recipient);
    retrieval::job_for(&state, &caller, &id).await?;

    let ticks = state.job_progress.subscribe();
    let stream = futures::stream::unfold(
        (state, caller, id, ticks, None, false),
        |(state, caller, id, mut ticks, last, done)| async move {
            if done {
                return None;
            }
            loop {
                ticks.mark_unchanged();
                let job = match retrieval::job_for(&state, &caller, &id).await {
                    Ok(job) => job,
                    Err(e) => {
                        tracing::warn!(job = %id, error = %e, "progress stream stopped");
                        return None;
                    }
                };
                let progress = views::progress(&job);
                if last != Some(progress) {
                    let data = serde_json::to_string(&progress).unwrap_or_default();
                    let event = Event::default().event("message").data(data);
                    let next = (state, caller, id, ticks, Some(progress), progress.finished);
                    return Some((Ok(event), next));
                }
                // `state` holds the sender, so `changed` cannot fail here.
                let _ = tokio::time::timeout(PROGRESS_FALLBACK, ticks.changed()).await;
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

async fn job_archive(
    State(state): State<AppState>,
    Extension(agent): Extension<SignedIn>,
    origin: RequestOrigin,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_job(&id)?;
    let caller = Caller::Recipient(agent.recipient);
    let body = crate::services::archive::job_archive(&state, &caller, &id, &origin).await?;
    Ok(crate::api::v1::zip_response(&id, body))
}
