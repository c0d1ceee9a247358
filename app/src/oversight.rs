//! What the policyholder's and the auditor's pages exchange with the
//! server. Values arrive formatted for display, as in `model`.

use serde::{Deserialize, Serialize};

/// One of the policyholder's own documents, with the two ways to open it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDocument {
    pub artifact_id: String,
    pub file_name: String,
    pub document_type: String,
    pub date: String,
    pub size: String,
    /// Opens in the browser.
    pub view_url: String,
    /// Saves the file.
    pub download_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDocuments {
    pub policy_numbers: Vec<String>,
    pub documents: Vec<PolicyDocument>,
    pub truncated: bool,
}

/// A dock with its totals, as the auditor's overview lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockView {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub artifacts: i64,
    pub withdrawn: i64,
    pub size: String,
}

/// The auditor's artifact search, as typed; every field may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactQuery {
    pub dock: String,
    pub policy_number: String,
    pub document_type: String,
    pub from: String,
    pub to: String,
}

/// An artifact's metadata: everything about it except its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactMetadataRow {
    pub artifact_id: String,
    pub dock: String,
    pub file_name: String,
    pub content_type: String,
    pub size: String,
    pub sha256: String,
    pub metadata: Vec<(String, String)>,
    pub created_at: String,
    pub withdrawn: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactMetadataResults {
    pub rows: Vec<ArtifactMetadataRow>,
    pub truncated: bool,
}

/// The auditor's job filters, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobQueryForm {
    pub recipient: String,
    pub dock: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditJobRow {
    pub id: String,
    pub dock: String,
    pub recipient: String,
    pub status: String,
    /// The job's filters, as JSON.
    pub filters: String,
    pub total: i64,
    pub ready: i64,
    pub errors: i64,
    pub created_at: String,
    pub completed_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditJobs {
    pub rows: Vec<AuditJobRow>,
    /// Sums over every matching job, listed or not.
    pub matching: i64,
    pub total: i64,
    pub ready: i64,
    pub errors: i64,
    pub truncated: bool,
}

/// The audit trail's filters, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailQuery {
    pub actor: String,
    pub action: String,
    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, UTC.
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub persona: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub ip: String,
    pub request_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trail {
    pub rows: Vec<TrailRow>,
    pub truncated: bool,
}
