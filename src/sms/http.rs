//! The production backend: a Twilio-style REST API that takes a form post
//! per message.

use std::time::Duration;

use async_trait::async_trait;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Deserialize;

use super::{SmsError, SmsSender};
use crate::config::{HttpSmsSettings, SmsAuthToken};
use crate::domain::PhoneNumber;

/// A sign-in code is worthless once the person has given up waiting, so a
/// slow provider is treated as an unreachable one.
const TIMEOUT: Duration = Duration::from_secs(10);

pub struct HttpSender {
    client: reqwest::Client,
    messages_url: String,
    account_sid: String,
    auth_token: SmsAuthToken,
    from: PhoneNumber,
}

/// The part of the provider's error answer worth keeping.
#[derive(Deserialize)]
struct ProviderError {
    message: Option<String>,
    code: Option<i64>,
}

impl HttpSender {
    pub fn new(settings: &HttpSmsSettings) -> Self {
        let root = settings.api_url.as_str().trim_end_matches('/');
        let sid = utf8_percent_encode(&settings.account_sid, NON_ALPHANUMERIC);
        Self {
            client: reqwest::Client::new(),
            messages_url: format!("{root}/2010-04-01/Accounts/{sid}/Messages.json"),
            account_sid: settings.account_sid.clone(),
            auth_token: settings.auth_token.clone(),
            from: settings.from.clone(),
        }
    }
}

#[async_trait]
impl SmsSender for HttpSender {
    async fn send(&self, to: &PhoneNumber, body: &str) -> Result<(), SmsError> {
        let form = [
            ("To", to.as_str()),
            ("From", self.from.as_str()),
            ("Body", body),
        ];
        let response = self
            .client
            .post(&self.messages_url)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose()))
            .form(&form)
            .timeout(TIMEOUT)
            .send()
            .await
            .map_err(|e| {
                let phone = to.masked();
                tracing::warn!(%phone, error = %e, "the SMS provider could not be reached");
                SmsError::Unreachable(e.into())
            })?;

        let status = response.status();
        if status.is_success() {
            tracing::info!(phone = %to.masked(), "text message handed to the SMS provider");
            return Ok(());
        }
        let answer = response.json::<ProviderError>().await.ok();
        let code = answer.as_ref().and_then(|a| a.code);
        // The provider's message may quote the full number, so only the
        // status and its error code go to the log.
        tracing::warn!(
            phone = %to.masked(),
            status = status.as_u16(),
            code,
            "the SMS provider refused a text message"
        );
        let message = answer.and_then(|a| a.message);
        Err(SmsError::Refused(
            message.unwrap_or_else(|| format!("HTTP {status}")),
        ))
    }
}
