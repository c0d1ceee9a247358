//! What a portal session holds and the rules it lives by: 30 minutes idle,
//! 12 hours in all, a fresh ID at sign-in, nothing left after sign-out.
//! Agents sign in as portal users (with passkeys); policyholders and
//! auditors sign in as their recipient directly.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::error::{PortalError, PortalResult};
use crate::db::{RecipientRecord, UserRecord};
use crate::domain::{Persona, RecipientId, Timestamp, UserId};
use crate::state::AppState;

pub const IDLE_TIMEOUT_SECONDS: i64 = 30 * 60;
pub const ABSOLUTE_TIMEOUT_SECONDS: i64 = 12 * 3600;
/// `last_seen` is rewritten at most this often, so reading a page is not
/// a database write every time.
const ACTIVITY_RESOLUTION_SECONDS: i64 = 60;

const ACCOUNT_KEY: &str = "signed_in";

/// Who the session speaks for.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Principal {
    User(UserId),
    Recipient(RecipientId),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SignedInState {
    principal: Principal,
    signed_in_at: Timestamp,
    last_seen: Timestamp,
}

/// Someone signed in to the portal: the recipient they act for and, for an
/// agent, the portal user holding the passkeys.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub recipient: RecipientRecord,
    pub user: Option<UserRecord>,
}

impl SignedIn {
    pub fn persona(&self) -> Persona {
        self.recipient.persona
    }

    /// The signed-in agent's portal user; anyone else is refused.
    pub fn agent_user(&self) -> PortalResult<&UserRecord> {
        match &self.user {
            Some(user) if self.persona() == Persona::Agent => Ok(user),
            _ => Err(PortalError::WrongPersona {
                needed: Persona::Agent,
                signed_in_as: self.persona(),
            }),
        }
    }

    /// Refuses anyone but `persona`.
    pub fn require_persona(&self, persona: Persona) -> PortalResult<()> {
        if self.persona() == persona {
            return Ok(());
        }
        Err(PortalError::WrongPersona {
            needed: persona,
            signed_in_as: self.persona(),
        })
    }
}

/// The session's user, if it is signed in and has not timed out.
pub async fn signed_in(state: &AppState, session: &Session) -> PortalResult<Option<SignedIn>> {
    let Some(mut account) = session.get::<SignedInState>(ACCOUNT_KEY).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    let idle_limit = account.last_seen.plus_seconds(IDLE_TIMEOUT_SECONDS);
    let absolute_limit = account.signed_in_at.plus_seconds(ABSOLUTE_TIMEOUT_SECONDS);
    if now >= idle_limit || now >= absolute_limit {
        tracing::info!(principal = ?account.principal, "portal session timed out");
        session.flush().await?;
        return Ok(None);
    }
    let (recipient_id, user) = match &account.principal {
        Principal::User(id) => match state.store.user(id).await? {
            Some(user) => (user.recipient_id.clone(), Some(user)),
            None => {
                session.flush().await?;
                return Ok(None);
            }
        },
        Principal::Recipient(id) => (id.clone(), None),
    };
    let Some(recipient) = state.store.recipient(&recipient_id).await? else {
        session.flush().await?;
        return Ok(None);
    };
    if now >= account.last_seen.plus_seconds(ACTIVITY_RESOLUTION_SECONDS) {
        account.last_seen = now;
        session.insert(ACCOUNT_KEY, &account).await?;
    }
    tracing::Span::current().record("recipient", recipient.id.as_str());
    Ok(Some(SignedIn { recipient, user }))
}

/// Like `signed_in`, for operations that need someone signed in.
pub async fn require(state: &AppState, session: &Session) -> PortalResult<SignedIn> {
    signed_in(state, session)
        .await?
        .ok_or(PortalError::SignInRequired)
}

/// Starts an agent's signed-in session under a new ID, so that an ID
/// planted before sign-in is worth nothing after it.
pub async fn sign_in(state: &AppState, session: &Session, user: &UserRecord) -> PortalResult<()> {
    start(state, session, Principal::User(user.id.clone())).await
}

/// Starts a policyholder's or auditor's session, like `sign_in`.
pub async fn sign_in_recipient(
    state: &AppState,
    session: &Session,
    recipient: &RecipientId,
) -> PortalResult<()> {
    start(state, session, Principal::Recipient(recipient.clone())).await
}

async fn start(state: &AppState, session: &Session, principal: Principal) -> PortalResult<()> {
    let now = state.clock.now();
    session.cycle_id().await?;
    let account = SignedInState {
        principal,
        signed_in_at: now,
        last_seen: now,
    };
    session.insert(ACCOUNT_KEY, &account).await?;
    Ok(())
}

/// Deletes the session from the store, not just the cookie.
pub async fn sign_out(session: &Session) -> PortalResult<()> {
    session.flush().await?;
    Ok(())
}
