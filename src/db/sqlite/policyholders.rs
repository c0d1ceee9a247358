//! Phone numbers, SMS codes and the development outbox.

use async_trait::async_trait;

use super::SqliteStore;
use crate::db::{
    CodeAttempt, DbResult, NewSmsCode, OutboxMessage, PolicyholderStore, MAX_CODE_ATTEMPTS,
};
use crate::domain::{PhoneNumber, RecipientId, Timestamp};

#[async_trait]
impl PolicyholderStore for SqliteStore {
    async fn register_phone(
        &self,
        phone: &PhoneNumber,
        recipient: &RecipientId,
        now: Timestamp,
    ) -> DbResult<()> {
        let now = now.micros();
        sqlx::query!(
            "INSERT INTO policyholder_phones (phone, recipient_id, created_at) VALUES (?, ?, ?)",
            phone,
            recipient,
            now
        )
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn policyholder_by_phone(&self, phone: &PhoneNumber) -> DbResult<Option<RecipientId>> {
        let id = sqlx::query_scalar!(
            r#"SELECT recipient_id AS "id: RecipientId" FROM policyholder_phones
               WHERE phone = ?"#,
            phone
        )
        .fetch_optional(&self.reader)
        .await?;
        Ok(id)
    }

    async fn phones_of(&self, recipient: &RecipientId) -> DbResult<Vec<PhoneNumber>> {
        let phones = sqlx::query_scalar!(
            r#"SELECT phone AS "phone: PhoneNumber" FROM policyholder_phones
               WHERE recipient_id = ? ORDER BY phone"#,
            recipient
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(phones)
    }

    async fn put_sms_code(&self, code: &NewSmsCode) -> DbResult<bool> {
        let (sent_at, expires_at) = (code.sent_at.micros(), code.expires_at.micros());
        let resend_after = code.resend_after.micros();
        // One statement, so that two requests at once cannot both replace
        // the code or reset its count. A live code replaced after the resend
        // interval keeps its count of wrong tries; only a code that is dead
        // (expired or burned) makes way for one with a fresh count. The
        // per-phone limit on requests bounds how many codes one can burn.
        let stored = sqlx::query!(
            "INSERT INTO sms_codes (phone, code_hash, sent_at, expires_at, failed_attempts)
             VALUES (?1, ?2, ?3, ?4, 0)
             ON CONFLICT (phone) DO UPDATE SET
                 code_hash = excluded.code_hash,
                 sent_at = excluded.sent_at,
                 expires_at = excluded.expires_at,
                 failed_attempts = CASE
                     WHEN sms_codes.expires_at <= ?3 OR sms_codes.failed_attempts >= ?6 THEN 0
                     ELSE sms_codes.failed_attempts END
             WHERE sms_codes.sent_at <= ?5",
            code.phone,
            code.code_hash,
            sent_at,
            expires_at,
            resend_after,
            MAX_CODE_ATTEMPTS
        )
        .execute(&self.writer)
        .await?;
        Ok(stored.rows_affected() == 1)
    }

    async fn attempt_sms_code(
        &self,
        phone: &PhoneNumber,
        now: Timestamp,
    ) -> DbResult<Option<CodeAttempt>> {
        let now = now.micros();
        let row = sqlx::query!(
            "UPDATE sms_codes SET failed_attempts = failed_attempts + 1
             WHERE phone = ? AND expires_at > ? AND failed_attempts < ?
             RETURNING code_hash, failed_attempts",
            phone,
            now,
            MAX_CODE_ATTEMPTS
        )
        .fetch_optional(&self.writer)
        .await?;
        Ok(row.map(|r| CodeAttempt {
            code_hash: r.code_hash,
            attempts: r.failed_attempts,
        }))
    }

    async fn consume_sms_code(&self, phone: &PhoneNumber, code_hash: &str) -> DbResult<bool> {
        let deleted = sqlx::query!(
            "DELETE FROM sms_codes WHERE phone = ? AND code_hash = ?",
            phone,
            code_hash
        )
        .execute(&self.writer)
        .await?;
        Ok(deleted.rows_affected() == 1)
    }

    async fn delete_expired_sms_codes(&self, now: Timestamp) -> DbResult<u64> {
        let now = now.micros();
        let deleted = sqlx::query!("DELETE FROM sms_codes WHERE expires_at <= ?", now)
            .execute(&self.writer)
            .await?;
        Ok(deleted.rows_affected())
    }

    async fn append_outbox(&self, phone: &PhoneNumber, body: &str, now: Timestamp) -> DbResult<()> {
        let now = now.micros();
        sqlx::query!(
            "INSERT INTO sms_outbox (phone, body, sent_at) VALUES (?, ?, ?)",
            phone,
            body,
            now
        )
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn prune_outbox(&self, before: Timestamp) -> DbResult<u64> {
        let before = before.micros();
        let deleted = sqlx::query!("DELETE FROM sms_outbox WHERE sent_at < ?", before)
            .execute(&self.writer)
            .await?;
        Ok(deleted.rows_affected())
    }

    async fn outbox(
        &self,
        phone: Option<&PhoneNumber>,
        limit: i64,
    ) -> DbResult<Vec<OutboxMessage>> {
        let phone = phone.map(PhoneNumber::as_str);
        let rows = sqlx::query!(
            r#"SELECT id AS "id!", phone, body, sent_at FROM sms_outbox
               WHERE ?1 IS NULL OR phone = ?1 ORDER BY id DESC LIMIT ?2"#,
            phone,
            limit
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| OutboxMessage {
                id: r.id,
                phone: r.phone,
                body: r.body,
                sent_at: Timestamp::from_micros(r.sent_at),
            })
            .collect())
    }
}
