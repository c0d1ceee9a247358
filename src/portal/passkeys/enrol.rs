//! Enrolling a passkey: from an invite, or a second one from settings.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use tower_sessions::Session;
use webauthn_rs::prelude::{RegisterPublicKeyCredential, Uuid};
use webauthn_rs_proto::ResidentKeyRequirement;

use super::sign_in::user_actor;
use super::{
    invite_gone, invite_hash, passkeys, take_ceremony, Ceremony, CEREMONY_KEY, MAX_PASSKEY_NAME,
};
use crate::audit::{self, Action, RequestOrigin};
use crate::db::{Enrolment, EnrolmentOutcome, NewPasskey};
use crate::portal::error::{PortalError, PortalResult};
use crate::portal::session;
use crate::state::AppState;

pub async fn start_enrolment(
    state: &AppState,
    session: &Session,
    invite: Option<String>,
) -> PortalResult<String> {
    let passkeys = passkeys(state)?;
    let (handle, existing, invite_hash) = match invite {
        Some(token) => {
            let hash = invite_hash(&token);
            let invite = state.store.invite(&hash).await?.ok_or_else(invite_gone)?;
            if invite.used_at.is_some() || state.clock.now() >= invite.expires_at {
                return Err(invite_gone());
            }
            let existing = state.store.user_by_handle(&invite.handle).await?;
            (invite.handle, existing, Some(hash))
        }
        None => {
            let signed_in = session::require(state, session).await?;
            let user = signed_in.agent_user()?.clone();
            (user.handle.clone(), Some(user), None)
        }
    };
    let (webauthn_id, exclude) = match &existing {
        Some(user) => {
            let creds = state.store.passkeys(&user.id).await?;
            let ids = creds
                .iter()
                .filter_map(|p| URL_SAFE_NO_PAD.decode(&p.credential_id).ok())
                .collect::<Vec<_>>();
            (user.webauthn_id.clone(), Some(ids))
        }
        None => (Uuid::new_v4().to_string(), None),
    };
    let uuid = Uuid::parse_str(&webauthn_id).map_err(anyhow::Error::from)?;
    let (mut options, registration) = passkeys
        .webauthn
        .start_passkey_registration(uuid, &handle, &handle, exclude)
        .map_err(anyhow::Error::from)?;
    // Signing in without typing a name needs a discoverable credential;
    // webauthn-rs only prefers one by default.
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Required);
        selection.require_resident_key = true;
    }
    let ceremony = Ceremony::Enrol {
        state: registration,
        webauthn_id,
        invite_hash,
        started_at: state.clock.now(),
    };
    session.insert(CEREMONY_KEY, &ceremony).await?;
    serde_json::to_string(&options).map_err(|e| anyhow::Error::from(e).into())
}

pub async fn finish_enrolment(
    state: &AppState,
    session: &Session,
    origin: &RequestOrigin,
    invite: Option<String>,
    name: &str,
    credential: &str,
) -> PortalResult<()> {
    let passkeys = passkeys(state)?;
    if invite.is_none() {
        // Without an invite, only a signed-in agent adds a passkey; say so
        // before looking at anything they sent.
        session::require(state, session).await?.agent_user()?;
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_PASSKEY_NAME {
        return Err(PortalError::invalid(
            "Passkey name",
            format!("give the passkey a name of 1 to {MAX_PASSKEY_NAME} characters"),
        ));
    }
    let Ceremony::Enrol {
        state: registration,
        webauthn_id,
        invite_hash: expected_invite,
        ..
    } = take_ceremony(state, session).await?
    else {
        return Err(PortalError::Refused(
            "No passkey creation is in progress.".into(),
        ));
    };
    if expected_invite != invite.as_deref().map(invite_hash) {
        return Err(invite_gone());
    }
    let credential: RegisterPublicKeyCredential = serde_json::from_str(credential)
        .map_err(|_| PortalError::invalid("credential", "is not a WebAuthn credential"))?;
    let passkey = passkeys
        .webauthn
        .finish_passkey_registration(&credential, &registration)
        .map_err(|e| {
            tracing::info!(error = %e, "a passkey registration was refused");
            PortalError::Refused("The passkey could not be verified; please try again.".into())
        })?;
    let new = NewPasskey {
        credential_id: URL_SAFE_NO_PAD.encode(passkey.cred_id()),
        name: name.to_owned(),
        passkey_json: serde_json::to_string(&passkey).map_err(anyhow::Error::from)?,
    };
    let now = state.clock.now();
    match expected_invite {
        Some(token_hash) => {
            let enrolment = Enrolment {
                token_hash,
                webauthn_id,
                passkey: new,
            };
            match state.store.enrol(&enrolment, now).await? {
                EnrolmentOutcome::Enrolled(user) => {
                    tracing::info!(user = %user.id, "agent enrolled a passkey from an invite");
                    let actor = user_actor(&user);
                    let target = user.id.as_str();
                    audit::record(state, origin, &actor, Action::PasskeyEnrolled, target, true)
                        .await?;
                    session::sign_in(state, session, &user).await
                }
                EnrolmentOutcome::InviteNotUsable => Err(invite_gone()),
            }
        }
        None => {
            let signed_in = session::require(state, session).await?;
            let user = signed_in.agent_user()?;
            state.store.add_passkey(&user.id, &new, now).await?;
            tracing::info!(user = %user.id, "agent added a passkey");
            let actor = user_actor(user);
            let target = user.id.as_str();
            audit::record(state, origin, &actor, Action::PasskeyEnrolled, target, true).await?;
            Ok(())
        }
    }
}
