//! `spawn_app()` and a typed helper per endpoint.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use docyard::clock::OffsetClock;
use docyard::config::{RateLimit, Settings, SigningKey};
use docyard::db::KeyOwner;
use docyard::domain::{ApiKey, DockId, KeyEnvironment, Metadata, Persona, RecipientId};
use docyard::server::{spawn, RunningServer, Worker};
use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::tls_helpers::{CertFiles, TestTls};

pub struct TestApp {
    pub server: RunningServer,
    pub tls: TestTls,
    /// HTTPS clients of the mortgagee keys, which count only over mutual TLS.
    mtls: Mutex<HashMap<String, reqwest::Client>>,
    pub clock: Arc<OffsetClock>,
    pub client: reqwest::Client,
    pub dir: Arc<tempfile::TempDir>,
    pub dock: DockId,
    pub uploader_key: String,
}

/// A recipient with a key, as tests act for it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: RecipientId,
    pub key: String,
    /// A mortgagee's client certificate, registered to it.
    pub cert: Option<CertFiles>,
}

pub fn settings(dir: &std::path::Path) -> Settings {
    Settings {
        data_dir: dir.to_path_buf(),
        listen: "127.0.0.1:0".parse().expect("loopback address"),
        public_url: String::new(),
        signing_key: SigningKey::from_bytes(vec![7; 32]),
        max_upload_bytes: 1024 * 1024,
        rate_limit: RateLimit {
            per_second: nonzero(50),
            burst: nonzero(100),
        },
        request_timeout: std::time::Duration::from_secs(30),
        tls: None,
        client_ca: None,
        trusted_proxies: Vec::new(),
        sms: Default::default(),
        objects: Default::default(),
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Worker::Run).await
}

pub async fn spawn_app_with(worker: Worker) -> TestApp {
    spawn_app_configured(worker, |_| {}).await
}

/// A server whose settings the test adjusts first.
pub async fn spawn_app_configured(worker: Worker, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    let clock = Arc::new(OffsetClock::default());
    let mut settings = settings(dir.path());
    let tls = crate::tls_helpers::enable(&mut settings);
    adjust(&mut settings);
    let server = spawn(&settings, clock.clone(), worker)
        .await
        .expect("server starts");
    let state = &server.state;
    let dock = state
        .store
        .create_dock("test dock", state.clock.now())
        .await
        .expect("dock");
    let owner = KeyOwner::Uploader(dock.id.clone());
    let uploader_key = make_key(&server, &owner).await;
    TestApp {
        server,
        tls,
        mtls: Mutex::new(HashMap::new()),
        clock,
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client"),
        dir,
        dock: dock.id,
        uploader_key,
    }
}

async fn make_key(server: &RunningServer, owner: &KeyOwner) -> String {
    let key = ApiKey::generate(KeyEnvironment::Test);
    let now = server.state.clock.now();
    server
        .state
        .store
        .create_api_key(owner, &key.hash(), &key.display_prefix(), "test", now)
        .await
        .expect("key");
    key.expose().to_owned()
}

impl TestApp {
    /// The whole audit trail, oldest first.
    pub async fn trail(&self) -> Vec<docyard::db::AuditRecord> {
        self.server
            .state
            .store
            .audit_events(0, 10_000)
            .await
            .expect("the audit trail")
    }

    /// The same data dir served again, as after a restart.
    pub async fn restart(&self, worker: Worker) -> RunningServer {
        self.server.abort();
        spawn(&settings(self.dir.path()), self.clock.clone(), worker)
            .await
            .expect("restarts")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    pub async fn other_dock(&self) -> DockId {
        let state = &self.server.state;
        state
            .store
            .create_dock("another carrier", state.clock.now())
            .await
            .expect("dock")
            .id
    }

    pub async fn uploader_for(&self, dock: &DockId) -> String {
        make_key(&self.server, &KeyOwner::Uploader(dock.clone())).await
    }

    /// A recipient with a grant of `scope` on the test dock and an API key.
    pub async fn recipient(&self, persona: Persona, scope: &[(&str, &str)]) -> Actor {
        self.recipient_on(&self.dock, persona, scope).await
    }

    pub async fn recipient_on(
        &self,
        dock: &DockId,
        persona: Persona,
        scope: &[(&str, &str)],
    ) -> Actor {
        let store = &self.server.state.store;
        let now = self.server.state.clock.now();
        let record = store
            .create_recipient(persona, "test recipient", now)
            .await
            .expect("recipient");
        let scope = Metadata::from_pairs(scope.iter().copied()).expect("scope");
        store
            .create_grant(&record.id, dock, &scope, now)
            .await
            .expect("grant");
        let key = make_key(&self.server, &KeyOwner::Recipient(record.clone())).await;
        let mut cert = None;
        if persona == Persona::Mortgagee {
            let issued = self.tls.ca.client(record.id.as_str(), 1, 30).expect("cert");
            crate::tls_helpers::register(&self.server.state, &record.id, &issued).await;
            cert = Some(crate::tls_helpers::save(
                &self.tls.dir,
                record.id.as_str(),
                &issued,
            ));
            let client = crate::tls_helpers::client(&self.tls, Some(&issued));
            self.mtls.lock().expect("lock").insert(key.clone(), client);
        }
        Actor {
            id: record.id,
            key,
            cert,
        }
    }

    /// Uploads as the dock's uploader. A 429 is waited out as its
    /// `Retry-After` says, as a real uploader would: on a fast machine a
    /// test seeding many files outruns the key's rate limit.
    pub async fn upload(&self, name: &str, bytes: &[u8], metadata: &[(&str, &str)]) -> Value {
        let mut response = self
            .upload_raw(&self.uploader_key, &self.dock, name, bytes, metadata)
            .await;
        while response.status() == StatusCode::TOO_MANY_REQUESTS {
            let seconds = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok()?.parse().ok())
                .expect("a 429 says when to try again");
            tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
            response = self
                .upload_raw(&self.uploader_key, &self.dock, name, bytes, metadata)
                .await;
        }
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "upload of {name} failed"
        );
        response.json().await.expect("artifact JSON")
    }

    pub async fn upload_raw(
        &self,
        key: &str,
        dock: &DockId,
        name: &str,
        bytes: &[u8],
        metadata: &[(&str, &str)],
    ) -> Response {
        let metadata: serde_json::Map<String, Value> = metadata
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let file = Part::bytes(bytes.to_vec())
            .file_name(name.to_owned())
            .mime_str("application/pdf");
        let form = Form::new()
            .text("metadata", Value::Object(metadata).to_string())
            .part("file", file.expect("mime"));
        self.client
            .post(self.url(&format!("/v1/docks/{dock}/artifacts")))
            .bearer_auth(key)
            .multipart(form)
            .send()
            .await
            .expect("request")
    }

    /// The client and base URL a key's requests go through: mortgagee keys
    /// over mutual TLS, everyone else over plain HTTP.
    pub fn route_for(&self, key: &str, path: &str) -> (reqwest::Client, String) {
        match self.mtls.lock().expect("lock").get(key) {
            Some(client) => (client.clone(), self.https_url(path)),
            None => (self.client.clone(), self.url(path)),
        }
    }

    pub fn https_url(&self, path: &str) -> String {
        let addr = self.server.tls_addr.expect("the test server serves HTTPS");
        format!("https://{addr}{path}")
    }

    pub async fn create_job(&self, key: &str, body: Value) -> Response {
        let (client, url) = self.route_for(key, "/v1/retrieval/jobs");
        client
            .post(url)
            .bearer_auth(key)
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, key: &str, path: &str) -> Response {
        let (client, url) = self.route_for(key, path);
        client
            .get(url)
            .bearer_auth(key)
            .send()
            .await
            .expect("request")
    }

    /// Creates a job and waits until it is finished.
    pub async fn run_job(&self, actor: &Actor, mut body: Value) -> Value {
        body["dockId"] = json!(self.dock);
        body["recipientId"] = json!(actor.id);
        let response = self.create_job(&actor.key, body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let job: Value = response.json().await.expect("job JSON");
        self.wait_for(&actor.key, job["id"].as_str().expect("id"))
            .await
    }

    /// Creates a job and runs it in this task, for servers without a worker.
    pub async fn run_job_now(&self, actor: &Actor, mut body: Value) -> String {
        body["dockId"] = json!(self.dock);
        body["recipientId"] = json!(actor.id);
        let job: Value = self
            .create_job(&actor.key, body)
            .await
            .json()
            .await
            .expect("job JSON");
        let id = docyard::domain::JobId::parse(job["id"].as_str().expect("id")).expect("job ID");
        docyard::jobs::run_job(&self.server.state, &id).await;
        id.to_string()
    }

    pub async fn wait_for(&self, key: &str, job_id: &str) -> Value {
        for _ in 0..400 {
            let job: Value = self
                .get(key, &format!("/v1/retrieval/jobs/{job_id}"))
                .await
                .json()
                .await
                .expect("job");
            if job["status"] == "COMPLETED" || job["status"] == "FAILED" {
                return job;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("job {job_id} did not finish within 10 seconds");
    }

    /// Every result item of a completed job, across pages.
    pub async fn results(&self, key: &str, job_id: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/v1/retrieval/jobs/{job_id}/results?limit=7");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let response = self.get(key, &path).await;
            assert_eq!(response.status(), StatusCode::OK);
            let page: Value = response.json().await.expect("page");
            items.extend(page["data"].as_array().expect("data").iter().cloned());
            match page["nextCursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return items,
            }
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The IDs of the ready items.
pub fn ready_ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .filter(|i| i["status"] == "ready")
        .map(|i| i["artifactId"].as_str().expect("id").to_owned())
        .collect()
}

pub async fn error_of(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let body: Value = response.json().await.expect("error JSON");
    (status, body["error"].clone())
}

pub fn nonzero(n: u32) -> std::num::NonZeroU32 {
    std::num::NonZeroU32::new(n).unwrap_or(std::num::NonZeroU32::MIN)
}
