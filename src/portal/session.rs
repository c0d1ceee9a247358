//! What a portal session holds and the rules it lives by: 30 minutes idle,
//! 12 hours in all, a fresh ID at sign-in, nothing left after sign-out.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::error::{PortalError, PortalResult};
use crate::db::{RecipientRecord, UserRecord};
use crate::domain::{Timestamp, UserId};
use crate::state::AppState;

pub const IDLE_TIMEOUT_SECONDS: i64 = 30 * 60;
pub const ABSOLUTE_TIMEOUT_SECONDS: i64 = 12 * 3600;
/// `last_seen` is rewritten at most this often, so reading a page is not
/// a database write every time.
const ACTIVITY_RESOLUTION_SECONDS: i64 = 60;

const ACCOUNT_KEY: &str = "account";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SignedInState {
    user_id: UserId,
    signed_in_at: Timestamp,
    last_seen: Timestamp,
}

/// A signed-in portal user and the recipient they act for.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: UserRecord,
    pub recipient: RecipientRecord,
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
        tracing::info!(user = %account.user_id, "portal session timed out");
        session.flush().await?;
        return Ok(None);
    }
    let Some(user) = state.store.user(&account.user_id).await? else {
        session.flush().await?;
        return Ok(None);
    };
    let Some(recipient) = state.store.recipient(&user.recipient_id).await? else {
        session.flush().await?;
        return Ok(None);
    };
    if now >= account.last_seen.plus_seconds(ACTIVITY_RESOLUTION_SECONDS) {
        account.last_seen = now;
        session.insert(ACCOUNT_KEY, &account).await?;
    }
    tracing::Span::current().record("recipient", recipient.id.as_str());
    Ok(Some(SignedIn { user, recipient }))
}

/// Like `signed_in`, for operations that need someone signed in.
pub async fn require(state: &AppState, session: &Session) -> PortalResult<SignedIn> {
    signed_in(state, session)
        .await?
        .ok_or(PortalError::SignInRequired)
}

/// Starts a signed-in session under a new ID, so that an ID planted before
/// sign-in is worth nothing after it.
pub async fn sign_in(state: &AppState, session: &Session, user: &UserRecord) -> PortalResult<()> {
    let now = state.clock.now();
    session.cycle_id().await?;
    let account = SignedInState {
        user_id: user.id.clone(),
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
