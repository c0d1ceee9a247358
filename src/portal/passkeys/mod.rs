//! The WebAuthn ceremonies: enrolling a passkey from an invite or from the
//! settings page, and signing in with one. Each ceremony's state waits in
//! the server-side session, is taken once, and lapses after five minutes.

mod enrol;
mod sign_in;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tower_sessions::Session;
use webauthn_rs::fake::{FakePasskeyDistribution, WebauthnFakeCredentialGenerator};
use webauthn_rs::prelude::{DiscoverableAuthentication, PasskeyRegistration, Url};
use webauthn_rs::{Webauthn, WebauthnBuilder};

pub use enrol::{finish_enrolment, start_enrolment};
pub use sign_in::{finish_sign_in, start_sign_in};

use super::error::{PortalError, PortalResult};
use crate::domain::{Timestamp, UserId};
use crate::state::AppState;

const CEREMONY_KEY: &str = "ceremony";
const CEREMONY_LIFETIME_SECONDS: i64 = 5 * 60;
const MAX_PASSKEY_NAME: usize = 60;

/// The relying party, from `DOCYARD_PUBLIC_URL`.
pub struct Passkeys {
    webauthn: Webauthn,
    fakes: WebauthnFakeCredentialGenerator<FakePasskeyDistribution>,
}

impl Passkeys {
    /// `None` when the public URL has no host name: browsers refuse
    /// passkeys on an IP address. A loopback IP is read as `localhost`,
    /// where development happens.
    pub fn from_public_url(public_url: &str, secret: &[u8]) -> anyhow::Result<Option<Self>> {
        let mut origin = Url::parse(public_url)?;
        if matches!(origin.host_str(), Some("127.0.0.1" | "[::1]")) {
            origin
                .set_host(Some("localhost"))
                .map_err(|e| anyhow::anyhow!("cannot use localhost as origin: {e}"))?;
        }
        let Some(rp_id) = origin.domain().map(str::to_owned) else {
            return Ok(None);
        };
        let webauthn = WebauthnBuilder::new(&rp_id, &origin)?
            .rp_name("DocYard")
            .build()?;
        let key = Sha256::new()
            .chain_update(b"docyard fake passkey credentials")
            .chain_update(secret)
            .finalize();
        let fakes = WebauthnFakeCredentialGenerator::new(&key)?;
        Ok(Some(Self { webauthn, fakes }))
    }
}

#[derive(Serialize, Deserialize)]
enum Ceremony {
    Enrol {
        state: PasskeyRegistration,
        webauthn_id: String,
        /// Set when enrolling from an invite; otherwise the user is signed in.
        invite_hash: Option<String>,
        started_at: Timestamp,
    },
    SignIn {
        state: DiscoverableAuthentication,
        /// The user the typed handle named, if any.
        hinted: Option<UserId>,
        started_at: Timestamp,
    },
}

fn passkeys(state: &AppState) -> PortalResult<&Arc<Passkeys>> {
    state
        .passkeys
        .as_ref()
        .ok_or(PortalError::PasskeysUnavailable)
}

pub fn invite_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

pub fn normalise_handle(handle: &str) -> String {
    handle.trim().to_lowercase()
}

fn invite_gone() -> PortalError {
    PortalError::Refused(
        "This invitation link is not valid any more: it was used already or has expired."
            .to_owned(),
    )
}

/// Takes the waiting ceremony out of the session: it can be finished once.
async fn take_ceremony(state: &AppState, session: &Session) -> PortalResult<Ceremony> {
    let expired = || PortalError::Refused("The passkey prompt expired; please start again.".into());
    let ceremony: Ceremony = session.remove(CEREMONY_KEY).await?.ok_or_else(expired)?;
    // Saved now: a failed attempt answers with an error status, and the
    // session layer does not save a session on those.
    session.save().await?;
    let started_at = match &ceremony {
        Ceremony::Enrol { started_at, .. } | Ceremony::SignIn { started_at, .. } => *started_at,
    };
    if state.clock.now() >= started_at.plus_seconds(CEREMONY_LIFETIME_SECONDS) {
        return Err(expired());
    }
    Ok(ceremony)
}
