//! Signing in with a passkey, discoverable or named by handle.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use tower_sessions::Session;
use webauthn_rs::prelude::{Passkey, PublicKeyCredential};
use webauthn_rs_proto::AllowCredentials;

use super::{normalise_handle, passkeys, take_ceremony, Ceremony, CEREMONY_KEY};
use crate::audit::{self, Action, Actor, RequestOrigin};
use crate::db::UserRecord;
use crate::domain::{Persona, UserId};
use crate::portal::error::{PortalError, PortalResult};
use crate::portal::session;
use crate::state::AppState;

pub async fn start_sign_in(
    state: &AppState,
    session: &Session,
    handle: &str,
) -> PortalResult<String> {
    let passkeys = passkeys(state)?;
    let handle = normalise_handle(handle);
    let (mut options, authentication) = passkeys
        .webauthn
        .start_discoverable_authentication()
        .map_err(anyhow::Error::from)?;
    let mut hinted = None;
    if !handle.is_empty() {
        // A known and an unknown handle cost the same queries and answer
        // with credential IDs alike: fakes derived from the handle.
        let user = state.store.user_by_handle(&handle).await?;
        let owner = user
            .as_ref()
            .map_or_else(UserId::generate, |u| u.id.clone());
        let stored = state.store.passkeys(&owner).await?;
        let ids = if stored.is_empty() {
            passkeys
                .fakes
                .generate(handle.as_bytes())
                .map_err(anyhow::Error::from)?
        } else {
            stored
                .iter()
                .filter_map(|p| URL_SAFE_NO_PAD.decode(&p.credential_id).ok())
                .collect()
        };
        options.public_key.allow_credentials = ids
            .into_iter()
            .map(|id| AllowCredentials {
                type_: "public-key".to_owned(),
                id,
                transports: None,
            })
            .collect();
        hinted = user.map(|u| u.id);
    }
    let ceremony = Ceremony::SignIn {
        state: authentication,
        hinted,
        started_at: state.clock.now(),
    };
    session.insert(CEREMONY_KEY, &ceremony).await?;
    serde_json::to_string(&options).map_err(|e| anyhow::Error::from(e).into())
}

/// Signs in with a passkey assertion; success and failure both go on the
/// audit trail.
pub async fn finish_sign_in(
    state: &AppState,
    session: &Session,
    origin: &RequestOrigin,
    credential: &str,
) -> PortalResult<()> {
    let outcome = verify_sign_in(state, session, credential).await;
    let (actor, action, target) = match &outcome {
        Ok(user) => (user_actor(user), Action::SignIn, user.id.to_string()),
        Err(_) => (
            Actor::anonymous("passkey"),
            Action::SignInFailed,
            "portal".to_owned(),
        ),
    };
    audit::record(state, origin, &actor, action, &target, outcome.is_ok()).await?;
    let user = outcome?;
    session::sign_in(state, session, &user).await?;
    tracing::info!(user = %user.id, recipient = %user.recipient_id, "agent signed in");
    Ok(())
}

async fn verify_sign_in(
    state: &AppState,
    session: &Session,
    credential: &str,
) -> PortalResult<UserRecord> {
    let passkeys = passkeys(state)?;
    let Ceremony::SignIn {
        state: authentication,
        hinted,
        ..
    } = take_ceremony(state, session).await?
    else {
        return Err(PortalError::SignInFailed);
    };
    let credential: PublicKeyCredential =
        serde_json::from_str(credential).map_err(|_| PortalError::SignInFailed)?;
    let refuse = |why: &str| {
        tracing::info!(reason = why, "a passkey sign-in was refused");
        PortalError::SignInFailed
    };
    let (webauthn_id, credential_id) = passkeys
        .webauthn
        .identify_discoverable_authentication(&credential)
        .map_err(|_| refuse("the credential names no user"))?;
    let user = state
        .store
        .user_by_webauthn_id(&webauthn_id.to_string())
        .await?
        .ok_or_else(|| refuse("unknown user handle"))?;
    let stored = state
        .store
        .passkey_by_credential(&URL_SAFE_NO_PAD.encode(credential_id))
        .await?
        .filter(|p| p.user_id == user.id)
        .ok_or_else(|| refuse("unknown credential"))?;
    if hinted.as_ref().is_some_and(|h| h != &user.id) {
        return Err(refuse("the passkey belongs to another handle"));
    }
    let mut passkey: Passkey =
        serde_json::from_str(&stored.passkey_json).map_err(anyhow::Error::from)?;
    let result = passkeys
        .webauthn
        .finish_discoverable_authentication_v2(&credential, authentication, &passkey)
        .map_err(|e| refuse(&e.to_string()))?;
    passkey.update_credential(&result);
    let json = serde_json::to_string(&passkey).map_err(anyhow::Error::from)?;
    state
        .store
        .passkey_used(&stored.id, &json, state.clock.now())
        .await?;
    ensure_agent(state, &user).await?;
    Ok(user)
}

/// Portal users act for their recipient; the trail names the recipient.
pub(super) fn user_actor(user: &UserRecord) -> Actor {
    Actor {
        id: user.recipient_id.to_string(),
        persona: Persona::Agent.to_string(),
    }
}

/// Passkey accounts are for agents; any other persona is refused here too.
async fn ensure_agent(state: &AppState, user: &UserRecord) -> PortalResult<()> {
    match state.store.recipient(&user.recipient_id).await? {
        Some(r) if r.persona == Persona::Agent => Ok(()),
        _ => Err(PortalError::SignInFailed),
    }
}
