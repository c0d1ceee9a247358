//! What every request handler, the job worker and the portal share.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use tokio::sync::Notify;

use crate::clock::Clock;
use crate::db::Store;
use crate::signing::UrlSigner;
use crate::storage::ObjectStore;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub objects: Arc<dyn ObjectStore>,
    pub signer: Arc<UrlSigner>,
    /// Seals the audit trail after every append.
    pub sealer: Arc<crate::audit::Sealer>,
    pub clock: Arc<dyn Clock>,
    /// Base of the URLs handed to clients, without a trailing slash.
    pub public_url: Arc<str>,
    /// Requests allowed per API key.
    pub limiter: Arc<governor::DefaultKeyedRateLimiter<crate::domain::KeyId>>,
    /// Wakes the job worker when a job is created.
    pub jobs_wakeup: Arc<Notify>,
    /// Ticks whenever the worker changes a job's counts or status, so that
    /// progress streams wake at once rather than polling the database.
    pub job_progress: Arc<tokio::sync::watch::Sender<u64>>,
    pub leptos: LeptosOptions,
    /// The WebAuthn relying party; `None` when the public URL cannot be one.
    pub passkeys: Option<Arc<crate::portal::passkeys::Passkeys>>,
    pub client_ca: Option<Arc<crate::certs::ClientCa>>,
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// Delivers policyholders' sign-in codes.
    pub sms: Arc<dyn crate::sms::SmsSender>,
    /// How often policyholders and auditors may try to sign in.
    pub sign_in_limits: Arc<crate::portal::SignInLimits>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
