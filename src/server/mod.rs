//! Assembling and running the HTTP server: API, portal, health, worker.

mod health;
mod http;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tracing::info;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::SqliteStore;
use crate::portal::passkeys::Passkeys;
use crate::signing::UrlSigner;
use crate::state::AppState;
use crate::storage::LocalStore;

pub use http::router;

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
    Ok(AppState {
        store: Arc::new(store),
        objects: Arc::new(LocalStore::new(settings.objects_dir())),
        signer: Arc::new(UrlSigner::new(settings.signing_key.clone())),
        clock,
        public_url: Arc::from(settings.public_url.trim_end_matches('/')),
        limiter: Arc::new(governor::RateLimiter::keyed(
            governor::Quota::per_second(settings.rate_limit.per_second)
                .allow_burst(settings.rate_limit.burst),
        )),
        jobs_wakeup: Arc::new(Notify::new()),
        leptos: leptos_options(settings),
        passkeys: passkeys(settings)?,
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
    pub state: AppState,
    task: tokio::task::JoinHandle<()>,
    worker: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving and stops the job worker, as a crash would.
    pub fn abort(&self) {
        self.task.abort();
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
    let state = build_state(&settings, clock).await?;
    let worker = match worker {
        Worker::Run => crate::jobs::spawn_worker(state.clone()),
        Worker::Off => tokio::spawn(async {}),
    };
    let app = router(state.clone(), &settings);
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "server stopped");
        }
    });
    Ok(RunningServer {
        addr,
        state,
        task,
        worker,
    })
}

/// Runs until interrupted.
pub async fn serve(settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    let listener = TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let state = build_state(settings, clock).await?;
    let site: PathBuf = state.leptos.site_root.as_ref().into();
    if !site.join("pkg").exists() {
        tracing::warn!(
            site = %site.display(),
            "the portal's compiled assets are missing; build with `cargo leptos build`"
        );
    }
    let worker = crate::jobs::spawn_worker(state.clone());
    let app = router(state, settings);
    info!(listen = %settings.listen, public_url = %settings.public_url, "DocYard is serving");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the server stopped unexpectedly")?;
    worker.abort();
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
