//! The WebAuthn ceremonies: enrolling a passkey from an invite or from the
//! settings page, and signing in with one. Each ceremony's state waits in
//! the server-side session, is taken once, and lapses after five minutes.

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tower_sessions::Session;
use webauthn_rs::fake::{FakePasskeyDistribution, WebauthnFakeCredentialGenerator};
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid,
};
use webauthn_rs::{Webauthn, WebauthnBuilder};
use webauthn_rs_proto::{AllowCredentials, ResidentKeyRequirement};

use super::error::{PortalError, PortalResult};
use super::session;
use crate::audit::{self, Action, Actor, RequestOrigin};
use crate::db::{Enrolment, EnrolmentOutcome, NewPasskey, UserRecord};
use crate::domain::{Persona, Timestamp, UserId};
use crate::state::AppState;

const CEREMONY_KEY: &str = "ceremony";
const CEREMONY_LIFETIME_SECONDS: i64 = 5 * 60;
const MAX_PASSKEY_NAME: usize = 60;

/// The relying party, from `DOCYARD_PUBLIC_URL`.
pub struct Passkeys {
    webauthn: Webauthn,
    fakes: WebauthnFakeCredentialGenerator<FakePasskeyDistribution>,
}

impl Passkeys {
    /// `None` when the public URL has no host name: browsers refuse
    /// passkeys on an IP address. A loopback IP is read as `localhost`,
    /// where development happens.
    pub fn from_public_url(public_url: &str, secret: &[u8]) -> anyhow::Result<Option<Self>> {
        let mut origin = Url::parse(public_url)?;
        if matches!(origin.host_str(), Some("127.0.0.1" | "[::1]")) {
            origin
                .set_host(Some("localhost"))
                .map_err(|e| anyhow::anyhow!("cannot use localhost as origin: {e}"))?;
        }
        let Some(rp_id) = origin.domain().map(str::to_owned) else {
            return Ok(None);
        };
        let webauthn = WebauthnBuilder::new(&rp_id, &origin)?
            .rp_name("DocYard")
            .build()?;
        let key = Sha256::new()
            .chain_update(b"docyard fake passkey credentials")
            .chain_update(secret)
            .finalize();
        let fakes = WebauthnFakeCredentialGenerator::new(&key)?;
        Ok(Some(Self { webauthn, fakes }))
    }
}

#[derive(Serialize, Deserialize)]
enum Ceremony {
    Enrol {
        state: PasskeyRegistration,
        webauthn_id: String,
        /// Set when enrolling from an invite; otherwise the user is signed in.
        invite_hash: Option<String>,
        started_at: Timestamp,
    },
    SignIn {
        state: DiscoverableAuthentication,
        /// The user the typed handle named, if any.
        hinted: Option<UserId>,
        started_at: Timestamp,
    },
}

fn passkeys(state: &AppState) -> PortalResult<&Arc<Passkeys>> {
    state
        .passkeys
        .as_ref()
        .ok_or(PortalError::PasskeysUnavailable)
}

pub fn invite_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

pub fn normalise_handle(handle: &str) -> String {
    handle.trim().to_lowercase()
}

fn invite_gone() -> PortalError {
    PortalError::Refused(
        "This invitation link is not valid any more: it was used already or has expired."
            .to_owned(),
    )
}

/// Takes the waiting ceremony out of the session: it can be finished once.
async fn take_ceremony(state: &AppState, session: &Session) -> PortalResult<Ceremony> {
    let expired = || PortalError::Refused("The passkey prompt expired; please start again.".into());
    let ceremony: Ceremony = session.remove(CEREMONY_KEY).await?.ok_or_else(expired)?;
    // Saved now: a failed attempt answers with an error status, and the
    // session layer does not save a session on those.
    session.save().await?;
    let started_at = match &ceremony {
        Ceremony::Enrol { started_at, .. } | Ceremony::SignIn { started_at, .. } => *started_at,
    };
    if state.clock.now() >= started_at.plus_seconds(CEREMONY_LIFETIME_SECONDS) {
        return Err(expired());
    }
    Ok(ceremony)
}

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
            (signed_in.user.handle.clone(), Some(signed_in.user), None)
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
            state
                .store
                .add_passkey(&signed_in.user.id, &new, now)
                .await?;
            tracing::info!(user = %signed_in.user.id, "agent added a passkey");
            let actor = user_actor(&signed_in.user);
            let target = signed_in.user.id.as_str();
            audit::record(state, origin, &actor, Action::PasskeyEnrolled, target, true).await?;
            Ok(())
        }
    }
}

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
fn user_actor(user: &UserRecord) -> Actor {
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
