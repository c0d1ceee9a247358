//! What both benchmarks set up: a server on loopback and an agent that may
//! see the whole of one dock.

use std::sync::Arc;

use docyard::clock::SystemClock;
use docyard::config::{RateLimit, Settings, SigningKey};
use docyard::db::{DockRecord, KeyOwner, RecipientRecord};
use docyard::domain::{ApiKey, KeyEnvironment, Metadata, Persona};
use docyard::server::{spawn, RunningServer, Worker};

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

pub struct Bench {
    pub server: RunningServer,
    pub dir: tempfile::TempDir,
    pub dock: DockRecord,
    pub agent: RecipientRecord,
    pub key: ApiKey,
}

/// The first argument that is a number, or `default`.
pub fn size_argument(default: usize) -> usize {
    std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

pub async fn start(dock_name: &str) -> Result<Bench> {
    let dir = tempfile::tempdir()?;
    let unlimited = std::num::NonZeroU32::MAX;
    let settings = Settings {
        data_dir: dir.path().to_path_buf(),
        listen: "127.0.0.1:0".parse()?,
        public_url: String::new(),
        signing_key: SigningKey::from_bytes(vec![1; 32]),
        max_upload_bytes: 1 << 20,
        rate_limit: RateLimit {
            per_second: unlimited,
            burst: unlimited,
        },
        request_timeout: std::time::Duration::from_secs(300),
        tls: None,
        client_ca: None,
        trusted_proxies: Vec::new(),
        sms: Default::default(),
        objects: Default::default(),
    };
    let server = spawn(&settings, Arc::new(SystemClock), Worker::Run).await?;
    let state = &server.state;
    let now = state.clock.now();
    let dock = state.store.create_dock(dock_name, now).await?;
    let agent = state
        .store
        .create_recipient(Persona::Agent, "bench agent", now)
        .await?;
    state
        .store
        .create_grant(&agent.id, &dock.id, &Metadata::default(), now)
        .await?;
    let key = ApiKey::generate(KeyEnvironment::Test);
    let owner = KeyOwner::Recipient(agent.clone());
    state
        .store
        .create_api_key(&owner, &key.hash(), &key.display_prefix(), "bench", now)
        .await?;
    std::fs::create_dir_all(dir.path().join("objects").join(dock.id.as_str()))?;
    Ok(Bench {
        server,
        dir,
        dock,
        agent,
        key,
    })
}
