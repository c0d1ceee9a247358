//! Client certificate registrations.

use async_trait::async_trait;

use super::SqliteStore;
use crate::db::{ClientCertRecord, ClientCertStore, DbResult, NewClientCert};
use crate::domain::{ClientCertId, RecipientId, Timestamp};

macro_rules! cert_record {
    ($row:expr) => {{
        let row = $row;
        ClientCertRecord {
            id: row.id,
            recipient_id: row.recipient_id,
            fingerprint: row.fingerprint,
            subject: row.subject,
            not_after: row.not_after.map(Timestamp::from_micros),
            label: row.label,
            created_at: Timestamp::from_micros(row.created_at),
        }
    }};
}

#[async_trait]
impl ClientCertStore for SqliteStore {
    async fn register_client_cert(
        &self,
        cert: &NewClientCert,
        now: Timestamp,
    ) -> DbResult<ClientCertId> {
        let id = ClientCertId::generate();
        let (not_after, now) = (cert.not_after.map(Timestamp::micros), now.micros());
        sqlx::query!(
            "INSERT INTO client_certs
             (id, recipient_id, fingerprint, subject, not_after, label, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            id,
            cert.recipient_id,
            cert.fingerprint,
            cert.subject,
            not_after,
            cert.label,
            now
        )
        .execute(&self.writer)
        .await?;
        Ok(id)
    }

    async fn client_cert_by_fingerprint(
        &self,
        fingerprint: &str,
    ) -> DbResult<Option<ClientCertRecord>> {
        let row = sqlx::query!(
            r#"SELECT id AS "id: ClientCertId", recipient_id AS "recipient_id: RecipientId",
                      fingerprint, subject, not_after, label, created_at
               FROM client_certs WHERE fingerprint = ?"#,
            fingerprint
        )
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|r| cert_record!(r)))
    }

    async fn client_certs_by_subject(&self, subject: &str) -> DbResult<Vec<ClientCertRecord>> {
        let rows = sqlx::query!(
            r#"SELECT id AS "id: ClientCertId", recipient_id AS "recipient_id: RecipientId",
                      fingerprint, subject, not_after, label, created_at
               FROM client_certs WHERE subject = ? AND fingerprint IS NULL"#,
            subject
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(|r| cert_record!(r)).collect())
    }

    async fn list_client_certs(&self) -> DbResult<Vec<ClientCertRecord>> {
        let rows = sqlx::query!(
            r#"SELECT id AS "id: ClientCertId", recipient_id AS "recipient_id: RecipientId",
                      fingerprint, subject, not_after, label, created_at
               FROM client_certs ORDER BY created_at, id"#
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(|r| cert_record!(r)).collect())
    }

    async fn remove_client_cert(&self, id: &ClientCertId) -> DbResult<bool> {
        let done = sqlx::query!("DELETE FROM client_certs WHERE id = ?", id)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
