//! The auditor's four views, each parsed from its form once, answered from
//! the store, and recorded as an `auditor_view`.

use app::oversight::{
    ArtifactMetadataResults, ArtifactMetadataRow, ArtifactQuery, AuditJobRow, AuditJobs, DockView,
    JobQueryForm, Trail, TrailQuery, TrailRow,
};
use chrono::{NaiveDate, NaiveDateTime};

use crate::audit::{self, Action, Actor, RequestOrigin};
use crate::db::{ArtifactRecord, ArtifactSearch, AuditQuery, JobQuery};
use crate::domain::{DockId, JobFilters, JobStatus, Metadata, Persona, RecipientId, Timestamp};
use crate::portal::error::{PortalError, PortalResult};
use crate::portal::search::day;
use crate::portal::session::SignedIn;
use crate::portal::views::{size, when};
use crate::state::AppState;

const LISTED_ARTIFACTS: i64 = 200;
const LISTED_JOBS: i64 = 200;
const LISTED_RECORDS: i64 = 500;

async fn record_view(
    state: &AppState,
    origin: &RequestOrigin,
    auditor: &SignedIn,
    target: String,
) -> PortalResult<()> {
    auditor.require_persona(Persona::Auditor)?;
    let actor = Actor {
        id: auditor.recipient.id.to_string(),
        persona: Persona::Auditor.to_string(),
    };
    audit::record(state, origin, &actor, Action::AuditorView, &target, true).await?;
    Ok(())
}

fn optional(raw: &str) -> Option<&str> {
    Some(raw.trim()).filter(|s| !s.is_empty())
}

fn dock_id(raw: &str) -> PortalResult<Option<DockId>> {
    optional(raw)
        .map(|raw| DockId::parse(raw).map_err(|e| PortalError::invalid("Dock ID", e.to_string())))
        .transpose()
}

pub async fn docks(
    state: &AppState,
    origin: &RequestOrigin,
    auditor: &SignedIn,
) -> PortalResult<Vec<DockView>> {
    auditor.require_persona(Persona::Auditor)?;
    let totals = state.store.dock_totals().await?;
    record_view(state, origin, auditor, "docks".into()).await?;
    Ok(totals
        .into_iter()
        .map(|t| DockView {
            id: t.dock.id.to_string(),
            name: t.dock.name,
            created_at: when(t.dock.created_at),
            artifacts: t.artifacts,
            withdrawn: t.withdrawn,
            size: size(t.bytes),
        })
        .collect())
}

pub async fn artifacts(
    state: &AppState,
    origin: &RequestOrigin,
    auditor: &SignedIn,
    form: &ArtifactQuery,
) -> PortalResult<ArtifactMetadataResults> {
    auditor.require_persona(Persona::Auditor)?;
    let dock = dock_id(&form.dock)?;
    let mut pairs = Vec::new();
    if let Some(policy) = optional(&form.policy_number) {
        pairs.push(("policy_number", policy));
    }
    if let Some(kind) = optional(&form.document_type) {
        pairs.push(("document_type", kind));
    }
    let metadata = Metadata::from_pairs(pairs.iter().copied())
        .map_err(|e| PortalError::invalid("Policy number", e.to_string()))?;
    let midnight =
        |d: NaiveDate| Timestamp::from_datetime(d.and_time(Default::default()).and_utc());
    let from = day("From", &form.from)?.map(midnight);
    let until = day("To", &form.to)?
        .and_then(|d| d.succ_opt())
        .map(midnight);
    let search = ArtifactSearch {
        filters: JobFilters {
            metadata: (!pairs.is_empty()).then_some(metadata),
            since_timestamp: from.map(|at| Timestamp::from_micros(at.micros() - 1)),
            artifact_ids: None,
        },
        created_before: until,
        up_to: state.clock.now(),
    };
    let docks = match dock {
        Some(dock) => match state.store.dock(&dock).await? {
            Some(_) => vec![dock],
            None => return Err(PortalError::invalid("Dock ID", "there is no such dock")),
        },
        None => state
            .store
            .list_docks()
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect(),
    };
    // An empty scope is the whole dock: auditors see every artifact's metadata.
    let everything = [Metadata::default()];
    let mut rows = Vec::new();
    for dock in docks {
        let found = state
            .store
            .search_artifacts(&dock, &everything, &search, LISTED_ARTIFACTS + 1)
            .await?;
        rows.extend(found);
    }
    rows.sort_by_key(|a| std::cmp::Reverse(a.created_at));
    let truncated = rows.len() as i64 > LISTED_ARTIFACTS;
    rows.truncate(LISTED_ARTIFACTS as usize);
    let target = format!(
        "artifacts dock={} policy_number={} document_type={} from={} to={}",
        form.dock.trim(),
        form.policy_number.trim(),
        form.document_type.trim(),
        form.from.trim(),
        form.to.trim()
    );
    record_view(state, origin, auditor, target).await?;
    Ok(ArtifactMetadataResults {
        rows: rows.into_iter().map(metadata_row).collect(),
        truncated,
    })
}

fn metadata_row(a: ArtifactRecord) -> ArtifactMetadataRow {
    ArtifactMetadataRow {
        artifact_id: a.id.to_string(),
        dock: a.dock_id.to_string(),
        metadata: a
            .metadata
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        file_name: a.file_name,
        content_type: a.content_type,
        size: size(a.size_bytes),
        sha256: a.sha256,
        created_at: when(a.created_at),
        withdrawn: a.withdrawn,
    }
}

pub async fn jobs(
    state: &AppState,
    origin: &RequestOrigin,
    auditor: &SignedIn,
    form: &JobQueryForm,
) -> PortalResult<AuditJobs> {
    auditor.require_persona(Persona::Auditor)?;
    let recipient = optional(&form.recipient)
        .map(|raw| {
            RecipientId::parse(raw).map_err(|e| PortalError::invalid("Recipient ID", e.to_string()))
        })
        .transpose()?;
    let status = optional(&form.status)
        .map(|raw| {
            raw.parse::<JobStatus>().map_err(|_| {
                PortalError::invalid("Status", "use PENDING, RUNNING, COMPLETED or FAILED")
            })
        })
        .transpose()?;
    let query = JobQuery {
        recipient,
        dock: dock_id(&form.dock)?,
        status,
    };
    let found = state.store.all_jobs(&query, LISTED_JOBS).await?;
    let totals = state.store.job_totals(&query).await?;
    let truncated = totals.jobs > found.len() as i64;
    let target = format!(
        "jobs recipient={} dock={} status={}",
        form.recipient.trim(),
        form.dock.trim(),
        form.status.trim()
    );
    record_view(state, origin, auditor, target).await?;
    let rows: Vec<AuditJobRow> = found
        .into_iter()
        .map(|j| AuditJobRow {
            id: j.id.to_string(),
            dock: j.dock_id.to_string(),
            recipient: j.recipient_id.to_string(),
            status: j.status.to_string(),
            filters: serde_json::to_string(&j.filters).unwrap_or_default(),
            total: j.total_count,
            ready: j.ready_count,
            errors: j.error_count,
            created_at: when(j.created_at),
            completed_at: j.completed_at.map(when),
        })
        .collect();
    Ok(AuditJobs {
        matching: totals.jobs,
        total: totals.documents,
        ready: totals.ready,
        errors: totals.errors,
        rows,
        truncated,
    })
}

/// `YYYY-MM-DD` (midnight) or `YYYY-MM-DDTHH:MM[:SS]`, read as UTC.
fn instant(field: &'static str, raw: &str) -> PortalResult<Option<Timestamp>> {
    let Some(raw) = optional(raw) else {
        return Ok(None);
    };
    let parsed = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d").map(|d| d.and_time(Default::default()))
        })
        .map_err(|_| {
            PortalError::invalid(
                field,
                format!("{raw:?} is not a time like 2025-03-31T14:00"),
            )
        })?;
    Ok(Some(Timestamp::from_datetime(parsed.and_utc())))
}

pub async fn trail(
    state: &AppState,
    origin: &RequestOrigin,
    auditor: &SignedIn,
    form: &TrailQuery,
) -> PortalResult<Trail> {
    auditor.require_persona(Persona::Auditor)?;
    let text = |field: &'static str, raw: &str| -> PortalResult<Option<String>> {
        match optional(raw) {
            Some(v) if v.len() > 200 => Err(PortalError::invalid(field, "at most 200 characters")),
            other => Ok(other.map(str::to_owned)),
        }
    };
    let query = AuditQuery {
        actor: text("Actor", &form.actor)?,
        action: text("Action", &form.action)?,
        from: instant("From", &form.from)?,
        until: instant("Until", &form.to)?,
    };
    if let (Some(from), Some(until)) = (query.from, query.until) {
        if from >= until {
            return Err(PortalError::invalid("Until", "must be after From"));
        }
    }
    // Recorded first, so the view shows itself: the trail hides nothing,
    // not even the looking.
    let target = format!(
        "trail actor={} action={} from={} to={}",
        form.actor.trim(),
        form.action.trim(),
        form.from.trim(),
        form.to.trim()
    );
    record_view(state, origin, auditor, target).await?;
    let mut records = state
        .store
        .search_audit_events(&query, LISTED_RECORDS + 1)
        .await?;
    let truncated = records.len() as i64 > LISTED_RECORDS;
    records.truncate(LISTED_RECORDS as usize);
    Ok(Trail {
        rows: records
            .into_iter()
            .map(|r| TrailRow {
                seq: r.seq,
                at: r
                    .event
                    .at
                    .to_datetime()
                    .format("%Y-%m-%d %H:%M:%S UTC")
                    .to_string(),
                actor: r.event.actor,
                persona: r.event.persona,
                action: r.event.action,
                target: r.event.target,
                outcome: r.event.outcome,
                ip: r.event.ip.unwrap_or_default(),
                request_id: r.event.request_id.unwrap_or_default(),
            })
            .collect(),
        truncated,
    })
}
