//! The bulk download page's search, parsed once from the form's strings,
//! and the jobs that deliver what it finds.

use chrono::{Days, NaiveDate};

use super::error::{PortalError, PortalResult};
use super::session::SignedIn;
use crate::audit::RequestOrigin;
use crate::db::{ArtifactRecord, ArtifactSearch};
use crate::domain::{DockId, JobFilters, JobId, Metadata, Timestamp};
use crate::services::retrieval::{self, CreateJob};
use crate::services::Caller;
use crate::state::AppState;

/// Rows listed on the page; a job is not limited by it.
pub const LISTED_ROWS: i64 = 200;
/// A search with an end date becomes a job over the IDs it found, and a job
/// names at most this many.
const MAX_JOB_IDS: i64 = 1000;

/// A valid search.
#[derive(Debug, Clone)]
pub struct Search {
    pub policy_number: String,
    pub document_type: Option<String>,
    /// Documents created on or after this day.
    pub from: Option<Timestamp>,
    /// Documents created before the day after the `to` day.
    pub until: Option<Timestamp>,
}

impl Search {
    pub fn parse(form: &app::model::SearchForm) -> PortalResult<Self> {
        let policy_number = form.policy_number.trim().to_owned();
        if policy_number.is_empty() || policy_number.len() > 64 {
            return Err(PortalError::invalid(
                "Policy number",
                "enter a policy number of 1 to 64 characters, such as POL-2025-88401",
            ));
        }
        let document_type = Some(form.document_type.trim().to_owned()).filter(|t| !t.is_empty());
        if document_type.as_ref().is_some_and(|t| t.len() > 64) {
            return Err(PortalError::invalid(
                "Document type",
                "at most 64 characters",
            ));
        }
        let from = day("From", &form.from)?;
        let to = day("To", &form.to)?;
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                return Err(PortalError::invalid(
                    "To",
                    "the end date is before the start date",
                ));
            }
        }
        let midnight =
            |d: NaiveDate| Timestamp::from_datetime(d.and_time(Default::default()).and_utc());
        Ok(Self {
            policy_number,
            document_type,
            from: from.map(midnight),
            until: to
                .and_then(|d| d.checked_add_days(Days::new(1)))
                .map(midnight),
        })
    }

    fn filters(&self) -> PortalResult<JobFilters> {
        let mut pairs = vec![("policy_number", self.policy_number.as_str())];
        if let Some(kind) = &self.document_type {
            pairs.push(("document_type", kind.as_str()));
        }
        let metadata = Metadata::from_pairs(pairs)
            .map_err(|e| PortalError::invalid("Policy number", e.to_string()))?;
        Ok(JobFilters {
            metadata: Some(metadata),
            // `sinceTimestamp` is exclusive; the form's start day is not.
            since_timestamp: self.from.map(|at| Timestamp::from_micros(at.micros() - 1)),
            artifact_ids: None,
        })
    }

    /// The visible matches on each of the agent's docks, newest first.
    pub async fn run(
        &self,
        state: &AppState,
        agent: &SignedIn,
        limit: i64,
    ) -> PortalResult<Vec<(DockId, Vec<ArtifactRecord>)>> {
        let query = ArtifactSearch {
            filters: self.filters()?,
            created_before: self.until,
            up_to: state.clock.now(),
        };
        let mut found = Vec::new();
        for dock in state.store.granted_docks(&agent.recipient.id).await? {
            let scopes = state.store.grant_scopes(&agent.recipient.id, &dock).await?;
            if scopes.is_empty() {
                continue;
            }
            let rows = state
                .store
                .search_artifacts(&dock, &scopes, &query, limit)
                .await?;
            if !rows.is_empty() {
                found.push((dock, rows));
            }
        }
        Ok(found)
    }

    /// One job per dock holding matches, through the same service as the
    /// API. Without an end date the job takes the filters themselves, so
    /// it is not limited by what the page listed.
    pub async fn create_jobs(
        &self,
        state: &AppState,
        agent: &SignedIn,
        origin: &RequestOrigin,
    ) -> PortalResult<Vec<JobId>> {
        let found = self.run(state, agent, MAX_JOB_IDS + 1).await?;
        if found.is_empty() {
            return Err(PortalError::invalid(
                "Policy number",
                "no documents match this search",
            ));
        }
        let caller = Caller::Recipient(agent.recipient.clone());
        let mut ids = Vec::new();
        for (dock, rows) in found {
            let filters = match self.until {
                None => self.filters()?,
                Some(_) if rows.len() as i64 > MAX_JOB_IDS => {
                    return Err(PortalError::invalid(
                        "To",
                        format!("over {MAX_JOB_IDS} documents match; narrow the dates"),
                    ))
                }
                Some(_) => JobFilters {
                    artifact_ids: Some(rows.into_iter().map(|a| a.id).collect()),
                    ..JobFilters::default()
                },
            };
            let request = CreateJob {
                dock_id: dock,
                recipient_id: agent.recipient.id.clone(),
                filters,
            };
            let created = retrieval::create_job(state, &caller, request, None, origin).await?;
            ids.push(created.job.id);
        }
        Ok(ids)
    }
}

pub(super) fn day(field: &'static str, raw: &str) -> PortalResult<Option<NaiveDate>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| PortalError::invalid(field, format!("{raw:?} is not a date like 2025-03-31")))
}
