//! Portal users, invites, passkeys and sessions.

use async_trait::async_trait;

use super::SqliteStore;
use crate::db::{
    AccountStore, DbResult, Enrolment, EnrolmentOutcome, InviteRecord, NewPasskey, PasskeyRecord,
    UserRecord,
};
use crate::domain::{PasskeyId, RecipientId, Timestamp, UserId};

macro_rules! user_record {
    ($row:expr) => {{
        let row = $row;
        UserRecord {
            id: row.id,
            recipient_id: row.recipient_id,
            handle: row.handle,
            webauthn_id: row.webauthn_id,
            created_at: Timestamp::from_micros(row.created_at),
        }
    }};
}

macro_rules! passkey_record {
    ($row:expr) => {{
        let row = $row;
        PasskeyRecord {
            id: row.id,
            user_id: row.user_id,
            credential_id: row.credential_id,
            name: row.name,
            passkey_json: row.passkey,
            created_at: Timestamp::from_micros(row.created_at),
            last_used_at: row.last_used_at.map(Timestamp::from_micros),
        }
    }};
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn create_invite(
        &self,
        token_hash: &str,
        recipient: &RecipientId,
        handle: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> DbResult<()> {
        let (expires_at, now) = (expires_at.micros(), now.micros());
        sqlx::query!(
            "INSERT INTO invites (token_hash, recipient_id, handle, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?)",
            token_hash,
            recipient,
            handle,
            now,
            expires_at
        )
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn invite(&self, token_hash: &str) -> DbResult<Option<InviteRecord>> {
        let row = sqlx::query!(
            r#"SELECT recipient_id AS "recipient_id: RecipientId", handle, expires_at, used_at
               FROM invites WHERE token_hash = ?"#,
            token_hash
        )
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|r| InviteRecord {
            recipient_id: r.recipient_id,
            handle: r.handle,
            expires_at: Timestamp::from_micros(r.expires_at),
            used_at: r.used_at.map(Timestamp::from_micros),
        }))
    }

    async fn enrol(&self, enrolment: &Enrolment, now: Timestamp) -> DbResult<EnrolmentOutcome> {
        let at = now.micros();
        let mut tx = self.writer.begin().await?;
        let invite = sqlx::query!(
            r#"UPDATE invites SET used_at = ?
               WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
               RETURNING recipient_id AS "recipient_id: RecipientId", handle"#,
            at,
            enrolment.token_hash,
            at
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(invite) = invite else {
            return Ok(EnrolmentOutcome::InviteNotUsable);
        };
        let new_id = UserId::generate();
        sqlx::query!(
            "INSERT INTO portal_users (id, recipient_id, handle, webauthn_id, created_at)
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (handle) DO NOTHING",
            new_id,
            invite.recipient_id,
            invite.handle,
            enrolment.webauthn_id,
            at
        )
        .execute(&mut *tx)
        .await?;
        let user = sqlx::query!(
            r#"SELECT id AS "id: UserId", recipient_id AS "recipient_id: RecipientId", handle,
                      webauthn_id, created_at
               FROM portal_users WHERE handle = ?"#,
            invite.handle
        )
        .fetch_one(&mut *tx)
        .await?;
        let user = user_record!(user);
        insert_passkey(&mut tx, &user.id, &enrolment.passkey, at).await?;
        tx.commit().await?;
        Ok(EnrolmentOutcome::Enrolled(user))
    }

    async fn user(&self, id: &UserId) -> DbResult<Option<UserRecord>> {
        let row = sqlx::query!(
            r#"SELECT id AS "id: UserId", recipient_id AS "recipient_id: RecipientId", handle,
                      webauthn_id, created_at
               FROM portal_users WHERE id = ?"#,
            id
        )
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|r| user_record!(r)))
    }

    async fn user_by_handle(&self, handle: &str) -> DbResult<Option<UserRecord>> {
        let row = sqlx::query!(
            r#"SELECT id AS "id: UserId", recipient_id AS "recipient_id: RecipientId", handle,
                      webauthn_id, created_at
               FROM portal_users WHERE handle = ?"#,
            handle
        )
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|r| user_record!(r)))
    }

    async fn user_by_webauthn_id(&self, webauthn_id: &str) -> DbResult<Option<UserRecord>> {
        let row = sqlx::query!(
            r#"SELECT id AS "id: UserId", recipient_id AS "recipient_id: RecipientId", handle,
                      webauthn_id, created_at
               FROM portal_users WHERE webauthn_id = ?"#,
            webauthn_id
        )
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|r| user_record!(r)))
    }

    async fn passkeys(&self, user: &UserId) -> DbResult<Vec<PasskeyRecord>> {
        let rows = sqlx::query!(
            r#"SELECT id AS "id: PasskeyId", user_id AS "user_id: UserId", credential_id, name,
                      passkey, created_at, last_used_at
               FROM passkeys WHERE user_id = ? ORDER BY created_at, id"#,
            user
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(|r| passkey_record!(r)).collect())
    }

    async fn passkey_by_credential(&self, credential_id: &str) -> DbResult<Option<PasskeyRecord>> {
        let row = sqlx::query!(
            r#"SELECT id AS "id: PasskeyId", user_id AS "user_id: UserId", credential_id, name,
                      passkey, created_at, last_used_at
               FROM passkeys WHERE credential_id = ?"#,
            credential_id
        )
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|r| passkey_record!(r)))
    }

    async fn add_passkey(
        &self,
        user: &UserId,
        passkey: &NewPasskey,
        now: Timestamp,
    ) -> DbResult<PasskeyId> {
        let mut tx = self.writer.begin().await?;
        let id = insert_passkey(&mut tx, user, passkey, now.micros()).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn passkey_used(
        &self,
        id: &PasskeyId,
        passkey_json: &str,
        now: Timestamp,
    ) -> DbResult<()> {
        let at = now.micros();
        sqlx::query!(
            "UPDATE passkeys SET passkey = ?, last_used_at = ? WHERE id = ?",
            passkey_json,
            at,
            id
        )
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn remove_passkey(&self, user: &UserId, id: &PasskeyId) -> DbResult<bool> {
        let done = sqlx::query!(
            "DELETE FROM passkeys WHERE id = ? AND user_id = ?
             AND (SELECT count(*) FROM passkeys WHERE user_id = ?) > 1",
            id,
            user,
            user
        )
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn load_session(&self, id: &str, now: Timestamp) -> DbResult<Option<String>> {
        let now = now.micros();
        let row = sqlx::query_scalar!(
            "SELECT data FROM sessions WHERE id = ? AND expires_at > ?",
            id,
            now
        )
        .fetch_optional(&self.reader)
        .await?;
        Ok(row)
    }

    async fn save_session(
        &self,
        id: &str,
        data: &str,
        expires_at: Timestamp,
        only_if_new: bool,
    ) -> DbResult<bool> {
        let expires_at = expires_at.micros();
        let done = if only_if_new {
            sqlx::query!(
                "INSERT INTO sessions (id, data, expires_at) VALUES (?, ?, ?)
                 ON CONFLICT (id) DO NOTHING",
                id,
                data,
                expires_at
            )
            .execute(&self.writer)
            .await?
        } else {
            sqlx::query!(
                "INSERT INTO sessions (id, data, expires_at) VALUES (?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data,
                 expires_at = excluded.expires_at",
                id,
                data,
                expires_at
            )
            .execute(&self.writer)
            .await?
        };
        Ok(done.rows_affected() == 1)
    }

    async fn delete_session(&self, id: &str) -> DbResult<()> {
        sqlx::query!("DELETE FROM sessions WHERE id = ?", id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> DbResult<u64> {
        let now = now.micros();
        let done = sqlx::query!("DELETE FROM sessions WHERE expires_at <= ?", now)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }
}

async fn insert_passkey(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    user: &UserId,
    passkey: &NewPasskey,
    at: i64,
) -> DbResult<PasskeyId> {
    let id = PasskeyId::generate();
    sqlx::query!(
        "INSERT INTO passkeys (id, user_id, credential_id, name, passkey, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
        id,
        user,
        passkey.credential_id,
        passkey.name,
        passkey.passkey_json,
        at
    )
    .execute(&mut **tx)
    .await?;
    Ok(id)
}
