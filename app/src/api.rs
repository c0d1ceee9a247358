//! The portal's server functions: thin calls into the `PortalBackend`.

use leptos::prelude::*;

use crate::model::{Account, InviteView, JobPage, JobSummary, PasskeyRow, SearchResults};

#[cfg(feature = "ssr")]
use crate::model::SearchForm;

#[cfg(feature = "ssr")]
use crate::backend::{backend, refused};

#[server]
pub async fn current_account() -> Result<Option<Account>, ServerFnError> {
    backend()?.account().await.map_err(refused)
}

#[server]
pub async fn invite_details(token: String) -> Result<Option<InviteView>, ServerFnError> {
    backend()?.invite(token).await.map_err(refused)
}

#[server]
pub async fn start_enrolment(invite: Option<String>) -> Result<String, ServerFnError> {
    backend()?.start_enrolment(invite).await.map_err(refused)
}

#[server]
pub async fn finish_enrolment(
    invite: Option<String>,
    name: String,
    credential: String,
) -> Result<(), ServerFnError> {
    backend()?
        .finish_enrolment(invite, name, credential)
        .await
        .map_err(refused)
}

#[server]
pub async fn start_sign_in(handle: String) -> Result<String, ServerFnError> {
    backend()?.start_sign_in(handle).await.map_err(refused)
}

#[server]
pub async fn finish_sign_in(credential: String) -> Result<(), ServerFnError> {
    backend()?.finish_sign_in(credential).await.map_err(refused)
}

#[server]
pub async fn sign_out() -> Result<(), ServerFnError> {
    backend()?.sign_out().await.map_err(refused)?;
    leptos_axum::redirect("/sign-in");
    Ok(())
}

#[server]
pub async fn list_passkeys() -> Result<Vec<PasskeyRow>, ServerFnError> {
    backend()?.passkeys().await.map_err(refused)
}

#[server]
pub async fn remove_passkey(id: String) -> Result<(), ServerFnError> {
    backend()?.remove_passkey(id).await.map_err(refused)
}

#[server]
pub async fn search_documents(
    policy_number: String,
    document_type: String,
    from: String,
    to: String,
) -> Result<SearchResults, ServerFnError> {
    let form = SearchForm {
        policy_number,
        document_type,
        from,
        to,
    };
    backend()?.search(form).await.map_err(refused)
}

/// Creates the jobs and sends the browser to the first one (or to the
/// jobs list when the documents span several docks).
#[server]
pub async fn create_jobs(
    policy_number: String,
    document_type: String,
    from: String,
    to: String,
) -> Result<Vec<String>, ServerFnError> {
    let form = SearchForm {
        policy_number,
        document_type,
        from,
        to,
    };
    let ids = backend()?.create_jobs(form).await.map_err(refused)?;
    match ids.as_slice() {
        [one] => leptos_axum::redirect(&format!("/portal/jobs/{one}")),
        _ => leptos_axum::redirect("/portal/jobs"),
    }
    Ok(ids)
}

#[server]
pub async fn list_jobs() -> Result<Vec<JobSummary>, ServerFnError> {
    backend()?.jobs().await.map_err(refused)
}

#[server]
pub async fn job_details(id: String) -> Result<JobPage, ServerFnError> {
    backend()?.job(id).await.map_err(refused)
}

/// The message of a failed server call, without the transport's wording.
pub fn message(error: &ServerFnError) -> String {
    match error {
        ServerFnError::ServerError(message) => message.clone(),
        other => other.to_string(),
    }
}
