//! The S3 backend against a real S3-compatible server, s3s-fs, started on
//! loopback for each test: the object store's promises, a whole trip from
//! upload to zip through a bucket, and what happens when the store is down.

use std::time::Duration;

use docyard::config::ObjectStoreSettings;
use docyard::domain::Persona;
use docyard::server::Worker;
use docyard::storage::{ObjectStore, S3Store, StorageError, StoredObject};
use futures::{StreamExt, TryStreamExt};
use serde_json::json;

use crate::helpers::{sha256_hex, spawn_app_configured};
use crate::s3_helpers::{S3Server, BUCKET, SECRET_KEY};

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
async fn a_bucket_refusing_the_key_stops_the_server_at_start_in_plain_words() {
    let s3 = S3Server::start().await;
    let dir = tempfile::tempdir().expect("data dir");
    let mut settings = crate::helpers::settings(dir.path());
    settings.objects = ObjectStoreSettings::S3(s3.settings("not-the-secret"));
    let clock = std::sync::Arc::new(docyard::clock::SystemClock);

    let refused = docyard::server::spawn(&settings, clock, Worker::Off)
        .await
        .err()
        .expect("a wrong key is refused");

    let message = format!("{refused:#}");
    assert!(message.contains("object store"), "{message}");
    assert!(
        message.contains(&format!("bucket {BUCKET} is denied")),
        "{message}"
    );
    assert!(
        message.contains("DOCYARD_S3_SECRET_ACCESS_KEY"),
        "{message}"
    );
}

#[tokio::test]
async fn a_store_that_is_down_is_a_503_and_admin_commands_do_not_need_it() {
    let mut s3 = S3Server::start().await;
    let settings = ObjectStoreSettings::S3(s3.settings(SECRET_KEY));
    let app = spawn_app_configured(Worker::Off, |s| s.objects = settings).await;
    let ready = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), 200);
    let agent = app.recipient(Persona::Agent, &[]).await;
    app.upload("kept.pdf", b"%PDF-1.7 kept", &[]).await;
    let job = app.run_job_now(&agent, json!({})).await;
    let link = app.results(&agent.key, &job).await[0]["url"]
        .as_str()
        .expect("a link")
        .to_owned();

    s3.child.kill().expect("stop s3s-fs");
    s3.child.wait().expect("stopped");
    let unready = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("readyz");
    assert_eq!(unready.status(), 503);
    assert_eq!(
        unready.text().await.expect("body"),
        "object store unavailable"
    );

    // Clients are told to come back, not that the server broke.
    let download = app.client.get(&link).send().await.expect("download");
    let upload = app
        .upload_raw(&app.uploader_key, &app.dock, "new.pdf", b"%PDF-1.7", &[])
        .await;
    for response in [download, upload] {
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()["retry-after"], "30");
        let (_, error) = crate::helpers::error_of(response).await;
        assert_eq!(error["code"], "store_unavailable", "{error}");
    }

    // What admin commands build: no bucket is asked for until an object is.
    let mut offline = crate::helpers::settings(app.dir.path());
    offline.objects = ObjectStoreSettings::S3(s3.settings(SECRET_KEY));
    offline.public_url = "http://localhost:3000".to_owned();
    let clock = std::sync::Arc::new(docyard::clock::SystemClock);
    let state = docyard::server::build_state(&offline, clock)
        .await
        .expect("the database alone is enough");
    assert!(state.store.list_docks().await.is_ok());
}

#[tokio::test]
async fn an_upload_dropped_halfway_leaves_nothing_in_the_spool() {
    let s3 = S3Server::start().await;
    let dir = tempfile::tempdir().expect("spool");
    let spool = dir.path().join("spool");
    let store = S3Store::new(&s3.settings(SECRET_KEY), spool.clone());
    // Half a body, then a client that never sends the rest.
    let stalled = futures::stream::once(async { Ok(bytes::Bytes::from_static(b"%PDF-1.7 ha")) })
        .chain(futures::stream::pending())
        .boxed();

    let put = store.put("dock_1/art_stalled", stalled);
    let timed_out = tokio::time::timeout(Duration::from_millis(300), put).await;

    assert!(timed_out.is_err(), "the upload is still waiting for bytes");
    let left: Vec<_> = std::fs::read_dir(&spool).expect("spool dir").collect();
    assert!(left.is_empty(), "the spooled half is removed: {left:?}");
}

#[tokio::test]
async fn a_job_rides_out_a_short_store_outage() {
    let mut s3 = S3Server::start().await;
    let settings = ObjectStoreSettings::S3(s3.settings(SECRET_KEY));
    let app = spawn_app_configured(Worker::Run, |s| s.objects = settings).await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    app.upload("one.pdf", b"%PDF-1.7 one", &[]).await;
    app.upload("two.pdf", b"%PDF-1.7 two", &[]).await;

    s3.child.kill().expect("stop s3s-fs");
    s3.child.wait().expect("stopped");
    let created = app
        .create_job(
            &agent.key,
            json!({"dockId": app.dock, "recipientId": agent.id}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let job: serde_json::Value = created.json().await.expect("job");
    // Back within the worker's first pause before asking again.
    tokio::time::sleep(Duration::from_millis(500)).await;
    s3.start_again().await;

    let done = app
        .wait_for(&agent.key, job["id"].as_str().expect("id"))
        .await;
    assert_eq!(done["readyCount"], 2, "{done}");
    assert_eq!(done["errorCount"], 0, "{done}");
}
