//! What the portal's pages and the server exchange. Values arrive already
//! formatted for display: the pages never parse them again.

use serde::{Deserialize, Serialize};

/// The signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub handle: String,
    pub organisation: String,
    /// `agent`, `policyholder` or `auditor`.
    pub persona: String,
    /// The first page of that persona's part of the portal.
    pub home: String,
}

/// An invite as its landing page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteView {
    pub handle: String,
    pub organisation: String,
}

/// The search form, as typed: the server parses and names any bad field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchForm {
    pub policy_number: String,
    pub document_type: String,
    /// `YYYY-MM-DD`, or empty.
    pub from: String,
    /// `YYYY-MM-DD`, or empty; the whole day is included.
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub artifact_id: String,
    pub file_name: String,
    pub document_type: String,
    pub date: String,
    pub size: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub rows: Vec<DocumentRow>,
    /// More documents matched than are listed; a job still takes them all.
    pub truncated: bool,
}

/// Where a job stands; the live progress bar is fed with this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub ready: i64,
    pub errors: i64,
    pub total: i64,
    pub finished: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSummary {
    pub id: String,
    pub status: String,
    pub description: String,
    pub created_at: String,
    /// When the results stop being available, once completed.
    pub expires_at: Option<String>,
    pub progress: Progress,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLink {
    pub file_name: String,
    pub url: String,
    pub size: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedItem {
    pub artifact_id: String,
    pub reason: String,
}

/// A job's page: its summary and, once completed, what it delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobPage {
    Found {
        job: JobSummary,
        files: Vec<FileLink>,
        failures: Vec<FailedItem>,
        archive_url: Option<String>,
    },
    /// The results were available for a day and are gone now.
    Expired {
        id: String,
        expired_at: String,
    },
    NotFound,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyRow {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
}
