//! Text messages to policyholders, behind one trait: the development
//! backend keeps them in an outbox (`docyard sms outbox`), the HTTP backend
//! hands them to a Twilio-style provider.

mod http;
mod outbox;

use std::sync::Arc;

use async_trait::async_trait;

pub use http::HttpSender;
pub use outbox::OutboxSender;

use crate::clock::Clock;
use crate::config::SmsSettings;
use crate::db::Store;
use crate::domain::PhoneNumber;

/// The backend `settings` ask for.
pub fn sender(
    settings: &SmsSettings,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
) -> Arc<dyn SmsSender> {
    match settings {
        SmsSettings::Outbox => Arc::new(OutboxSender::new(store, clock)),
        SmsSettings::Http(http) => Arc::new(HttpSender::new(http)),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error("the SMS provider refused the message: {0}")]
    Refused(String),
    #[error("the SMS provider could not be reached")]
    Unreachable(#[source] anyhow::Error),
    #[error("the SMS outbox could not be written")]
    Outbox(#[from] crate::db::DbError),
}

#[async_trait]
pub trait SmsSender: Send + Sync + 'static {
    /// Hands `body` over for delivery to `to`. Returns once the backend
    /// has accepted it, not when the phone has received it.
    async fn send(&self, to: &PhoneNumber, body: &str) -> Result<(), SmsError>;
}
