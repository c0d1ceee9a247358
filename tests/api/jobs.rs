//! The three requests of the original retrieval-jobs page, end to end.

use docyard::domain::Persona;
use docyard::server::Worker;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_of, ready_ids, sha256_hex, spawn_app, spawn_app_with};

const DECLARATION: (&str, &str) = ("document_type", "declaration-page");

#[tokio::test]
async fn a_mortgagee_daily_sync_returns_its_declaration_pages() {
    let app = spawn_app().await;
    let mortgagee = app
        .recipient(Persona::Mortgagee, &[("mortgagee_id", "MTG-1")])
        .await;
    let mine = app
        .upload(
            "dec.pdf",
            b"%PDF-1 mine",
            &[DECLARATION, ("mortgagee_id", "MTG-1")],
        )
        .await;
    app.upload(
        "inv.pdf",
        b"%PDF-1 invoice",
        &[("document_type", "invoice"), ("mortgagee_id", "MTG-1")],
    )
    .await;
    app.upload(
        "other.pdf",
        b"%PDF-1 other",
        &[DECLARATION, ("mortgagee_id", "MTG-2")],
    )
    .await;

    let response = app
        .create_job(
            &mortgagee.key,
            json!({"dockId": app.dock, "recipientId": mortgagee.id,
                   "metadata": {"document_type": "declaration-page"},
                   "sinceTimestamp": "2025-01-14T00:00:00.000Z"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.expect("job");
    assert!(created["id"]
        .as_str()
        .is_some_and(|id| id.starts_with("job_")));
    assert_eq!(created["dockId"], json!(app.dock));
    for field in ["totalCount", "readyCount", "errorCount"] {
        assert!(created[field].is_i64(), "{field} missing");
    }
    assert!(created["createdAt"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    let job = app
        .wait_for(&mortgagee.key, created["id"].as_str().expect("id"))
        .await;
    let items = app
        .results(&mortgagee.key, created["id"].as_str().expect("id"))
        .await;

    assert_eq!(job["status"], "COMPLETED");
    assert_eq!(
        (job["totalCount"].as_i64(), job["readyCount"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        ready_ids(&items),
        vec![mine["id"].as_str().expect("id").to_owned()]
    );
}

#[tokio::test]
async fn an_agent_batch_downloads_every_document_of_a_policy_with_matching_checksums() {
    let app = spawn_app().await;
    let agent = app
        .recipient(Persona::Agent, &[("agent_code", "AG-1")])
        .await;
    let policy = [("policy_number", "POL-2025-88401"), ("agent_code", "AG-1")];
    let files: Vec<(String, Vec<u8>)> = (0..9)
        .map(|i| {
            (
                format!("doc-{i}.pdf"),
                format!("%PDF-1.7 body {i}").into_bytes(),
            )
        })
        .collect();
    for (name, bytes) in &files {
        app.upload(name, bytes, &policy).await;
    }
    app.upload(
        "x.pdf",
        b"other policy",
        &[("policy_number", "POL-1"), ("agent_code", "AG-1")],
    )
    .await;

    let job = app
        .run_job(
            &agent,
            json!({"metadata": {"policy_number": "POL-2025-88401"}}),
        )
        .await;
    let items = app
        .results(&agent.key, job["id"].as_str().expect("id"))
        .await;

    assert_eq!(items.len(), files.len());
    for item in &items {
        let url = item["url"].as_str().expect("url");
        let bytes = app
            .client
            .get(url)
            .send()
            .await
            .expect("download")
            .bytes()
            .await
            .expect("body");
        assert_eq!(sha256_hex(&bytes), item["sha256"].as_str().expect("sha256"));
        assert_eq!(item["sizeBytes"].as_u64(), Some(bytes.len() as u64));
        assert!(item["urlExpiresAt"].is_string() && item["createdAt"].is_string());
        assert_eq!(item["metadata"]["policy_number"], "POL-2025-88401");
    }
}

#[tokio::test]
async fn a_targeted_pull_reports_ids_outside_the_grant_as_not_found() {
    let app = spawn_app().await;
    let mortgagee = app
        .recipient(Persona::Mortgagee, &[("mortgagee_id", "MTG-1")])
        .await;
    let visible = app
        .upload("a.pdf", b"a", &[("mortgagee_id", "MTG-1")])
        .await;
    let foreign = app
        .upload("b.pdf", b"b", &[("mortgagee_id", "MTG-2")])
        .await;
    let other_dock = app.other_dock().await;
    let other_key = app.uploader_for(&other_dock).await;
    let response = app
        .upload_raw(
            &other_key,
            &other_dock,
            "c.pdf",
            b"c",
            &[("mortgagee_id", "MTG-1")],
        )
        .await;
    let elsewhere: Value = response.json().await.expect("artifact");
    let unknown = "art_01HQ3M0000000000000000000Z";

    let job = app
        .run_job(
            &mortgagee,
            json!({"artifactIds": [visible["id"], foreign["id"], elsewhere["id"], unknown]}),
        )
        .await;
    let items = app
        .results(&mortgagee.key, job["id"].as_str().expect("id"))
        .await;

    assert_eq!(job["status"], "COMPLETED");
    assert_eq!(
        (job["readyCount"].as_i64(), job["errorCount"].as_i64()),
        (Some(1), Some(3))
    );
    assert_eq!(
        ready_ids(&items),
        vec![visible["id"].as_str().expect("id").to_owned()]
    );
    let failed: Vec<&Value> = items.iter().filter(|i| i["status"] == "error").collect();
    assert_eq!(failed.len(), 3);
    assert!(failed.iter().all(|i| i["code"] == "not_found"));
    assert!(
        failed.iter().all(|i| i["message"] == failed[0]["message"]),
        "a foreign ID must read like a missing one"
    );
}

#[tokio::test]
async fn a_missing_or_altered_object_is_an_error_item_not_a_failed_job() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let kept = app.upload("kept.pdf", b"kept", &[]).await;
    let lost = app.upload("lost.pdf", b"lost", &[]).await;
    let altered = app.upload("altered.pdf", b"altered", &[]).await;
    let objects = app.dir.path().join("objects").join(app.dock.as_str());
    std::fs::remove_file(objects.join(lost["id"].as_str().expect("id"))).expect("remove");
    std::fs::write(
        objects.join(altered["id"].as_str().expect("id")),
        b"tampered",
    )
    .expect("alter");

    let job = app.run_job(&agent, json!({})).await;
    let items = app
        .results(&agent.key, job["id"].as_str().expect("id"))
        .await;

    assert_eq!(job["status"], "COMPLETED");
    assert_eq!(
        ready_ids(&items),
        vec![kept["id"].as_str().expect("id").to_owned()]
    );
    let codes: Vec<&str> = items.iter().filter_map(|i| i["code"].as_str()).collect();
    assert_eq!(codes, vec!["object_missing", "checksum_mismatch"]);
}

#[tokio::test]
async fn results_are_a_conflict_before_the_job_completes() {
    let app = spawn_app_with(Worker::Off).await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let response = app
        .create_job(
            &agent.key,
            json!({"dockId": app.dock, "recipientId": agent.id}),
        )
        .await;
    let job: Value = response.json().await.expect("job");

    let (status, error) = error_of(
        app.get(
            &agent.key,
            &format!(
                "/v1/retrieval/jobs/{}/results",
                job["id"].as_str().expect("id")
            ),
        )
        .await,
    )
    .await;

    assert_eq!(job["status"], "PENDING");
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error["code"], "job_not_completed");
}

#[tokio::test]
async fn a_job_left_behind_by_a_stopped_server_is_finished_once_after_restart() {
    let app = spawn_app_with(Worker::Off).await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    for i in 0..5 {
        app.upload(&format!("{i}.pdf"), format!("doc {i}").as_bytes(), &[])
            .await;
    }
    let pending: Value = app
        .create_job(
            &agent.key,
            json!({"dockId": app.dock, "recipientId": agent.id}),
        )
        .await
        .json()
        .await
        .expect("job");
    let running: Value = app
        .create_job(
            &agent.key,
            json!({"dockId": app.dock, "recipientId": agent.id}),
        )
        .await
        .json()
        .await
        .expect("job");
    let running_id =
        docyard::domain::JobId::parse(running["id"].as_str().expect("id")).expect("id");
    app.server
        .state
        .store
        .start_job(&running_id, app.server.state.clock.now())
        .await
        .expect("start");

    let restarted = app.restart(Worker::Run).await;
    let key = agent.key.clone();
    let client = reqwest::Client::new();
    let mut finished = Vec::new();
    for id in [pending["id"].as_str().expect("id"), running_id.as_str()] {
        let mut job = Value::Null;
        for _ in 0..400 {
            let url = format!("{}/v1/retrieval/jobs/{id}", restarted.base_url());
            job = client
                .get(url)
                .bearer_auth(&key)
                .send()
                .await
                .expect("get")
                .json()
                .await
                .expect("job");
            if job["status"] == "COMPLETED" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        finished.push(job);
    }

    for job in finished {
        assert_eq!(job["status"], "COMPLETED");
        assert_eq!(
            (job["totalCount"].as_i64(), job["readyCount"].as_i64()),
            (Some(5), Some(5))
        );
        assert_eq!(job["errorCount"].as_i64(), Some(0));
    }
}

#[tokio::test]
async fn jobs_are_listed_newest_first_and_only_to_their_owner() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let other = app.recipient(Persona::Agent, &[]).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let job: Value = app
            .create_job(
                &agent.key,
                json!({"dockId": app.dock, "recipientId": agent.id}),
            )
            .await
            .json()
            .await
            .expect("job");
        ids.push(job["id"].as_str().expect("id").to_owned());
    }

    let first: Value = app
        .get(&agent.key, "/v1/retrieval/jobs?limit=2")
        .await
        .json()
        .await
        .expect("page");
    let cursor = first["nextCursor"].as_str().expect("cursor").to_owned();
    let second: Value = app
        .get(
            &agent.key,
            &format!("/v1/retrieval/jobs?limit=2&cursor={cursor}"),
        )
        .await
        .json()
        .await
        .expect("page");
    let theirs: Value = app
        .get(&other.key, "/v1/retrieval/jobs")
        .await
        .json()
        .await
        .expect("page");
    let (status, _) = error_of(
        app.get(&other.key, &format!("/v1/retrieval/jobs/{}", ids[0]))
            .await,
    )
    .await;

    let listed: Vec<&str> = first["data"]
        .as_array()
        .into_iter()
        .chain(second["data"].as_array())
        .flatten()
        .filter_map(|j| j["id"].as_str())
        .collect();
    ids.reverse();
    assert_eq!(listed, ids);
    assert_eq!(second["hasMore"], false);
    assert_eq!(theirs["data"].as_array().map(Vec::len), Some(0));
    assert_eq!(status, StatusCode::NOT_FOUND);
}
