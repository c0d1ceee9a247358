//! An auditor's sign-in: badge ID and the SHA-256 of their signed NDA,
//! both registered by an admin (`docyard auditor add`).

use tower_sessions::Session;

use crate::audit::{self, Action, Actor, RequestOrigin};
use crate::db::{AuditorRecord, BadgeLock};
use crate::domain::{BadgeId, NdaHash, Persona};
use crate::portal::error::{PortalError, PortalResult};
use crate::portal::limits::{network_of, wait_for};
use crate::portal::session;
use crate::state::AppState;

/// Five failures, each within 15 minutes of the one before, lock a badge
/// for 15 minutes.
pub const BADGE_LOCK: BadgeLock = BadgeLock {
    after_failures: 5,
    seconds: 15 * 60,
};

/// Compared against when the badge is unknown, so that an unknown badge
/// costs the same comparison as a known one.
const NO_SUCH_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The same words for a wrong badge, a wrong hash and a locked badge:
/// which one it was would tell a guesser too much.
fn refused() -> PortalError {
    PortalError::Refused(
        "The badge ID and NDA hash do not match, or the badge is locked for 15 minutes after \
         repeated failures."
            .into(),
    )
}

/// Counts a failure against a badge nobody holds: a write that changes
/// nothing.
async fn count_nothing(state: &AppState, now: crate::domain::Timestamp) -> PortalResult<()> {
    let nobody = crate::domain::RecipientId::generate();
    state
        .store
        .auditor_sign_in_failed(&nobody, &BADGE_LOCK, now)
        .await?;
    Ok(())
}

/// Who a try is recorded as: the badge's auditor, so that the trail shows
/// whose badge was tried, or the badge as typed when nobody holds it.
fn actor_for(badge: &BadgeId, auditor: Option<&AuditorRecord>) -> Actor {
    match auditor {
        Some(auditor) => Actor {
            id: auditor.recipient_id.to_string(),
            persona: Persona::Auditor.to_string(),
        },
        None => Actor::anonymous(badge.as_str()),
    }
}

pub async fn sign_in(
    state: &AppState,
    session: &Session,
    origin: &RequestOrigin,
    raw_badge: &str,
    raw_nda: &str,
) -> PortalResult<()> {
    let badge =
        BadgeId::parse(raw_badge).map_err(|e| PortalError::invalid("Badge ID", e.to_string()))?;
    let nda = NdaHash::parse(raw_nda)
        .map_err(|e| PortalError::invalid("SHA-256 of your signed NDA", e.to_string()))?;
    let auditor = state.store.auditor_by_badge(&badge).await?;
    let actor = actor_for(&badge, auditor.as_ref());
    let ip = network_of(origin.ip);
    if let Some(retry_after) = wait_for(&state.sign_in_limits.attempts_per_ip, &ip) {
        tracing::warn!(%ip, "refused an auditor sign-in: too many tries from this address");
        audit::record(state, origin, &actor, Action::SignInFailed, "badge", false).await?;
        return Err(PortalError::TooManyAttempts {
            message: "Too many sign-in attempts from your network. Wait a few minutes and try \
                      again."
                .into(),
            retry_after,
        });
    }
    let now = state.clock.now();
    let stored = auditor
        .as_ref()
        .map_or(NO_SUCH_HASH, |a| a.nda_sha256.as_str());
    let matches = nda.matches(stored);
    let Some(auditor) = auditor else {
        // The same write a known badge's failure costs, so that the answer
        // takes as long whether the badge exists or not.
        count_nothing(state, now).await?;
        audit::record(state, origin, &actor, Action::SignInFailed, "badge", false).await?;
        return Err(refused());
    };
    let locked = auditor.locked_until.is_some_and(|until| now < until);
    if locked || !matches {
        if locked {
            count_nothing(state, now).await?;
        } else {
            state
                .store
                .auditor_sign_in_failed(&auditor.recipient_id, &BADGE_LOCK, now)
                .await?;
        }
        tracing::warn!(badge = %badge, locked, "auditor sign-in refused");
        audit::record(state, origin, &actor, Action::SignInFailed, "badge", false).await?;
        return Err(refused());
    }
    if !state
        .store
        .auditor_signed_in(&auditor.recipient_id, now)
        .await?
    {
        tracing::warn!(badge = %badge, "auditor sign-in refused: locked by a parallel try");
        audit::record(state, origin, &actor, Action::SignInFailed, "badge", false).await?;
        return Err(refused());
    }
    // On the trail before the session exists: a sign-in that cannot be
    // recorded does not happen.
    audit::record(state, origin, &actor, Action::SignIn, "badge", true).await?;
    session::sign_in_recipient(state, session, &auditor.recipient_id).await?;
    tracing::info!(badge = %badge, "auditor signed in");
    Ok(())
}
