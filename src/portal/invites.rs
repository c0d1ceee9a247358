//! One-time invitations that let an agent enrol their first passkey.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::passkeys::{invite_hash, normalise_handle};
use crate::domain::{Persona, RecipientId, Timestamp};
use crate::state::AppState;

/// How long an invitation link can be used.
pub const INVITE_LIFETIME_SECONDS: i64 = 72 * 3600;

#[derive(Debug, Clone)]
pub struct Invite {
    pub url: String,
    pub handle: String,
    pub expires_at: Timestamp,
}

/// Creates an invitation for `handle` to sign in as the agent recipient,
/// as a link on `base_url` (the portal's public URL).
pub async fn create_invite(
    state: &AppState,
    recipient: &RecipientId,
    handle: &str,
    base_url: &str,
) -> anyhow::Result<Invite> {
    let handle = normalise_handle(handle);
    anyhow::ensure!(
        !handle.is_empty() && handle.len() <= 254 && !handle.contains(char::is_whitespace),
        "the handle must be an email address or name without spaces, at most 254 characters"
    );
    let found = state
        .store
        .recipient(recipient)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no recipient {recipient}"))?;
    anyhow::ensure!(
        found.persona == Persona::Agent,
        "{recipient} is a {} recipient; only agents sign in with passkeys",
        found.persona
    );
    if let Some(user) = state.store.user_by_handle(&handle).await? {
        anyhow::ensure!(
            &user.recipient_id == recipient,
            "the handle {handle} already belongs to another recipient"
        );
    }
    let token = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let now = state.clock.now();
    let expires_at = now.plus_seconds(INVITE_LIFETIME_SECONDS);
    state
        .store
        .create_invite(&invite_hash(&token), recipient, &handle, expires_at, now)
        .await?;
    tracing::info!(recipient = %recipient, handle, "invitation created");
    Ok(Invite {
        url: format!("{}/invite/{token}", base_url.trim_end_matches('/')),
        handle,
        expires_at,
    })
}
