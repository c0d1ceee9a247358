//! tower-sessions' store on DocYard's own database, so that sessions live
//! as long as the server's data and end for real at sign-out.
//!
//! Sessions are stored under a SHA-256 of their ID, never the ID itself: a
//! copy of the database, or a backup, holds no cookie that signs anyone in.

use std::sync::Arc;

use async_trait::async_trait;
use sha2::{Digest, Sha256};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use tower_sessions::SessionStore;

use crate::clock::{Clock, SystemClock};
use crate::db::Store;
use crate::domain::Timestamp;

/// tower-sessions stamps a record's expiry with the system clock, so the
/// store compares against the same clock. The sign-in rules (idle and
/// absolute timeouts) run on the server's own clock in `session`.
#[derive(Clone)]
pub struct DbSessionStore {
    store: Arc<dyn Store>,
}

impl DbSessionStore {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    async fn write(&self, record: &Record, only_if_new: bool) -> Result<bool> {
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        let expires_at = Timestamp::from_micros(
            i64::try_from(record.expiry_date.unix_timestamp_nanos() / 1_000)
                .map_err(|e| Error::Encode(e.to_string()))?,
        );
        self.store
            .save_session(&stored_key(&record.id), &data, expires_at, only_if_new)
            .await
            .map_err(|e| Error::Backend(e.to_string()))
    }
}

/// The key a session is stored under. The ID is 128 random bits, so a
/// plain hash is enough: there is nothing to guess that a salt would hide.
fn stored_key(id: &Id) -> String {
    hex::encode(Sha256::digest(id.to_string().as_bytes()))
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A 128-bit random ID colliding is all but impossible; if it does,
        // draw another rather than overwrite someone's session.
        while !self.write(record, true).await? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.write(record, false).await.map(|_| ())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now = SystemClock.now();
        let Some(data) = self
            .store
            .load_session(&stored_key(id), now)
            .await
            .map_err(|e| Error::Backend(e.to_string()))?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?;
        // The expiry is set again by the session layer on every request.
        let expiry_date =
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(now.micros()) * 1_000)
                .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.store
            .delete_session(&stored_key(id))
            .await
            .map_err(|e| Error::Backend(e.to_string()))
    }
}
