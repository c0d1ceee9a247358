//! Assembling and running the HTTP server: API, portal, health, worker.

pub mod access;
mod health;
mod http;
mod peer;
mod routes;
pub mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tracing::info;

use crate::certs::ClientCa;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::SqliteStore;
use crate::portal::passkeys::Passkeys;
use crate::signing::UrlSigner;
use crate::state::AppState;

pub use http::{router, served_paths};
pub use peer::PeerInfo;
pub use routes::Routes;

use axum::serve::Listener as _;

use crate::config::TlsSettings;
use tls::TlsListener;

/// Opens the database (applying migrations) and the object store.
pub async fn build_state(settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("cannot create data dir {}", settings.data_dir.display()))?;
    let store = SqliteStore::open(&settings.database_path())
        .await
        .with_context(|| {
            format!(
                "cannot open database {}",
                settings.database_path().display()
            )
        })?;
    let store: Arc<dyn crate::db::Store> = Arc::new(store);
    Ok(AppState {
        sms: crate::sms::sender(&settings.sms, store.clone(), clock.clone()),
        sign_in_limits: Arc::new(crate::portal::SignInLimits::default()),
        store,
        objects: crate::storage::open(settings),
        signer: Arc::new(UrlSigner::new(settings.signing_key.clone())),
        sealer: Arc::new(crate::audit::Sealer::new(&settings.signing_key)),
        clock,
        public_url: Arc::from(settings.public_url.trim_end_matches('/')),
        limiter: Arc::new(governor::RateLimiter::keyed(
            governor::Quota::per_second(settings.rate_limit.per_second)
                .allow_burst(settings.rate_limit.burst),
        )),
        jobs_wakeup: Arc::new(Notify::new()),
        job_progress: Arc::new(tokio::sync::watch::Sender::new(0)),
        leptos: leptos_options(settings),
        passkeys: passkeys(settings)?,
        client_ca: match &settings.client_ca {
            Some(path) => Some(Arc::new(ClientCa::from_pem_file(path)?)),
            None => None,
        },
        trusted_proxies: settings.trusted_proxies.clone().into(),
    })
}

fn passkeys(settings: &Settings) -> anyhow::Result<Option<Arc<Passkeys>>> {
    let passkeys = Passkeys::from_public_url(&settings.public_url, settings.signing_key.bytes())
        .with_context(|| format!("cannot use {} for passkeys", settings.public_url))?;
    if passkeys.is_none() {
        tracing::warn!(
            public_url = %settings.public_url,
            "passkey sign-in is off: browsers refuse passkeys on an IP address; \
             set DOCYARD_PUBLIC_URL to a host name such as http://localhost:3000"
        );
    }
    Ok(passkeys.map(Arc::new))
}

fn leptos_options(settings: &Settings) -> LeptosOptions {
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".to_owned());
    LeptosOptions::builder()
        .output_name("docyard")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(settings.listen)
        .build()
}

/// A server running in the background, as tests and benchmarks use it.
pub struct RunningServer {
    pub addr: SocketAddr,
    /// The HTTPS listener's address, when `settings.tls` asked for one.
    pub tls_addr: Option<SocketAddr>,
    pub state: AppState,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    worker: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving and stops the job worker, as a crash would.
    pub fn abort(&self) {
        self.tasks.iter().for_each(|t| t.abort());
        self.worker.abort();
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.abort();
    }
}

/// Whether a spawned server runs its job worker. Tests that need a job to
/// stay PENDING, as after a crash, start one without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Worker {
    Run,
    Off,
}

/// Binds `settings.listen` (port 0 picks a free port) and serves in the
/// background.
pub async fn spawn(
    settings: &Settings,
    clock: Arc<dyn Clock>,
    worker: Worker,
) -> anyhow::Result<RunningServer> {
    let listener = TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let addr = listener.local_addr()?;
    let mut settings = settings.clone();
    if settings.public_url.is_empty() {
        settings.public_url = format!("http://{addr}");
    }
    let state = serving_state(&settings, clock).await?;
    let worker = match worker {
        Worker::Run => crate::jobs::spawn_worker(state.clone()),
        Worker::Off => tokio::spawn(async {}),
    };
    let app = router(state.clone(), &settings);
    let mut tasks = Vec::new();
    let plain = app
        .clone()
        .into_make_service_with_connect_info::<PeerInfo>();
    tasks.push(tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, plain).await {
            tracing::error!(error = %e, "server stopped");
        }
    }));
    let mut tls_addr = None;
    if let Some(tls) = &settings.tls {
        let listener = tls_listener(tls).await?;
        tls_addr = Some(listener.local_addr()?.addr);
        let secure = app.into_make_service_with_connect_info::<PeerInfo>();
        tasks.push(tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, secure).await {
                tracing::error!(error = %e, "TLS server stopped");
            }
        }));
    }
    Ok(RunningServer {
        addr,
        tls_addr,
        state,
        tasks,
        worker,
    })
}

async fn tls_listener(tls: &TlsSettings) -> anyhow::Result<TlsListener> {
    let config = tls::server_config(&tls.cert, &tls.key)?;
    let tcp = TcpListener::bind(tls.listen)
        .await
        .with_context(|| format!("cannot listen on {}", tls.listen))?;
    Ok(TlsListener::new(tcp, config)?)
}

/// The state a server runs on: a store that does not let DocYard in stops
/// it here, in the store's own words, rather than at the first upload.
async fn serving_state(settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    let state = build_state(settings, clock).await?;
    state
        .objects
        .check()
        .await
        .context("the object store is not usable")?;
    Ok(state)
}

/// Runs until interrupted.
pub async fn serve(settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    let listener = TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let state = serving_state(settings, clock).await?;
    let site: PathBuf = state.leptos.site_root.as_ref().into();
    if !site.join("pkg").exists() {
        tracing::warn!(
            site = %site.display(),
            "the portal's compiled assets are missing; build with `cargo leptos build`"
        );
    }
    if matches!(settings.sms, crate::config::SmsSettings::Outbox)
        && settings.public_url.starts_with("https://")
    {
        tracing::warn!(
            public_url = %settings.public_url,
            "policyholders' sign-in codes go to the development SMS outbox, not to phones; \
             set DOCYARD_SMS_PROVIDER=twilio for a public portal"
        );
    }
    let worker = crate::jobs::spawn_worker(state.clone());
    let sweeper = crate::portal::spawn_session_sweeper(state.clone());
    let app = router(state, settings);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let until_stopped = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|s| *s).await;
        }
    };
    let plain = axum::serve(
        listener,
        app.clone()
            .into_make_service_with_connect_info::<PeerInfo>(),
    )
    .with_graceful_shutdown(until_stopped());
    info!(listen = %settings.listen, public_url = %settings.public_url, "DocYard is serving");
    let secure = match &settings.tls {
        Some(tls) => {
            let listener = tls_listener(tls).await?;
            info!(listen = %tls.listen, "serving HTTPS with optional client certificates");
            let service = app.into_make_service_with_connect_info::<PeerInfo>();
            Some(axum::serve(listener, service).with_graceful_shutdown(until_stopped()))
        }
        None => None,
    };
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    let secure = async move {
        match secure {
            Some(server) => server.await,
            None => Ok(()),
        }
    };
    let (plain, secure) = tokio::join!(plain, secure);
    plain.context("the server stopped unexpectedly")?;
    secure.context("the TLS server stopped unexpectedly")?;
    worker.abort();
    sweeper.abort();
    Ok(())
}

/// Ctrl-C, or SIGTERM as service managers send it.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
    info!("shutting down: finishing open requests");
}
