//! Policyholders' phone numbers, their one-time codes, and the outbox of the
//! development SMS backend.

use async_trait::async_trait;

use super::DbResult;
use crate::domain::{PhoneNumber, RecipientId, Timestamp};

/// Wrong codes that burn a phone's code until it expires.
pub const MAX_CODE_ATTEMPTS: i64 = 5;

/// A code about to be stored for a phone.
#[derive(Debug, Clone)]
pub struct NewSmsCode {
    pub phone: PhoneNumber,
    pub code_hash: String,
    pub sent_at: Timestamp,
    pub expires_at: Timestamp,
    /// A code sent after this instant is kept as it is: no new code, and
    /// its count of wrong tries stays.
    pub resend_after: Timestamp,
}

/// One try against a phone's code, already counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeAttempt {
    pub code_hash: String,
    /// Tries counted so far, this one included.
    pub attempts: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: i64,
    pub phone: String,
    pub body: String,
    pub sent_at: Timestamp,
}

#[async_trait]
pub trait PolicyholderStore: Send + Sync {
    /// Links the number to a policyholder; a number belongs to one only.
    async fn register_phone(
        &self,
        phone: &PhoneNumber,
        recipient: &RecipientId,
        now: Timestamp,
    ) -> DbResult<()>;
    async fn policyholder_by_phone(&self, phone: &PhoneNumber) -> DbResult<Option<RecipientId>>;
    async fn phones_of(&self, recipient: &RecipientId) -> DbResult<Vec<PhoneNumber>>;

    /// Stores the code unless the phone was sent one after `resend_after`
    /// or its live code is burned; returns whether it was stored. Wrong
    /// tries carry over from a live code and start again after it expired.
    async fn put_sms_code(&self, code: &NewSmsCode) -> DbResult<bool>;
    /// Spends one try on the phone's live code, atomically, so that tries
    /// sent at once cannot exceed the budget. `None`: no live code, or its
    /// tries are spent.
    async fn attempt_sms_code(
        &self,
        phone: &PhoneNumber,
        now: Timestamp,
    ) -> DbResult<Option<CodeAttempt>>;
    /// Removes the code once it has signed someone in; `false` when another
    /// request used it first.
    async fn consume_sms_code(&self, phone: &PhoneNumber, code_hash: &str) -> DbResult<bool>;
    async fn delete_expired_sms_codes(&self, now: Timestamp) -> DbResult<u64>;

    async fn append_outbox(&self, phone: &PhoneNumber, body: &str, now: Timestamp) -> DbResult<()>;
    /// Forgets messages written before `before`; returns how many.
    async fn prune_outbox(&self, before: Timestamp) -> DbResult<u64>;
    /// The newest messages first.
    async fn outbox(&self, phone: Option<&PhoneNumber>, limit: i64)
        -> DbResult<Vec<OutboxMessage>>;
}
