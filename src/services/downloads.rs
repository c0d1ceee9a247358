//! Turning a signed URL back into the artifact it stands for.

use super::{ServiceError, ServiceResult};
use crate::audit::{self, Action, Actor, RequestOrigin};
use crate::db::ArtifactRecord;
use crate::domain::RecipientId;
use crate::state::AppState;

/// The artifact behind `token`, if the token is genuine, unexpired, and its
/// recipient may still see the artifact.
pub async fn resolve(
    state: &AppState,
    token: &str,
) -> ServiceResult<(ArtifactRecord, RecipientId)> {
    let grant = state
        .signer
        .verify(token, state.clock.now())
        .map_err(ServiceError::LinkRefused)?;
    let artifact = state
        .store
        .artifact(&grant.artifact_id)
        .await?
        .ok_or(ServiceError::NotFound("artifact"))?;
    if !state
        .store
        .artifact_visible_to(&artifact, &grant.recipient_id)
        .await?
    {
        return Err(ServiceError::NotFound("artifact"));
    }
    Ok((artifact, grant.recipient_id))
}

/// Puts a download on the audit trail, as the recipient the link was made for.
pub async fn record_download(
    state: &AppState,
    origin: &RequestOrigin,
    artifact: &ArtifactRecord,
    recipient: &RecipientId,
) -> ServiceResult<()> {
    let persona = state.store.recipient(recipient).await?.map(|r| r.persona);
    let actor = Actor {
        id: recipient.to_string(),
        persona: persona.map_or_else(|| "unknown".to_owned(), |p| p.to_string()),
    };
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
