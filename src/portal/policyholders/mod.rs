//! The policyholder's door: an SMS code to sign in, then their own
//! policy's documents, each opened or saved on its own.

pub mod sign_in;

use app::oversight::{PolicyDocument, PolicyDocuments};
use axum::extract::{Extension, Path, Query, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use axum::routing::get;

use super::error::PortalResult;
use super::session::SignedIn;
use super::views;
use crate::api::error::ApiError;
use crate::api::v1::downloads::{artifact_response, Disposition};
use crate::audit::{self, Action, Actor, RequestOrigin};
use crate::db::{ArtifactRecord, ArtifactSearch};
use crate::domain::{ArtifactId, JobFilters, Persona};
use crate::server::Routes;
use crate::services::{Caller, ServiceError};
use crate::state::AppState;

/// Documents listed on the page, newest first.
const LISTED_DOCUMENTS: i64 = 500;

pub fn router() -> Routes {
    Routes::new().route("/policy/documents/{id}", get(document))
}

/// The signed-in policyholder's documents, across every dock they hold a
/// grant on.
pub async fn documents(state: &AppState, signed_in: &SignedIn) -> PortalResult<PolicyDocuments> {
    signed_in.require_persona(Persona::Policyholder)?;
    let recipient = &signed_in.recipient.id;
    let search = ArtifactSearch {
        filters: JobFilters::default(),
        created_before: None,
        up_to: state.clock.now(),
    };
    let (mut found, mut policy_numbers) = (Vec::new(), Vec::new());
    for dock in state.store.granted_docks(recipient).await? {
        let scopes = state.store.grant_scopes(recipient, &dock).await?;
        if scopes.is_empty() {
            continue;
        }
        policy_numbers.extend(
            scopes
                .iter()
                .filter_map(|s| s.get("policy_number").map(str::to_owned)),
        );
        let rows = state
            .store
            .search_artifacts(&dock, &scopes, &search, LISTED_DOCUMENTS + 1)
            .await?;
        found.extend(rows);
    }
    found.sort_by_key(|a| std::cmp::Reverse(a.created_at));
    let truncated = found.len() as i64 > LISTED_DOCUMENTS;
    found.truncate(LISTED_DOCUMENTS as usize);
    policy_numbers.sort();
    policy_numbers.dedup();
    Ok(PolicyDocuments {
        policy_numbers,
        documents: found.into_iter().map(document_row).collect(),
        truncated,
    })
}

fn document_row(artifact: ArtifactRecord) -> PolicyDocument {
    let view_url = format!("/policy/documents/{}", artifact.id);
    let download_url = format!("{view_url}?download=1");
    let row = views::document(artifact);
    PolicyDocument {
        artifact_id: row.artifact_id,
        file_name: row.file_name,
        document_type: row.document_type,
        date: row.date,
        size: row.size,
        view_url,
        download_url,
    }
}

#[derive(Debug, serde::Deserialize)]
struct DocumentParams {
    #[serde(default)]
    download: Option<String>,
}

/// One document's bytes, inline or as a download. Anything the
/// policyholder's grant does not cover reads as not found.
async fn document(
    State(state): State<AppState>,
    Extension(signed_in): Extension<SignedIn>,
    origin: RequestOrigin,
    Path(id): Path<String>,
    Query(params): Query<DocumentParams>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::from(ServiceError::NotFound("document"));
    let id = ArtifactId::parse(&id).map_err(|_| not_found())?;
    let artifact = state
        .store
        .artifact(&id)
        .await
        .map_err(ServiceError::from)?
        .ok_or_else(not_found)?;
    let recipient = &signed_in.recipient;
    if recipient.persona != Persona::Policyholder
        || !state
            .store
            .artifact_visible_to(&artifact, &recipient.id)
            .await
            .map_err(ServiceError::from)?
    {
        return Err(not_found());
    }
    if method == Method::GET {
        let actor = Actor::of(&Caller::Recipient(recipient.clone()));
        audit::record(
            &state,
            &origin,
            &actor,
            Action::DocumentDownloaded,
            artifact.id.as_str(),
            true,
        )
        .await
        .map_err(ServiceError::from)?;
    }
    let disposition = match params.download.as_deref() {
        Some("1" | "true") => Disposition::Attachment,
        _ => Disposition::Inline,
    };
    artifact_response(&state, &artifact, &method, &headers, disposition).await
}
