//! DocYard's domain types. Each one is parsed once, where data enters the
//! system, so the rest of the code can trust it.

mod api_key;
mod credentials;
mod ids;
mod job;
mod metadata;
mod persona;
mod timestamp;

pub use api_key::{ApiKey, ApiKeyError, KeyEnvironment};
pub use credentials::{BadgeId, CredentialError, NdaHash, PhoneNumber, SmsCode};
pub use ids::{
    ArtifactId, ClientCertId, DockId, IdError, JobId, KeyId, PasskeyId, RecipientId, UserId,
};
pub use job::{JobFilters, JobStatus};
pub use metadata::{Metadata, MetadataError};
pub use persona::Persona;
pub use timestamp::{Timestamp, TimestampError};
