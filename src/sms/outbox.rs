//! The development backend: messages go to a table instead of a phone.

use std::sync::Arc;

use async_trait::async_trait;

use super::{SmsError, SmsSender};
use crate::clock::Clock;
use crate::db::Store;
use crate::domain::PhoneNumber;

pub struct OutboxSender {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl OutboxSender {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }
}

#[async_trait]
impl SmsSender for OutboxSender {
    async fn send(&self, to: &PhoneNumber, body: &str) -> Result<(), SmsError> {
        self.store.append_outbox(to, body, self.clock.now()).await?;
        tracing::info!(phone = %to.masked(), "text message written to the development outbox");
        Ok(())
    }
}
