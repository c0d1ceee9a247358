//! Records turned into what the portal's pages display.

use app::model::{Account, DocumentRow, JobSummary, PasskeyRow, Progress};

use crate::db::{ArtifactRecord, JobRecord, PasskeyRecord};
use crate::domain::{JobStatus, Timestamp};
use crate::services::retrieval::results_expire_at;

pub fn when(at: Timestamp) -> String {
    at.to_datetime().format("%Y-%m-%d %H:%M UTC").to_string()
}

pub fn size(bytes: i64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

pub fn document(artifact: ArtifactRecord) -> DocumentRow {
    DocumentRow {
        document_type: artifact
            .metadata
            .get("document_type")
            .unwrap_or("—")
            .to_owned(),
        date: artifact
            .created_at
            .to_datetime()
            .format("%Y-%m-%d")
            .to_string(),
        size: size(artifact.size_bytes),
        artifact_id: artifact.id.to_string(),
        file_name: artifact.file_name,
    }
}

pub fn progress(job: &JobRecord) -> Progress {
    Progress {
        ready: job.ready_count,
        errors: job.error_count,
        total: job.total_count,
        finished: job.status.is_finished(),
    }
}

fn status(job: &JobRecord) -> String {
    match job.status {
        JobStatus::Pending => "Waiting to start",
        JobStatus::Running => "Collecting documents",
        JobStatus::Completed => "Completed",
        JobStatus::Failed => "Failed",
    }
    .to_owned()
}

/// A job named by what it asked for, as the agent would describe it.
fn description(job: &JobRecord) -> String {
    let filters = &job.filters;
    let metadata = filters.metadata.as_ref();
    match (
        metadata.and_then(|m| m.get("policy_number")),
        &filters.artifact_ids,
    ) {
        (Some(policy), _) => match metadata.and_then(|m| m.get("document_type")) {
            Some(kind) => format!("Policy {policy}, {kind}"),
            None => format!("Policy {policy}"),
        },
        (None, Some(ids)) => format!("{} selected documents", ids.len()),
        (None, None) => "All documents you can access".to_owned(),
    }
}

pub fn job(job: &JobRecord) -> JobSummary {
    JobSummary {
        id: job.id.to_string(),
        status: status(job),
        description: description(job),
        created_at: when(job.created_at),
        expires_at: results_expire_at(job).map(when),
        progress: progress(job),
    }
}

pub fn passkey(record: PasskeyRecord) -> PasskeyRow {
    PasskeyRow {
        id: record.id.to_string(),
        name: record.name,
        created_at: when(record.created_at),
        last_used_at: record.last_used_at.map(when),
    }
}

pub fn account(signed_in: super::session::SignedIn) -> Account {
    let persona = signed_in.persona();
    Account {
        handle: match signed_in.user {
            Some(user) => user.handle,
            None => signed_in.recipient.display_name.clone(),
        },
        organisation: signed_in.recipient.display_name,
        persona: persona.to_string(),
        home: super::home_of(persona).to_owned(),
    }
}
