//! `Authorization: Bearer <key>` to a caller.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::client_cert::presented_cert;
use super::error::ApiError;
use crate::certs::check_mortgagee_cert;
use crate::db::KeyOwner;
use crate::domain::{ApiKey, KeyId, Persona};
use crate::services::{Caller, ServiceError};
use crate::state::AppState;

/// The caller behind a valid, unrevoked API key, and which key it used.
pub struct Authenticated {
    pub caller: Caller,
    pub key_id: KeyId,
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts.headers.get(AUTHORIZATION).ok_or_else(|| {
            ApiError::unauthenticated(
                "api_key_missing",
                "An API key is required: send Authorization: Bearer <key>",
            )
        })?;
        let raw = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or_else(|| {
                ApiError::unauthenticated(
                    "api_key_missing",
                    "The Authorization header must read Bearer <key>",
                )
            })?;
        let invalid = || {
            ApiError::unauthenticated(
                "api_key_invalid",
                "The API key is not valid or has been revoked",
            )
        };
        let key = ApiKey::parse(raw.trim()).map_err(|_| invalid())?;
        let found = state
            .store
            .authenticate(&key.hash(), state.clock.now())
            .await
            .map_err(|e| ApiError::from(ServiceError::from(e)))?
            .ok_or_else(invalid)?;

        if let KeyOwner::Recipient(r) = &found.owner {
            if r.persona == Persona::Mortgagee {
                let cert = presented_cert(parts, &state.trusted_proxies);
                let verdict =
                    check_mortgagee_cert(state, &r.id, cert.as_deref().map(Vec::as_slice))
                        .await
                        .map_err(|e| ApiError::from(ServiceError::from(e)))?;
                if let Err(refusal) = verdict {
                    tracing::info!(recipient = %r.id, reason = %refusal, "mortgagee key refused");
                    return Err(ApiError::unauthenticated(
                        "client_certificate_refused",
                        &refusal.to_string(),
                    ));
                }
            }
        }

        if let Some(wait) = crate::rate_limit::wait_for(&state.limiter, &found.key_id) {
            return Err(ApiError::rate_limited(wait));
        }

        let caller = Caller::from(found.owner);
        let span = tracing::Span::current();
        match &caller {
            Caller::Recipient(r) => span.record("recipient", r.id.as_str()),
            Caller::Uploader(dock) => span.record("recipient", format!("uploader:{dock}")),
        };
        Ok(Self {
            caller,
            key_id: found.key_id,
        })
    }
}
