//! Turning a signed URL back into the artifact it stands for.

use super::{ServiceError, ServiceResult};
use crate::audit::{self, Action, Actor, RequestOrigin};
use crate::db::{ArtifactRecord, RecipientRecord};
use crate::domain::Persona;
use crate::state::AppState;

/// The artifact behind `token`, if the token is genuine, unexpired, and its
/// recipient may still see the artifact.
pub async fn resolve(
    state: &AppState,
    token: &str,
) -> ServiceResult<(ArtifactRecord, RecipientRecord)> {
    let grant = state
        .signer
        .verify(token, state.clock.now())
        .map_err(ServiceError::LinkRefused)?;
    let artifact = state
        .store
        .artifact(&grant.artifact_id)
        .await?
        .ok_or(ServiceError::NotFound("artifact"))?;
    let recipient = state
        .store
        .recipient(&grant.recipient_id)
        .await?
        .ok_or(ServiceError::NotFound("artifact"))?;
    // No link is ever made for an auditor; should one exist, it still
    // carries no bytes to them.
    if recipient.persona == Persona::Auditor
        || !state
            .store
            .artifact_visible_to(&artifact, &recipient.id)
            .await?
    {
        return Err(ServiceError::NotFound("artifact"));
    }
    Ok((artifact, recipient))
}

/// Puts a download on the audit trail, as the recipient it is for.
pub async fn record_download(
    state: &AppState,
    origin: &RequestOrigin,
    artifact: &ArtifactRecord,
    recipient: &RecipientRecord,
) -> ServiceResult<()> {
    let actor = Actor::of(&crate::services::Caller::Recipient(recipient.clone()));
    let target = artifact.id.as_str();
    audit::record(
        state,
        origin,
        &actor,
        Action::DocumentDownloaded,
        target,
        true,
    )
    .await?;
    Ok(())
}
