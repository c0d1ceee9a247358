//! `docyard pull`, the reference sync client, against a live server.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use docyard::domain::{JobId, Persona};
use docyard::server::Worker;
use serde_json::Value;

use crate::helpers::{sha256_hex, spawn_app, spawn_app_with, Actor, TestApp};

const SCOPE: [(&str, &str); 2] = [
    ("mortgagee_id", "MTG-1"),
    ("document_type", "declaration-page"),
];

fn pull_command(app: &TestApp, actor: &Actor, out: &Path) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_docyard"));
    command
        .args([
            "pull",
            "--dock",
            app.dock.as_str(),
            "--recipient",
            actor.id.as_str(),
            "--out",
        ])
        .arg(out)
        .env("DOCYARD_API_KEY", &actor.key)
        .env("DOCYARD_LOG", "error")
        .kill_on_drop(true);
    match &actor.cert {
        Some(files) => command
            .args(["--base-url", &app.https_url("")])
            .arg("--cert")
            .arg(&files.cert)
            .arg("--key")
            .arg(&files.key)
            .arg("--cacert")
            .arg(&app.tls.ca_file),
        None => command.args(["--base-url", &app.server.base_url()]),
    };
    command
}

async fn pull(app: &TestApp, actor: &Actor, out: &Path) -> String {
    let output = pull_command(app, actor, out)
        .output()
        .await
        .expect("docyard pull runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

/// File name in the out dir -> contents, ignoring the state file.
fn landed(out: &Path) -> HashMap<String, Vec<u8>> {
    std::fs::read_dir(out)
        .expect("out dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(".json"))
        })
        // A `.partial` may be renamed while a running pull is watched.
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some((p.file_name()?.to_string_lossy().into_owned(), bytes))
        })
        .collect()
}

#[tokio::test]
async fn an_upload_during_a_running_job_arrives_in_exactly_one_of_two_chained_pulls() {
    let app = spawn_app_with(Worker::Off).await;
    let mortgagee = app
        .recipient(Persona::Mortgagee, &[("mortgagee_id", "MTG-1")])
        .await;
    let out = tempfile::tempdir().expect("out dir");
    let a = app.upload("a.pdf", b"%PDF a", &SCOPE).await;
    let b = app.upload("b.pdf", b"%PDF b", &SCOPE).await;

    let first = pull_command(&app, &mortgagee, out.path()).output();
    let first = tokio::spawn(first);
    let job_id = loop {
        let page: Value = app
            .get(&mortgagee.key, "/v1/retrieval/jobs")
            .await
            .json()
            .await
            .expect("jobs");
        if let Some(id) = page["data"][0]["id"].as_str() {
            break JobId::parse(id).expect("job id");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let state = app.server.state.clone();
    state
        .store
        .start_job(&job_id, state.clock.now())
        .await
        .expect("snapshot");
    let c = app.upload("c.pdf", b"%PDF c", &SCOPE).await;
    docyard::jobs::run_job(&state, &job_id).await;
    let first = first.await.expect("join").expect("pull 1");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let worker = docyard::jobs::spawn_worker(state.clone());
    let second = pull(&app, &mortgagee, out.path()).await;
    let third = pull(&app, &mortgagee, out.path()).await;
    worker.abort();

    assert!(String::from_utf8_lossy(&first.stdout).starts_with("downloaded 2 new files"));
    assert!(second.starts_with("downloaded 1 new files"), "{second}");
    assert!(third.starts_with("downloaded 0 new files"), "{third}");
    let files = landed(out.path());
    assert_eq!(files.len(), 3);
    for (artifact, body) in [(&a, b"%PDF a"), (&b, b"%PDF b"), (&c, b"%PDF c")] {
        let id = artifact["id"].as_str().expect("id");
        let matching: Vec<_> = files
            .iter()
            .filter(|(name, _)| name.starts_with(id))
            .collect();
        assert_eq!(matching.len(), 1, "{id} must land exactly once");
        assert_eq!(matching[0].1.as_slice(), body.as_slice());
    }
}

#[tokio::test]
async fn a_pull_killed_halfway_and_run_again_ends_with_every_file_once_and_intact() {
    let app = spawn_app().await;
    let mortgagee = app
        .recipient(Persona::Mortgagee, &[("mortgagee_id", "MTG-1")])
        .await;
    let out = tempfile::tempdir().expect("out dir");
    let mut expected = HashMap::new();
    for i in 0..150 {
        let body: Vec<u8> = (0..64 * 1024).map(|b| (b * 13 + i) as u8).collect();
        let artifact = app.upload(&format!("dec-{i}.pdf"), &body, &SCOPE).await;
        expected.insert(
            artifact["id"].as_str().expect("id").to_owned(),
            sha256_hex(&body),
        );
    }

    let mut first = pull_command(&app, &mortgagee, out.path())
        .spawn()
        .expect("pull starts");
    for _ in 0..500 {
        if landed(out.path())
            .keys()
            .filter(|n| !n.ends_with(".partial"))
            .count()
            >= 3
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.start_kill().expect("kill");
    first.wait().await.expect("killed");
    pull(&app, &mortgagee, out.path()).await;

    let files = landed(out.path());
    assert!(
        files.keys().all(|n| !n.ends_with(".partial")),
        "no partial file may remain"
    );
    assert_eq!(files.len(), expected.len());
    for (name, body) in &files {
        let id = name.split('_').take(2).collect::<Vec<_>>().join("_");
        assert_eq!(
            expected.get(&id),
            Some(&sha256_hex(body)),
            "{name} is corrupt or unexpected"
        );
    }
    let state: Value = serde_json::from_slice(
        &std::fs::read(out.path().join(".docyard-pull.json")).expect("state file"),
    )
    .expect("state JSON");
    assert!(state["watermark"].is_string() && state["jobInProgress"].is_null());
}

/// A job that left files behind (here an object lost, then put back) is
/// not handed back by its idempotency key on the next run: that run asks
/// for a new job and gets every file.
#[tokio::test]
async fn a_pull_after_one_that_left_files_behind_asks_for_a_new_job() {
    let app = spawn_app().await;
    let mortgagee = app
        .recipient(Persona::Mortgagee, &[("mortgagee_id", "MTG-1")])
        .await;
    let out = tempfile::tempdir().expect("out dir");
    app.upload("kept.pdf", b"%PDF-1.7 kept", &SCOPE).await;
    let lost = app.upload("lost.pdf", b"%PDF-1.7 lost", &SCOPE).await;
    let object = app
        .dir
        .path()
        .join("objects")
        .join(app.dock.as_str())
        .join(lost["id"].as_str().expect("id"));
    let aside = app.dir.path().join("lost-object");
    std::fs::rename(&object, &aside).expect("lose the object");

    let first = pull_command(&app, &mortgagee, out.path())
        .output()
        .await
        .expect("docyard pull runs");
    assert!(!first.status.success(), "a file could not be delivered");
    assert_eq!(landed(out.path()).len(), 1);

    std::fs::rename(&aside, &object).expect("put the object back");
    pull(&app, &mortgagee, out.path()).await;

    let files = landed(out.path());
    assert_eq!(files.len(), 2, "{:?}", files.keys());
    assert!(files.values().any(|bytes| bytes == b"%PDF-1.7 lost"));
}
