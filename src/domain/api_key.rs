//! API keys: `dk_live_<32 base62>` or `dk_test_<32 base62>`. The secret is
//! shown once and stored only as a SHA-256 hash.

use std::fmt;

use rand::distributions::{Alphanumeric, DistString};
use sha2::{Digest, Sha256};

const SECRET_LEN: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyEnvironment {
    Live,
    Test,
}

/// A full API key secret. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("is not a DocYard API key (dk_live_... or dk_test_... followed by 32 letters and digits)")]
pub struct ApiKeyError;

impl ApiKey {
    pub fn generate(environment: KeyEnvironment) -> Self {
        let prefix = match environment {
            KeyEnvironment::Live => "dk_live_",
            KeyEnvironment::Test => "dk_test_",
        };
        let secret = Alphanumeric.sample_string(&mut rand::rngs::OsRng, SECRET_LEN);
        Self(format!("{prefix}{secret}"))
    }

    pub fn parse(raw: &str) -> Result<Self, ApiKeyError> {
        let secret = raw
            .strip_prefix("dk_live_")
            .or_else(|| raw.strip_prefix("dk_test_"))
            .ok_or(ApiKeyError)?;
        if secret.len() != SECRET_LEN || !secret.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(ApiKeyError);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The hex SHA-256 under which the key is stored. A fast hash is enough:
    /// the secret carries 190 bits of entropy, so there is nothing to guess.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }

    /// The part that may be shown in listings, such as `dk_test_a1b2`.
    pub fn display_prefix(&self) -> String {
        self.0.chars().take(12).collect()
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({}...)", self.display_prefix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_parse_and_hash_stably() {
        let key = ApiKey::generate(KeyEnvironment::Test);

        let parsed = ApiKey::parse(key.expose()).expect("valid");

        assert!(key.expose().starts_with("dk_test_"));
        assert_eq!(parsed.hash(), key.hash());
        assert!(!format!("{key:?}").contains(&key.expose()[12..]));
    }

    #[test]
    fn malformed_keys_are_refused() {
        assert!(ApiKey::parse("dk_live_short").is_err());
        assert!(ApiKey::parse("sk_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").is_err());
        assert!(ApiKey::parse("dk_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!").is_err());
    }
}
