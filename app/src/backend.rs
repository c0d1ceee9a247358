//! The server side the portal's server functions call. The app crate only
//! declares it; the `docyard` server implements it over its services and
//! provides it as context, so that UI code never reaches the database.

use std::sync::Arc;

use async_trait::async_trait;
use leptos::prelude::{use_context, ServerFnError};

use crate::model::{
    Account, InviteView, JobPage, JobSummary, PasskeyRow, SearchForm, SearchResults,
};
use crate::oversight::{
    ArtifactMetadataResults, ArtifactQuery, AuditJobs, DockView, JobQueryForm, PolicyDocuments,
    Trail, TrailQuery,
};

/// A failure already worded for the person at the screen, with the HTTP
/// status the server function answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
    /// Seconds until trying again can work, sent as `Retry-After`.
    pub retry_after: Option<u64>,
}

pub type Outcome<T> = Result<T, Refusal>;

/// The server function's error for `refusal`; its status goes on the
/// response, so that bad input is a 400 and a missing sign-in a 401.
pub fn refused(refusal: Refusal) -> ServerFnError {
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(refusal.status),
    ) {
        response.set_status(status);
        if let Some(seconds) = refusal.retry_after {
            response.insert_header(http::header::RETRY_AFTER, seconds.into());
        }
    }
    ServerFnError::new(refusal.message)
}

/// Every method acts for the session of the request being served.
#[async_trait]
pub trait PortalBackend: Send + Sync + 'static {
    async fn account(&self) -> Outcome<Option<Account>>;

    async fn invite(&self, token: String) -> Outcome<Option<InviteView>>;
    /// WebAuthn creation options (JSON) for the invite's holder, or for the
    /// signed-in user adding a passkey when `invite` is `None`.
    async fn start_enrolment(&self, invite: Option<String>) -> Outcome<String>;
    async fn finish_enrolment(
        &self,
        invite: Option<String>,
        name: String,
        credential: String,
    ) -> Outcome<()>;
    /// WebAuthn request options (JSON); `handle` may be empty.
    async fn start_sign_in(&self, handle: String) -> Outcome<String>;
    async fn finish_sign_in(&self, credential: String) -> Outcome<()>;
    async fn sign_out(&self) -> Outcome<()>;
    async fn passkeys(&self) -> Outcome<Vec<PasskeyRow>>;
    async fn remove_passkey(&self, id: String) -> Outcome<()>;

    async fn search(&self, form: SearchForm) -> Outcome<SearchResults>;
    /// Creates the jobs that deliver what `form` finds; returns their IDs.
    async fn create_jobs(&self, form: SearchForm) -> Outcome<Vec<String>>;
    async fn jobs(&self) -> Outcome<Vec<JobSummary>>;
    async fn job(&self, id: String) -> Outcome<JobPage>;
}

/// What policyholders do: ask for a code, sign in with it, list their
/// documents (each opened through its own URL, one at a time).
#[async_trait]
pub trait PolicyholderBackend: Send + Sync + 'static {
    /// Always answers the same whether the number is registered or not.
    async fn request_code(&self, phone: String) -> Outcome<()>;
    async fn verify_code(&self, phone: String, code: String) -> Outcome<()>;
    async fn documents(&self) -> Outcome<PolicyDocuments>;
}

/// What auditors do: sign in with a badge, and look. Nothing here hands
/// out document bytes or links to them.
#[async_trait]
pub trait AuditorBackend: Send + Sync + 'static {
    async fn auditor_sign_in(&self, badge_id: String, nda_sha256: String) -> Outcome<()>;
    async fn docks(&self) -> Outcome<Vec<DockView>>;
    async fn artifacts(&self, query: ArtifactQuery) -> Outcome<ArtifactMetadataResults>;
    async fn all_jobs(&self, query: JobQueryForm) -> Outcome<AuditJobs>;
    async fn trail(&self, query: TrailQuery) -> Outcome<Trail>;
}

fn provided<T: ?Sized + Send + Sync + 'static>() -> Result<Arc<T>, ServerFnError> {
    use_context::<Arc<T>>()
        .ok_or_else(|| ServerFnError::new("the portal backend is not configured"))
}

/// The backend the server provided for this request.
pub fn backend() -> Result<Arc<dyn PortalBackend>, ServerFnError> {
    provided::<dyn PortalBackend>()
}

pub fn policyholder_backend() -> Result<Arc<dyn PolicyholderBackend>, ServerFnError> {
    provided::<dyn PolicyholderBackend>()
}

pub fn auditor_backend() -> Result<Arc<dyn AuditorBackend>, ServerFnError> {
    provided::<dyn AuditorBackend>()
}
