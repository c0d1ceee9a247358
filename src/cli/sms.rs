//! The serve flags that choose an SMS backend, and `docyard sms`: read the
//! development outbox.

use std::path::Path;

use serde::Serialize;

use super::offline_state;
use crate::config::{HttpSmsSettings, SmsAuthToken, SmsSettings};
use crate::domain::{PhoneNumber, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SmsProvider {
    /// Keep messages in the database, for `docyard sms outbox`.
    Outbox,
    /// Send through a Twilio-style REST API.
    Twilio,
}

#[derive(Debug, Clone, clap::Args)]
pub struct SmsArgs {
    /// Where policyholders' sign-in codes go.
    #[arg(long, env = "DOCYARD_SMS_PROVIDER", value_enum, default_value_t = SmsProvider::Outbox)]
    sms_provider: SmsProvider,
    /// Root of the provider's API.
    #[arg(
        long,
        env = "DOCYARD_SMS_API_URL",
        default_value = "https://api.twilio.com",
        value_parser = parse_api_url
    )]
    sms_api_url: url::Url,
    /// The provider account that sends the messages.
    #[arg(long, env = "DOCYARD_SMS_ACCOUNT_SID")]
    sms_account_sid: Option<String>,
    /// The account's auth token.
    #[arg(long, env = "DOCYARD_SMS_AUTH_TOKEN", hide_env_values = true, value_parser = parse_token)]
    sms_auth_token: Option<SmsAuthToken>,
    /// The number messages are sent from, such as +15550100100.
    #[arg(long, env = "DOCYARD_SMS_FROM", value_parser = PhoneNumber::parse)]
    sms_from: Option<PhoneNumber>,
}

impl SmsArgs {
    pub fn settings(&self) -> anyhow::Result<SmsSettings> {
        if self.sms_provider == SmsProvider::Outbox {
            return Ok(SmsSettings::Outbox);
        }
        let sid = self.sms_account_sid.as_deref().map(str::trim);
        let sid = sid.filter(|s| !s.is_empty());
        let (Some(sid), Some(token), Some(from)) = (sid, &self.sms_auth_token, &self.sms_from)
        else {
            let missing: Vec<&str> = [
                (sid.is_none(), "--sms-account-sid (DOCYARD_SMS_ACCOUNT_SID)"),
                (
                    self.sms_auth_token.is_none(),
                    "--sms-auth-token (DOCYARD_SMS_AUTH_TOKEN)",
                ),
                (self.sms_from.is_none(), "--sms-from (DOCYARD_SMS_FROM)"),
            ]
            .into_iter()
            .filter_map(|(absent, flag)| absent.then_some(flag))
            .collect();
            anyhow::bail!("--sms-provider twilio needs {}", missing.join(" and "));
        };
        Ok(SmsSettings::Http(HttpSmsSettings {
            api_url: self.sms_api_url.clone(),
            account_sid: sid.to_owned(),
            auth_token: token.clone(),
            from: from.clone(),
        }))
    }
}

fn parse_api_url(raw: &str) -> anyhow::Result<url::Url> {
    let url = url::Url::parse(raw)?;
    anyhow::ensure!(
        matches!(url.scheme(), "http" | "https"),
        "must be an http:// or https:// URL"
    );
    Ok(url)
}

fn parse_token(raw: &str) -> Result<SmsAuthToken, std::convert::Infallible> {
    Ok(SmsAuthToken::new(raw.to_owned()))
}

#[derive(Debug, clap::Subcommand)]
pub enum SmsCommand {
    /// Print the messages the development backend kept, newest first.
    Outbox {
        /// Only messages to this number.
        #[arg(long, value_parser = PhoneNumber::parse)]
        phone: Option<PhoneNumber>,
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..))]
        limit: i64,
        /// Print a JSON array of {phone, body, sentAt}.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PrintedMessage<'a> {
    phone: &'a str,
    body: &'a str,
    sent_at: Timestamp,
}

pub async fn run(data_dir: &Path, command: SmsCommand) -> anyhow::Result<()> {
    let SmsCommand::Outbox { phone, limit, json } = command;
    let state = offline_state(data_dir).await?;
    let messages = state.store.outbox(phone.as_ref(), limit).await?;
    if json {
        let printed: Vec<_> = messages
            .iter()
            .map(|m| PrintedMessage {
                phone: &m.phone,
                body: &m.body,
                sent_at: m.sent_at,
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&printed)?);
        return Ok(());
    }
    if messages.is_empty() {
        println!("the outbox is empty");
    }
    for m in &messages {
        println!("{}  to {}\n{}\n", m.sent_at, m.phone, m.body);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Only {
        #[command(flatten)]
        sms: SmsArgs,
    }

    fn settings(args: &[&str]) -> anyhow::Result<SmsSettings> {
        let args = std::iter::once("docyard").chain(args.iter().copied());
        Only::try_parse_from(args)
            .expect("flags parse")
            .sms
            .settings()
    }

    #[test]
    fn twilio_without_its_credentials_names_what_is_missing() {
        let error = settings(&["--sms-provider", "twilio", "--sms-from", "+15550100100"])
            .expect_err("incomplete settings");

        let message = error.to_string();
        assert!(
            message.contains("--sms-account-sid (DOCYARD_SMS_ACCOUNT_SID)"),
            "{message}"
        );
        assert!(
            message.contains("--sms-auth-token (DOCYARD_SMS_AUTH_TOKEN)"),
            "{message}"
        );
        assert!(!message.contains("--sms-from"), "{message}");
    }

    #[test]
    fn twilio_with_its_credentials_builds_http_settings() {
        let built = settings(&[
            "--sms-provider",
            "twilio",
            "--sms-account-sid",
            "AC0123",
            "--sms-auth-token",
            "s3cret",
            "--sms-from",
            "+1 555 010 0100",
        ])
        .expect("complete settings");

        let SmsSettings::Http(http) = built else {
            panic!("expected the HTTP backend, got {built:?}");
        };
        assert_eq!(http.api_url.as_str(), "https://api.twilio.com/");
        assert_eq!(http.account_sid, "AC0123");
        assert_eq!(http.auth_token.expose(), "s3cret");
        assert_eq!(http.from.as_str(), "+15550100100");
    }
}
