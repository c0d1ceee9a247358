//! Server functions of the policyholder's and the auditor's pages.

use leptos::prelude::*;

use crate::oversight::{ArtifactMetadataResults, AuditJobs, DockView, PolicyDocuments, Trail};

#[cfg(feature = "ssr")]
use crate::backend::{auditor_backend, policyholder_backend, refused};
#[cfg(feature = "ssr")]
use crate::oversight::{ArtifactQuery, JobQueryForm, TrailQuery};

#[server]
pub async fn request_code(phone: String) -> Result<(), ServerFnError> {
    policyholder_backend()?
        .request_code(phone)
        .await
        .map_err(refused)
}

#[server]
pub async fn verify_code(phone: String, code: String) -> Result<(), ServerFnError> {
    policyholder_backend()?
        .verify_code(phone, code)
        .await
        .map_err(refused)?;
    leptos_axum::redirect("/policy");
    Ok(())
}

#[server]
pub async fn my_documents() -> Result<PolicyDocuments, ServerFnError> {
    policyholder_backend()?.documents().await.map_err(refused)
}

#[server]
pub async fn auditor_sign_in(badge_id: String, nda_sha256: String) -> Result<(), ServerFnError> {
    auditor_backend()?
        .auditor_sign_in(badge_id, nda_sha256)
        .await
        .map_err(refused)?;
    leptos_axum::redirect("/audit");
    Ok(())
}

#[server]
pub async fn audit_docks() -> Result<Vec<DockView>, ServerFnError> {
    auditor_backend()?.docks().await.map_err(refused)
}

#[server]
pub async fn audit_artifacts(
    dock: String,
    policy_number: String,
    document_type: String,
    from: String,
    to: String,
) -> Result<ArtifactMetadataResults, ServerFnError> {
    let query = ArtifactQuery {
        dock,
        policy_number,
        document_type,
        from,
        to,
    };
    auditor_backend()?.artifacts(query).await.map_err(refused)
}

#[server]
pub async fn audited_jobs(
    recipient: String,
    dock: String,
    status: String,
) -> Result<AuditJobs, ServerFnError> {
    let query = JobQueryForm {
        recipient,
        dock,
        status,
    };
    auditor_backend()?.all_jobs(query).await.map_err(refused)
}

#[server]
pub async fn audit_trail(
    actor: String,
    action: String,
    from: String,
    to: String,
) -> Result<Trail, ServerFnError> {
    let query = TrailQuery {
        actor,
        action,
        from,
        to,
    };
    auditor_backend()?.trail(query).await.map_err(refused)
}
