//! The backends the Leptos pages call, over the session of the request
//! being served and the same services as the API: the agent's here, the
//! policyholder's and the auditor's beside it.

mod auditor;
mod policyholder;

use app::backend::{Outcome, PortalBackend};
use app::model::{
    Account, FailedItem, FileLink, InviteView, JobPage, JobSummary, PasskeyRow, SearchForm,
    SearchResults,
};
use async_trait::async_trait;
use tower_sessions::Session;

use super::error::{PortalError, PortalResult};
use super::search::{Search, LISTED_ROWS};
use super::session::{self, SignedIn};
use super::{passkeys, views};
use crate::audit::{self, Action, RequestOrigin};
use crate::domain::{JobId, PasskeyId};
use crate::services::retrieval::{self, ResultItem};
use crate::services::{Caller, ServiceError};
use crate::state::AppState;

/// Files listed on a job's page; the zip holds them all.
const LISTED_FILES: i64 = 1000;

pub struct Backend {
    pub state: AppState,
}

/// Where the request being served came from, for the audit trail.
pub(super) fn origin() -> RequestOrigin {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .map(|parts| RequestOrigin::from_parts(&parts))
        .unwrap_or_default()
}

pub(super) async fn request_session() -> PortalResult<Session> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| PortalError::Internal(anyhow::anyhow!("no session layer: {e}")))
}

impl Backend {
    /// Whoever is signed in. A page under a persona's prefix was already
    /// checked by `require_persona`, which left them on the request; server
    /// functions called from the browser look them up from the session.
    pub(super) async fn signed_in(&self) -> PortalResult<SignedIn> {
        let checked = leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<SignedIn>().cloned());
        match checked {
            Some(signed_in) => Ok(signed_in),
            None => {
                let session = request_session().await?;
                session::require(&self.state, &session).await
            }
        }
    }

    /// The signed-in agent; anyone else is refused.
    async fn agent(&self) -> PortalResult<SignedIn> {
        let signed_in = self.signed_in().await?;
        signed_in.agent_user()?;
        Ok(signed_in)
    }

    async fn job_page(&self, agent: SignedIn, id: &str) -> PortalResult<JobPage> {
        let Ok(id) = JobId::parse(id) else {
            return Ok(JobPage::NotFound);
        };
        let caller = Caller::Recipient(agent.recipient);
        let job = match retrieval::job_for(&self.state, &caller, &id).await {
            Ok(job) => job,
            Err(ServiceError::NotFound(_)) => return Ok(JobPage::NotFound),
            Err(e) => return Err(e.into()),
        };
        if job.status != crate::domain::JobStatus::Completed {
            return Ok(found(views::job(&job), Vec::new(), Vec::new(), None));
        }
        let page =
            match retrieval::results(&self.state, &caller, &id, 0, LISTED_FILES, &origin()).await {
                Ok(page) => page,
                Err(ServiceError::ResultsExpired(at)) => {
                    return Ok(JobPage::Expired {
                        id: id.to_string(),
                        expired_at: views::when(at),
                    })
                }
                Err(e) => return Err(e.into()),
            };
        let (mut files, mut failures) = (Vec::new(), Vec::new());
        for item in page.items {
            match item {
                ResultItem::Ready { artifact, url, .. } => files.push(FileLink {
                    size: views::size(artifact.size_bytes),
                    file_name: artifact.file_name,
                    url,
                }),
                ResultItem::Failed {
                    artifact_id,
                    message,
                    ..
                } => failures.push(FailedItem {
                    artifact_id,
                    reason: message,
                }),
            }
        }
        let archive = Some(format!("/portal/jobs/{id}/archive"));
        Ok(found(views::job(&job), files, failures, archive))
    }
}

fn found(
    job: JobSummary,
    files: Vec<FileLink>,
    failures: Vec<FailedItem>,
    archive_url: Option<String>,
) -> JobPage {
    JobPage::Found {
        job,
        files,
        failures,
        archive_url,
    }
}

/// The one place portal errors become what the page shows.
pub(super) fn outcome<T>(result: PortalResult<T>) -> Outcome<T> {
    result.map_err(PortalError::into_refusal)
}

#[async_trait]
impl PortalBackend for Backend {
    async fn account(&self) -> Outcome<Option<Account>> {
        outcome(
            async {
                let session = request_session().await?;
                let signed_in = session::signed_in(&self.state, &session).await?;
                Ok(signed_in.map(views::account))
            }
            .await,
        )
    }

    async fn invite(&self, token: String) -> Outcome<Option<InviteView>> {
        outcome(
            async {
                let invite = self
                    .state
                    .store
                    .invite(&passkeys::invite_hash(&token))
                    .await?;
                let now = self.state.clock.now();
                let Some(invite) = invite.filter(|i| i.used_at.is_none() && now < i.expires_at)
                else {
                    return Ok(None);
                };
                let recipient = self.state.store.recipient(&invite.recipient_id).await?;
                Ok(Some(InviteView {
                    handle: invite.handle,
                    organisation: recipient.map(|r| r.display_name).unwrap_or_default(),
                }))
            }
            .await,
        )
    }

    async fn start_enrolment(&self, invite: Option<String>) -> Outcome<String> {
        outcome(
            async {
                let session = request_session().await?;
                passkeys::start_enrolment(&self.state, &session, invite).await
            }
            .await,
        )
    }

    async fn finish_enrolment(
        &self,
        invite: Option<String>,
        name: String,
        credential: String,
    ) -> Outcome<()> {
        outcome(
            async {
                let session = request_session().await?;
                let origin = origin();
                passkeys::finish_enrolment(
                    &self.state,
                    &session,
                    &origin,
                    invite,
                    &name,
                    &credential,
                )
                .await
            }
            .await,
        )
    }

    async fn start_sign_in(&self, handle: String) -> Outcome<String> {
        outcome(
            async {
                let session = request_session().await?;
                passkeys::start_sign_in(&self.state, &session, &handle).await
            }
            .await,
        )
    }

    async fn finish_sign_in(&self, credential: String) -> Outcome<()> {
        outcome(
            async {
                let session = request_session().await?;
                passkeys::finish_sign_in(&self.state, &session, &origin(), &credential).await
            }
            .await,
        )
    }

    async fn sign_out(&self) -> Outcome<()> {
        outcome(
            async {
                let session = request_session().await?;
                if let Some(signed_in) = session::signed_in(&self.state, &session).await? {
                    let actor = super::audit_actor(&signed_in);
                    let target = signed_in.recipient.id.as_str();
                    audit::record(
                        &self.state,
                        &origin(),
                        &actor,
                        Action::SignOut,
                        target,
                        true,
                    )
                    .await?;
                }
                session::sign_out(&session).await
            }
            .await,
        )
    }

    async fn passkeys(&self) -> Outcome<Vec<PasskeyRow>> {
        outcome(
            async {
                let agent = self.agent().await?;
                let user = agent.agent_user()?;
                let rows = self.state.store.passkeys(&user.id).await?;
                Ok(rows.into_iter().map(views::passkey).collect())
            }
            .await,
        )
    }

    async fn remove_passkey(&self, id: String) -> Outcome<()> {
        outcome(
            async {
                let agent = self.agent().await?;
                let id =
                    PasskeyId::parse(&id).map_err(|e| PortalError::invalid("id", e.to_string()))?;
                let user = agent.agent_user()?;
                if self.state.store.remove_passkey(&user.id, &id).await? {
                    tracing::info!(user = %user.id, passkey = %id, "agent removed a passkey");
                    Ok(())
                } else {
                    Err(PortalError::Refused(
                        "That passkey cannot be removed: it is your last one, or not yours.".into(),
                    ))
                }
            }
            .await,
        )
    }

    async fn search(&self, form: SearchForm) -> Outcome<SearchResults> {
        outcome(
            async {
                let agent = self.agent().await?;
                let search = Search::parse(&form)?;
                let found = search.run(&self.state, &agent, LISTED_ROWS + 1).await?;
                let mut rows: Vec<_> = found.into_iter().flat_map(|(_, rows)| rows).collect();
                rows.sort_by_key(|a| std::cmp::Reverse(a.created_at));
                let truncated = rows.len() as i64 > LISTED_ROWS;
                rows.truncate(LISTED_ROWS as usize);
                Ok(SearchResults {
                    rows: rows.into_iter().map(views::document).collect(),
                    truncated,
                })
            }
            .await,
        )
    }

    async fn create_jobs(&self, form: SearchForm) -> Outcome<Vec<String>> {
        outcome(
            async {
                let agent = self.agent().await?;
                let search = Search::parse(&form)?;
                let ids = search.create_jobs(&self.state, &agent, &origin()).await?;
                Ok(ids.into_iter().map(|id| id.to_string()).collect())
            }
            .await,
        )
    }

    async fn jobs(&self) -> Outcome<Vec<JobSummary>> {
        outcome(
            async {
                let agent = self.agent().await?;
                let caller = Caller::Recipient(agent.recipient);
                let jobs = retrieval::list_jobs(&self.state, &caller, None, 100).await?;
                Ok(jobs.iter().map(views::job).collect())
            }
            .await,
        )
    }

    async fn job(&self, id: String) -> Outcome<JobPage> {
        outcome(
            async {
                let agent = self.agent().await?;
                self.job_page(agent, &id).await
            }
            .await,
        )
    }
}
