//! The operations DocYard offers, shared by the `/v1` API and the portal so
//! that a job made in the browser and one made over the API are the same.

pub mod archive;
pub mod downloads;
pub mod retrieval;
pub mod uploads;

use crate::db::{DbError, KeyOwner, RecipientRecord};
use crate::storage::StorageError;

/// Who is asking, once their credentials have been checked.
#[derive(Debug, Clone)]
pub enum Caller {
    Recipient(RecipientRecord),
    Uploader(crate::domain::DockId),
}

impl From<KeyOwner> for Caller {
    fn from(owner: KeyOwner) -> Self {
        match owner {
            KeyOwner::Recipient(r) => Caller::Recipient(r),
            KeyOwner::Uploader(dock) => Caller::Uploader(dock),
        }
    }
}

/// What went wrong in a service, in terms a client can act on.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The thing does not exist or is not the caller's; both read the same.
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Forbidden(String),
    #[error("{message}")]
    Invalid { param: String, message: String },
    #[error("results are available once the job is COMPLETED; it is {0}")]
    JobNotCompleted(crate::domain::JobStatus),
    #[error("the results of this job expired at {0}")]
    ResultsExpired(crate::domain::Timestamp),
    #[error("this Idempotency-Key was already used with a different request body")]
    IdempotencyKeyReused,
    #[error("the upload is larger than this server accepts")]
    TooLarge,
    #[error("{0}")]
    LinkRefused(crate::signing::TokenError),
    /// The object store does not answer; the request may work shortly.
    #[error("the document store is not answering; try again in a minute")]
    StoreUnavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ServiceError {
    pub fn invalid(param: &str, message: impl Into<String>) -> Self {
        ServiceError::Invalid {
            param: param.to_owned(),
            message: message.into(),
        }
    }
}

impl From<DbError> for ServiceError {
    fn from(error: DbError) -> Self {
        ServiceError::Internal(anyhow::Error::new(error).context("database operation failed"))
    }
}

impl From<StorageError> for ServiceError {
    fn from(error: StorageError) -> Self {
        if let StorageError::Unreachable(_) = error {
            tracing::error!(error = %error, "the object store does not answer");
            return ServiceError::StoreUnavailable;
        }
        ServiceError::Internal(anyhow::Error::new(error).context("object store operation failed"))
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
