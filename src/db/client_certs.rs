//! Client certificate registrations as the store keeps them.

use async_trait::async_trait;

use super::DbResult;
use crate::domain::{ClientCertId, RecipientId, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCertRecord {
    pub id: ClientCertId,
    pub recipient_id: RecipientId,
    /// Set for one exact certificate; `None` for a subject under the client CA.
    pub fingerprint: Option<String>,
    pub subject: String,
    pub not_after: Option<Timestamp>,
    pub label: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewClientCert {
    pub recipient_id: RecipientId,
    pub fingerprint: Option<String>,
    pub subject: String,
    pub not_after: Option<Timestamp>,
    pub label: String,
}

#[async_trait]
pub trait ClientCertStore: Send + Sync {
    async fn register_client_cert(
        &self,
        cert: &NewClientCert,
        now: Timestamp,
    ) -> DbResult<ClientCertId>;
    async fn client_cert_by_fingerprint(
        &self,
        fingerprint: &str,
    ) -> DbResult<Option<ClientCertRecord>>;
    /// Subject registrations (no fingerprint) with exactly this subject.
    async fn client_certs_by_subject(&self, subject: &str) -> DbResult<Vec<ClientCertRecord>>;
    async fn list_client_certs(&self) -> DbResult<Vec<ClientCertRecord>>;
    /// Whether a registration was removed.
    async fn remove_client_cert(&self, id: &ClientCertId) -> DbResult<bool>;
}
