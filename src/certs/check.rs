//! Whether the certificate presented on a connection vouches for a
//! mortgagee recipient.

use super::inspect;
use crate::db::DbResult;
use crate::domain::{RecipientId, Timestamp};
use crate::state::AppState;

/// Why a mortgagee's key was refused, in words the lender's engineer can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertRefusal {
    #[error(
        "Mortgagee API keys are accepted only over mutual TLS with a client certificate \
         registered to the same recipient; this connection presented no client certificate"
    )]
    Missing,
    #[error("The client certificate could not be read as an X.509 certificate")]
    Unreadable,
    #[error("The client certificate expired at {0}")]
    Expired(Timestamp),
    #[error("The client certificate is not valid until {0}")]
    NotYetValid(Timestamp),
    #[error("The client certificate is registered to another recipient than this API key's")]
    OtherRecipient,
    #[error(
        "The client certificate is not registered to this recipient and was not issued by \
         a trusted client CA to a registered subject"
    )]
    Untrusted,
}

/// `Ok(Ok(()))` when `presented` (DER) vouches for `recipient`.
pub async fn check_mortgagee_cert(
    state: &AppState,
    recipient: &RecipientId,
    presented: Option<&[u8]>,
) -> DbResult<Result<(), CertRefusal>> {
    let Some(der) = presented else {
        return Ok(Err(CertRefusal::Missing));
    };
    let Ok(info) = inspect(der) else {
        return Ok(Err(CertRefusal::Unreadable));
    };
    let now = state.clock.now();
    if now > info.not_after {
        return Ok(Err(CertRefusal::Expired(info.not_after)));
    }
    if now < info.not_before {
        return Ok(Err(CertRefusal::NotYetValid(info.not_before)));
    }
    if let Some(registered) = state
        .store
        .client_cert_by_fingerprint(&info.fingerprint)
        .await?
    {
        return Ok(owned_by(&registered.recipient_id, recipient));
    }
    let Some(ca) = &state.client_ca else {
        return Ok(Err(CertRefusal::Untrusted));
    };
    if !ca.issued(der, now) {
        return Ok(Err(CertRefusal::Untrusted));
    }
    let subjects = state.store.client_certs_by_subject(&info.subject).await?;
    if subjects.iter().any(|s| &s.recipient_id == recipient) {
        return Ok(Ok(()));
    }
    Ok(Err(if subjects.is_empty() {
        CertRefusal::Untrusted
    } else {
        CertRefusal::OtherRecipient
    }))
}

fn owned_by(owner: &RecipientId, recipient: &RecipientId) -> Result<(), CertRefusal> {
    if owner == recipient {
        Ok(())
    } else {
        Err(CertRefusal::OtherRecipient)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_says_what_is_wrong() {
        let at = Timestamp::parse_rfc3339("2026-01-01T00:00:00Z").expect("instant");
        assert!(CertRefusal::Missing
            .to_string()
            .contains("presented no client certificate"));
        assert!(CertRefusal::Expired(at)
            .to_string()
            .contains("expired at 2026-01-01"));
        assert!(CertRefusal::OtherRecipient
            .to_string()
            .contains("another recipient"));
    }
}
