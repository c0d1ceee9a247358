//! A policyholder's sign-in: a code texted to the phone on their policy.
//!
//! Nothing the server says or does depends on whether the number is
//! registered: an unknown number gets a stored code too (never sent), the
//! same answers, the same budget of tries, and texts leave on a task of
//! their own so the answer takes the same time.

use tower_sessions::Session;

use crate::audit::{self, Action, Actor, RequestOrigin};
use crate::db::{NewSmsCode, MAX_CODE_ATTEMPTS};
use crate::domain::{PhoneNumber, SmsCode, Timestamp};
use crate::portal::error::{PortalError, PortalResult};
use crate::portal::limits::{network_of, wait_for};
use crate::portal::session;
use crate::state::AppState;

pub const CODE_LIFETIME_SECONDS: i64 = 5 * 60;
/// A second request within this time neither sends nor replaces the code.
pub const RESEND_AFTER_SECONDS: i64 = 60;

const HASH_PURPOSE: &str = "docyard sms sign-in code";

fn code_hash(state: &AppState, phone: &PhoneNumber, code: &SmsCode) -> String {
    let value = format!("{}:{}", phone.as_str(), code.as_str());
    state.signer.keyed_hash(HASH_PURPOSE, &value)
}

fn parse_phone(raw: &str) -> PortalResult<PhoneNumber> {
    PhoneNumber::parse(raw).map_err(|e| PortalError::invalid("Mobile number", e.to_string()))
}

pub async fn request_code(state: &AppState, origin: &RequestOrigin, raw: &str) -> PortalResult<()> {
    let phone = parse_phone(raw)?;
    let limits = &state.sign_in_limits;
    let ip = network_of(origin.ip);
    if let Some(retry_after) = wait_for(&limits.code_requests_per_ip, &ip) {
        tracing::warn!(%ip, "refused an SMS code request: too many from this address");
        return Err(PortalError::TooManyAttempts {
            message: "Too many codes were asked for from your network. Wait a few minutes and \
                      try again."
                .into(),
            retry_after,
        });
    }
    let this_phone = phone.as_str().to_owned();
    if let Some(retry_after) = wait_for(&limits.code_requests_per_phone, &this_phone) {
        tracing::warn!(phone = %phone.masked(), "refused an SMS code request: too many for it");
        return Err(PortalError::TooManyAttempts {
            message: "Too many codes were asked for this number. Wait an hour and try again."
                .into(),
            retry_after,
        });
    }
    let now = state.clock.now();
    let code = SmsCode::generate();
    let stored = state
        .store
        .put_sms_code(&NewSmsCode {
            phone: phone.clone(),
            code_hash: code_hash(state, &phone, &code),
            sent_at: now,
            expires_at: now.plus_seconds(CODE_LIFETIME_SECONDS),
            resend_after: now.plus_seconds(-RESEND_AFTER_SECONDS),
        })
        .await?;
    let registered = state.store.policyholder_by_phone(&phone).await?.is_some();
    if !stored {
        tracing::info!(phone = %phone.masked(), "kept the live SMS code: asked again too soon");
    } else if registered {
        send(state, phone, code, now);
    } else {
        tracing::info!(phone = %phone.masked(), "SMS code asked for an unregistered number");
    }
    Ok(())
}

/// Sends the text on its own task: the answer must not wait for (and so
/// time) the provider, which only registered numbers reach.
fn send(state: &AppState, phone: PhoneNumber, code: SmsCode, now: Timestamp) {
    let host = url::Url::parse(&state.public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "docyard".to_owned());
    let body = format!(
        "Your DocYard code is {code}. It works for 5 minutes. Never share it.\n\n@{host} #{code}",
        code = code.as_str()
    );
    let sms = state.sms.clone();
    tokio::spawn(async move {
        match sms.send(&phone, &body).await {
            Ok(()) => tracing::info!(phone = %phone.masked(), sent_at = %now, "SMS code sent"),
            Err(e) => tracing::error!(phone = %phone.masked(), error = %e, "SMS code not sent"),
        }
    });
}

pub async fn verify_code(
    state: &AppState,
    session: &Session,
    origin: &RequestOrigin,
    raw_phone: &str,
    raw_code: &str,
) -> PortalResult<()> {
    let phone = parse_phone(raw_phone)?;
    let code = SmsCode::parse(raw_code).map_err(|e| PortalError::invalid("Code", e.to_string()))?;
    let ip = network_of(origin.ip);
    if let Some(retry_after) = wait_for(&state.sign_in_limits.attempts_per_ip, &ip) {
        tracing::warn!(%ip, "refused an SMS code: too many tries from this address");
        record_failure(state, origin, &phone).await?;
        return Err(PortalError::TooManyAttempts {
            message: "Too many sign-in attempts from your network. Wait a few minutes and try \
                      again."
                .into(),
            retry_after,
        });
    }
    let now = state.clock.now();
    let failed = |reason: String| refuse(state, origin, &phone, reason);
    let Some(attempt) = state.store.attempt_sms_code(&phone, now).await? else {
        return failed(
            "There is no live code for this number: it expired or too many wrong codes were \
             tried. Ask for a new code."
                .into(),
        )
        .await;
    };
    let expected = code_hash(state, &phone, &code);
    let matches = {
        use subtle::ConstantTimeEq;
        bool::from(expected.as_bytes().ct_eq(attempt.code_hash.as_bytes()))
    };
    let recipient = state.store.policyholder_by_phone(&phone).await?;
    let recipient = match recipient {
        Some(recipient) if matches => recipient,
        _ => {
            let left = MAX_CODE_ATTEMPTS - attempt.attempts;
            let reason = if left > 0 {
                let tries = if left == 1 { "try" } else { "tries" };
                format!("That code is not right. {left} {tries} left before it stops working.")
            } else {
                "That code is not right, and that was the last try. Ask for a new code.".into()
            };
            return failed(reason).await;
        }
    };
    if !state
        .store
        .consume_sms_code(&phone, &attempt.code_hash)
        .await?
    {
        return failed("That code was just used. Ask for a new code.".into()).await;
    }
    let actor = Actor {
        id: recipient.to_string(),
        persona: "policyholder".to_owned(),
    };
    // On the trail before the session exists: a sign-in that cannot be
    // recorded does not happen.
    audit::record(state, origin, &actor, Action::SignIn, "sms code", true).await?;
    session::sign_in_recipient(state, session, &recipient).await?;
    tracing::info!(recipient = %recipient, "policyholder signed in with an SMS code");
    Ok(())
}

/// Records the failed try and refuses it.
async fn refuse(
    state: &AppState,
    origin: &RequestOrigin,
    phone: &PhoneNumber,
    reason: String,
) -> PortalResult<()> {
    record_failure(state, origin, phone).await?;
    Err(PortalError::Refused(reason))
}

/// A registered number's failures are its policyholder's, so the trail
/// shows who was targeted; the visitor's answer is the same either way.
async fn record_failure(
    state: &AppState,
    origin: &RequestOrigin,
    phone: &PhoneNumber,
) -> PortalResult<()> {
    let actor = match state.store.policyholder_by_phone(phone).await? {
        Some(recipient) => Actor {
            id: recipient.to_string(),
            persona: "policyholder".to_owned(),
        },
        None => Actor::anonymous(&phone.masked()),
    };
    audit::record(
        state,
        origin,
        &actor,
        Action::SignInFailed,
        "sms code",
        false,
    )
    .await?;
    Ok(())
}
