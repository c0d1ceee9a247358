//! The S3 backend against a real S3-compatible server, s3s-fs, started on
//! loopback for each test: the object store's promises, and a whole trip
//! from upload to zip through a bucket.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use docyard::config::{ObjectStoreSettings, S3Settings, Secret};
use docyard::domain::Persona;
use docyard::server::Worker;
use docyard::storage::{ObjectStore, S3Store, StorageError, StoredObject};
use futures::{StreamExt, TryStreamExt};
use serde_json::json;

use crate::helpers::{sha256_hex, spawn_app_configured};

const BUCKET: &str = "docyard-test";
const ACCESS_KEY: &str = "docyard-access";
const SECRET_KEY: &str = "docyard-secret-key";

/// An s3s-fs server on a free loopback port, stopped when dropped. It
/// checks request signatures, so a wrong key is refused as by S3 itself.
struct S3Server {
    child: Child,
    endpoint: String,
    root: tempfile::TempDir,
}

impl S3Server {
    async fn start() -> Self {
        let root = tempfile::tempdir().expect("bucket root");
        // s3s-fs keeps each bucket as a folder of its root.
        std::fs::create_dir(root.path().join(BUCKET)).expect("bucket");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("s3s-fs")
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(root.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("s3s-fs starts (dev/setup.sh --test installs it)");
        let server = Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            root,
        };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("s3s-fs did not listen on port {port} within 5 seconds");
    }

    fn settings(&self, secret: &str) -> S3Settings {
        S3Settings {
            bucket: BUCKET.to_owned(),
            region: "us-east-1".to_owned(),
            endpoint: Some(self.endpoint.parse().expect("endpoint URL")),
            access_key_id: ACCESS_KEY.to_owned(),
            secret_access_key: Secret::new(secret.to_owned()),
            path_style: true,
        }
    }

    /// Where the server keeps an object's bytes on its disk.
    fn file_of(&self, key: &str) -> PathBuf {
        self.root.path().join(BUCKET).join(key)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn body(bytes: &'static [u8]) -> docyard::storage::ByteStream<'static> {
    let halves = [&bytes[..bytes.len() / 2], &bytes[bytes.len() / 2..]];
    futures::stream::iter(halves.map(|h| Ok(bytes::Bytes::from_static(h)))).boxed()
}

async fn read_all(stream: docyard::storage::ByteStream<'static>) -> Vec<u8> {
    stream
        .map_ok(|chunk| chunk.to_vec())
        .try_concat()
        .await
        .expect("read")
}

#[tokio::test]
async fn the_s3_store_measures_reads_ranges_verifies_and_deletes() {
    let s3 = S3Server::start().await;
    let dir = tempfile::tempdir().expect("spool");
    let store = S3Store::new(&s3.settings(SECRET_KEY), dir.path().join("spool"));
    store.check().await.expect("the bucket is reachable");

    let stored = store
        .put("dock_1/art_1", body(b"%PDF-1.7 hello world"))
        .await
        .expect("put");
    assert_eq!(
        stored,
        StoredObject {
            size_bytes: 20,
            sha256: sha256_hex(b"%PDF-1.7 hello world"),
        }
    );
    let whole = store.get("dock_1/art_1", None).await.expect("get");
    assert_eq!(read_all(whole).await, b"%PDF-1.7 hello world");
    let ranged = store.get("dock_1/art_1", Some(9..14)).await.expect("range");
    assert_eq!(read_all(ranged).await, b"hello");
    store.verify("dock_1/art_1", &stored).await.expect("intact");
    let spooled: Vec<_> = std::fs::read_dir(dir.path().join("spool"))
        .expect("spool dir")
        .collect();
    assert!(spooled.is_empty(), "the spooled upload is removed");

    // The store keeps the SHA-256 it was sent with the object: a record
    // that disagrees with it, or with the size, is found out by a HEAD.
    let other_bytes = StoredObject {
        sha256: sha256_hex(b"something else"),
        ..stored.clone()
    };
    let other_size = StoredObject {
        size_bytes: 21,
        ..stored.clone()
    };
    for record in [&other_bytes, &other_size] {
        assert!(matches!(
            store.verify("dock_1/art_1", record).await,
            Err(StorageError::ChecksumMismatch { .. })
        ));
    }

    // An object another tool put there carries no checksum: its bytes are
    // read and hashed instead.
    std::fs::write(s3.file_of("dock_1/art_2"), b"%PDF-1.7 hello world").expect("by hand");
    store.verify("dock_1/art_2", &stored).await.expect("intact");
    std::fs::write(s3.file_of("dock_1/art_2"), b"%PDF-1.7 jello world").expect("tamper");
    assert!(matches!(
        store.verify("dock_1/art_2", &stored).await,
        Err(StorageError::ChecksumMismatch { .. })
    ));

    store.delete("dock_1/art_1").await.expect("delete");
    assert!(matches!(
        store.get("dock_1/art_1", None).await,
        Err(StorageError::NotFound(_))
    ));
    assert!(matches!(
        store.verify("dock_1/art_1", &stored).await,
        Err(StorageError::NotFound(_))
    ));
}

#[tokio::test]
async fn uploads_downloads_and_zips_go_through_the_bucket() {
    let s3 = S3Server::start().await;
    let settings = ObjectStoreSettings::S3(s3.settings(SECRET_KEY));
    let app = spawn_app_configured(Worker::Run, |s| s.objects = settings).await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let scope = [("policy_number", "POL-S3")];
    let first = app.upload("first.pdf", b"%PDF-1.7 first", &scope).await;
    app.upload("second.pdf", b"%PDF-1.7 second", &scope).await;

    let key = format!("{}/{}", app.dock, first["id"].as_str().expect("id"));
    assert!(s3.file_of(&key).is_file(), "the object is in the bucket");
    assert!(
        !app.dir.path().join("objects").exists(),
        "and nothing on the server's disk"
    );

    let gone = app.upload("gone.pdf", b"%PDF-1.7 gone", &scope).await;
    let gone_key = format!("{}/{}", app.dock, gone["id"].as_str().expect("id"));
    std::fs::remove_file(s3.file_of(&gone_key)).expect("lost from the bucket");

    let job = app.run_job(&agent, json!({})).await;
    let job_id = job["id"].as_str().expect("id");
    assert_eq!(job["readyCount"], 2, "{job}");
    assert_eq!(
        job["errorCount"], 1,
        "an object lost from the bucket: {job}"
    );
    let items = app.results(&agent.key, job_id).await;
    let link = items
        .iter()
        .find(|i| i["artifactId"] == first["id"])
        .and_then(|i| i["url"].as_str())
        .expect("a download link");
    let download = app.client.get(link).send().await.expect("download");
    assert_eq!(download.status(), 200);
    assert_eq!(
        &download.bytes().await.expect("bytes")[..],
        b"%PDF-1.7 first"
    );

    let archive = app
        .get(&agent.key, &format!("/v1/retrieval/jobs/{job_id}/archive"))
        .await;
    assert_eq!(archive.status(), 200);
    let bytes = archive.bytes().await.expect("zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.expect("a UTF-8 name").into_owned())
        .collect();
    let second = names
        .iter()
        .find(|n| n.ends_with("second.pdf"))
        .expect("second.pdf in the zip");
    let mut entry = zip.by_name(second).expect("entry");
    let mut content = Vec::new();
    std::io::Read::read_to_end(&mut entry, &mut content).expect("entry bytes");
    assert_eq!(content, b"%PDF-1.7 second");
}

#[tokio::test]
async fn a_bucket_refusing_the_key_stops_the_server_at_start() {
    let s3 = S3Server::start().await;
    let dir = tempfile::tempdir().expect("data dir");
    let mut settings = crate::helpers::settings(dir.path());
    settings.objects = ObjectStoreSettings::S3(s3.settings("not-the-secret"));
    let clock = std::sync::Arc::new(docyard::clock::SystemClock);

    let refused = docyard::server::build_state(&settings, clock)
        .await
        .err()
        .expect("a wrong key is refused");

    let message = format!("{refused:#}");
    assert!(message.contains("object store"), "{message}");
    assert!(message.contains(BUCKET), "{message}");
}
