//! Signed download URLs: an HMAC over artifact, recipient and expiry.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::SigningKey;
use crate::domain::{ArtifactId, RecipientId, Timestamp};

type HmacSha256 = Hmac<Sha256>;

/// How long a signed URL lives.
pub const URL_LIFETIME_SECONDS: i64 = 3600;

/// What a valid token grants: these bytes, to this recipient, until then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadGrant {
    pub artifact_id: ArtifactId,
    pub recipient_id: RecipientId,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the download link is malformed or was altered")]
    Invalid,
    #[error("the download link has expired")]
    Expired,
}

#[derive(Clone)]
pub struct UrlSigner {
    key: SigningKey,
}

impl UrlSigner {
    pub fn new(key: SigningKey) -> Self {
        Self { key }
    }

    pub fn sign(&self, grant: &DownloadGrant) -> String {
        let payload = format!(
            "{}.{}.{}",
            grant.artifact_id,
            grant.recipient_id,
            grant.expires_at.micros()
        );
        let tag = self.mac(payload.as_bytes()).finalize().into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(tag)
        )
    }

    pub fn verify(&self, token: &str, now: Timestamp) -> Result<DownloadGrant, TokenError> {
        let (payload, tag) = token.split_once('.').ok_or(TokenError::Invalid)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| TokenError::Invalid)?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag)
            .map_err(|_| TokenError::Invalid)?;
        self.mac(&payload)
            .verify_slice(&tag)
            .map_err(|_| TokenError::Invalid)?;

        let payload = String::from_utf8(payload).map_err(|_| TokenError::Invalid)?;
        let mut parts = payload.split('.');
        let (Some(artifact), Some(recipient), Some(expiry), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Invalid);
        };
        let grant = DownloadGrant {
            artifact_id: ArtifactId::parse(artifact).map_err(|_| TokenError::Invalid)?,
            recipient_id: RecipientId::parse(recipient).map_err(|_| TokenError::Invalid)?,
            expires_at: Timestamp::from_micros(expiry.parse().map_err(|_| TokenError::Invalid)?),
        };
        if now >= grant.expires_at {
            return Err(TokenError::Expired);
        }
        Ok(grant)
    }

    /// A keyed hash of `value`, as hex, for secrets too small to store as a
    /// bare hash (a six-digit code). `purpose` keeps one use's hashes from
    /// standing in for another's.
    pub fn keyed_hash(&self, purpose: &str, value: &str) -> String {
        let mut mac = self.mac(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    fn mac(&self, payload: &[u8]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(self.key.bytes())
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(payload);
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(byte: u8) -> UrlSigner {
        UrlSigner::new(SigningKey::from_bytes(vec![byte; 32]))
    }

    fn grant() -> DownloadGrant {
        DownloadGrant {
            artifact_id: ArtifactId::generate(),
            recipient_id: RecipientId::generate(),
            expires_at: Timestamp::from_micros(2_000_000),
        }
    }

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let token = signer(1).sign(&grant());

        assert!(signer(1)
            .verify(&token, Timestamp::from_micros(1_999_999))
            .is_ok());
        assert_eq!(
            signer(1).verify(&token, Timestamp::from_micros(2_000_000)),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn tampered_or_foreign_tokens_are_invalid() {
        let token = signer(1).sign(&grant());
        let mut tampered = token.clone().into_bytes();
        tampered[3] ^= 1;
        let tampered = String::from_utf8(tampered).unwrap_or_default();

        assert_eq!(
            signer(2).verify(&token, Timestamp::EPOCH),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            signer(1).verify(&tampered, Timestamp::EPOCH),
            Err(TokenError::Invalid)
        );
    }
}
