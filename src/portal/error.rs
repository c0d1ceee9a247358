//! The portal layer's one error type, and the one place it becomes the
//! sentence a person reads.

use app::backend::Refusal;

use crate::services::ServiceError;

#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    #[error("Please sign in again: your session has ended.")]
    SignInRequired,
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// Sign-in failed. Deliberately the same words whatever the cause.
    #[error("That passkey could not sign you in. Try again or use another passkey.")]
    SignInFailed,
    #[error("{0}")]
    Refused(String),
    #[error(
        "This page is for {needed}s; you are signed in as {signed_in_as}. \
         Sign out first to sign in as someone else."
    )]
    WrongPersona {
        needed: crate::domain::Persona,
        signed_in_as: crate::domain::Persona,
    },
    #[error("{message}")]
    TooManyAttempts { message: String, retry_after: u64 },
    #[error(
        "Passkeys are off: this server's public URL is an IP address, which browsers \
             refuse for passkeys. Set DOCYARD_PUBLIC_URL to a host name such as localhost."
    )]
    PasskeysUnavailable,
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error("session storage failed")]
    Session(#[from] tower_sessions::session::Error),
    #[error("the portal could not complete the request")]
    Internal(#[from] anyhow::Error),
}

pub type PortalResult<T> = Result<T, PortalError>;

impl From<crate::db::DbError> for PortalError {
    fn from(error: crate::db::DbError) -> Self {
        PortalError::Service(error.into())
    }
}

impl PortalError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        PortalError::Invalid {
            field,
            message: message.into(),
        }
    }

    /// What the person at the screen is told, with the status it deserves.
    /// Internal failures are logged in full and shown only as a request
    /// that failed.
    pub fn into_refusal(self) -> Refusal {
        const OUR_SIDE: &str = "Something went wrong on our side; please try again.";
        let retry_after = match &self {
            PortalError::TooManyAttempts { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        let (status, message) = match self {
            PortalError::SignInRequired | PortalError::SignInFailed => (401, self.to_string()),
            PortalError::Invalid { .. } | PortalError::Refused(_) => (400, self.to_string()),
            PortalError::PasskeysUnavailable => (503, self.to_string()),
            PortalError::WrongPersona { .. } => (403, self.to_string()),
            PortalError::TooManyAttempts { .. } => (429, self.to_string()),
            PortalError::Service(e) => match e {
                ServiceError::Internal(e) => {
                    tracing::error!(error = ?e, "portal request failed");
                    (500, OUR_SIDE.to_owned())
                }
                ServiceError::Invalid { param, message } => (400, format!("{param}: {message}")),
                ServiceError::NotFound(_) => (404, e.to_string()),
                ServiceError::Forbidden(_) | ServiceError::LinkRefused(_) => (403, e.to_string()),
                ServiceError::JobNotCompleted(_) | ServiceError::IdempotencyKeyReused => {
                    (409, e.to_string())
                }
                ServiceError::ResultsExpired(_) => (410, e.to_string()),
                ServiceError::TooLarge => (413, e.to_string()),
                ServiceError::StoreUnavailable => (503, e.to_string()),
            },
            PortalError::Session(e) => {
                tracing::error!(error = %e, "portal session storage failed");
                (500, OUR_SIDE.to_owned())
            }
            PortalError::Internal(e) => {
                tracing::error!(error = ?e, "portal request failed");
                (500, OUR_SIDE.to_owned())
            }
        };
        Refusal {
            status,
            message,
            retry_after,
        }
    }
}
