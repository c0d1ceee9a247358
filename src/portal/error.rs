//! The portal layer's one error type, and the one place it becomes the
//! sentence a person reads.

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

    /// What the person at the screen is told. Internal failures are logged
    /// in full and shown only as a request that failed.
    pub fn into_message(self) -> String {
        match &self {
            PortalError::Service(ServiceError::Internal(e)) => {
                tracing::error!(error = ?e, "portal request failed");
                "Something went wrong on our side; please try again.".to_owned()
            }
            PortalError::Session(e) => {
                tracing::error!(error = %e, "portal session storage failed");
                "Something went wrong on our side; please try again.".to_owned()
            }
            PortalError::Internal(e) => {
                tracing::error!(error = ?e, "portal request failed");
                "Something went wrong on our side; please try again.".to_owned()
            }
            PortalError::Service(ServiceError::Invalid { param, message }) => {
                format!("{param}: {message}")
            }
            _ => self.to_string(),
        }
    }
}
