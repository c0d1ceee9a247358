//! Portal accounts as the store keeps them: users, invites, passkeys and
//! sessions. The WebAuthn and session logic lives in `portal`; these are
//! plain records.

use async_trait::async_trait;

use super::DbResult;
use crate::domain::{PasskeyId, RecipientId, Timestamp, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub recipient_id: RecipientId,
    pub handle: String,
    pub webauthn_id: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteRecord {
    pub recipient_id: RecipientId,
    pub handle: String,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyRecord {
    pub id: PasskeyId,
    pub user_id: UserId,
    pub credential_id: String,
    pub name: String,
    /// webauthn-rs's own serialisation of the credential.
    pub passkey_json: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// A passkey about to be stored.
#[derive(Debug, Clone)]
pub struct NewPasskey {
    pub credential_id: String,
    pub name: String,
    pub passkey_json: String,
}

/// The enrolment an invite leads to: the user it creates (or finds, for a
/// second invite to the same handle) and their first passkey.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub token_hash: String,
    pub webauthn_id: String,
    pub passkey: NewPasskey,
}

/// What became of an enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrolmentOutcome {
    Enrolled(UserRecord),
    /// The invite is unknown, used or expired.
    InviteNotUsable,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    async fn create_invite(
        &self,
        token_hash: &str,
        recipient: &RecipientId,
        handle: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> DbResult<()>;
    async fn invite(&self, token_hash: &str) -> DbResult<Option<InviteRecord>>;
    /// Burns the invite and stores the passkey in one transaction, so an
    /// invite enrols at most one passkey even when used twice at once.
    async fn enrol(&self, enrolment: &Enrolment, now: Timestamp) -> DbResult<EnrolmentOutcome>;

    async fn user(&self, id: &UserId) -> DbResult<Option<UserRecord>>;
    async fn user_by_handle(&self, handle: &str) -> DbResult<Option<UserRecord>>;
    async fn user_by_webauthn_id(&self, webauthn_id: &str) -> DbResult<Option<UserRecord>>;

    async fn passkeys(&self, user: &UserId) -> DbResult<Vec<PasskeyRecord>>;
    async fn passkey_by_credential(&self, credential_id: &str) -> DbResult<Option<PasskeyRecord>>;
    async fn add_passkey(
        &self,
        user: &UserId,
        passkey: &NewPasskey,
        now: Timestamp,
    ) -> DbResult<PasskeyId>;
    /// Stores the credential's new signature counter after a sign-in.
    async fn passkey_used(
        &self,
        id: &PasskeyId,
        passkey_json: &str,
        now: Timestamp,
    ) -> DbResult<()>;
    /// Removes one of the user's passkeys unless it is their last; returns
    /// whether one was removed.
    async fn remove_passkey(&self, user: &UserId, id: &PasskeyId) -> DbResult<bool>;

    async fn load_session(&self, id: &str, now: Timestamp) -> DbResult<Option<String>>;
    /// Inserts or replaces a session; with `only_if_new`, an existing ID is
    /// left alone and `false` returned.
    async fn save_session(
        &self,
        id: &str,
        data: &str,
        expires_at: Timestamp,
        only_if_new: bool,
    ) -> DbResult<bool>;
    async fn delete_session(&self, id: &str) -> DbResult<()>;
    async fn delete_expired_sessions(&self, now: Timestamp) -> DbResult<u64>;
}
