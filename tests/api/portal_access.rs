//! Who may open the agent portal's pages, live progress and zips.

use app::api::{CreateJobs, SearchDocuments};
use docyard::domain::{JobId, Persona};
use docyard::server::Worker;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with};
use crate::portal_helpers::{call, own_origin, page, portal_user, redirects_to_sign_in};

const AGENT_SCOPE: &[(&str, &str)] = &[("agent_code", "AG-1")];

fn portal_paths(job: &str) -> Vec<String> {
    vec![
        "/portal".to_owned(),
        "/portal/jobs".to_owned(),
        "/portal/settings".to_owned(),
        format!("/portal/jobs/{job}"),
        format!("/portal/jobs/{job}/events"),
        format!("/portal/jobs/{job}/archive"),
    ]
}

#[tokio::test]
async fn signed_out_visitors_and_api_keys_are_sent_to_sign_in() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, AGENT_SCOPE).await;
    let policyholder = app.recipient(Persona::Policyholder, &[]).await;
    let auditor = app.recipient(Persona::Auditor, &[]).await;
    let job = JobId::generate().to_string();

    for path in portal_paths(&job) {
        let anonymous = page(&app, None, &path).await;
        assert!(
            redirects_to_sign_in(&anonymous),
            "{path}: {}",
            anonymous.status()
        );
        for key in [&agent.key, &policyholder.key, &auditor.key] {
            let response = crate::portal_helpers::browser()
                .get(app.url(&path))
                .bearer_auth(key)
                .send()
                .await
                .expect("get");
            assert!(redirects_to_sign_in(&response), "an API key opened {path}");
        }
    }
}

#[tokio::test]
async fn policyholder_and_auditor_accounts_cannot_open_the_portal() {
    let app = spawn_app().await;
    let job = JobId::generate().to_string();
    for persona in [Persona::Policyholder, Persona::Auditor, Persona::Mortgagee] {
        let person = portal_user(&app, persona, &[]).await;
        for path in portal_paths(&job) {
            let response = page(&app, Some(&person.cookie), &path).await;
            assert_eq!(response.status(), 403, "a {persona} opened {path}");
        }
    }
}

#[tokio::test]
async fn an_agent_opens_their_own_job_and_another_agents_job_is_a_404() {
    let app = spawn_app().await;
    app.upload(
        "a.pdf",
        b"%PDF-a",
        &[("agent_code", "AG-1"), ("policy_number", "P-1")],
    )
    .await;
    let owner = portal_user(&app, Persona::Agent, AGENT_SCOPE).await;
    let other = portal_user(&app, Persona::Agent, AGENT_SCOPE).await;
    let job = app
        .run_job(
            &owner.actor,
            json!({ "metadata": { "policy_number": "P-1" } }),
        )
        .await;
    let id = job["id"].as_str().expect("job id");

    let own = page(&app, Some(&owner.cookie), &format!("/portal/jobs/{id}")).await;
    assert_eq!(own.status(), 200);
    assert!(own.text().await.expect("html").contains("Download zip"));
    let zip = page(
        &app,
        Some(&owner.cookie),
        &format!("/portal/jobs/{id}/archive"),
    )
    .await;
    assert_eq!(zip.status(), 200);
    assert_eq!(zip.headers()["content-type"], "application/zip");
    assert_eq!(&zip.bytes().await.expect("zip")[..2], b"PK");
    let events = page(
        &app,
        Some(&owner.cookie),
        &format!("/portal/jobs/{id}/events"),
    )
    .await;
    assert_eq!(events.status(), 200);
    assert_eq!(events.headers()["content-type"], "text/event-stream");

    for path in [
        format!("/portal/jobs/{id}"),
        format!("/portal/jobs/{id}/events"),
        format!("/portal/jobs/{id}/archive"),
    ] {
        let response = page(&app, Some(&other.cookie), &path).await;
        assert_eq!(response.status(), 404, "another agent reached {path}");
    }
    let missing = page(&app, Some(&owner.cookie), "/portal/jobs/job_nonsense").await;
    assert_eq!(missing.status(), 404);
    assert!(missing
        .text()
        .await
        .expect("html")
        .contains("Job not found"));
}

#[tokio::test]
async fn an_expired_result_set_shows_its_own_page_with_410() {
    let app = spawn_app().await;
    app.upload("a.pdf", b"%PDF-a", &[("agent_code", "AG-1")])
        .await;
    let agent = portal_user(&app, Persona::Agent, AGENT_SCOPE).await;
    let job = app.run_job(&agent.actor, json!({})).await;
    let id = job["id"].as_str().expect("job id");

    app.clock.advance_seconds(25 * 3600);
    let cookie = crate::portal_helpers::sign_in(&app, &agent.user).await;
    let response = page(&app, Some(&cookie), &format!("/portal/jobs/{id}")).await;

    assert_eq!(response.status(), 410);
    assert!(response
        .text()
        .await
        .expect("html")
        .contains("These results have expired"));
}

#[tokio::test]
async fn the_progress_stream_pushes_each_change_until_the_job_finishes() {
    let app = spawn_app_with(Worker::Off).await;
    for n in 0..3 {
        app.upload(&format!("{n}.pdf"), b"%PDF", &[("agent_code", "AG-1")])
            .await;
    }
    let agent = portal_user(&app, Persona::Agent, AGENT_SCOPE).await;
    let created = app
        .create_job(
            &agent.actor.key,
            json!({
                "dockId": app.dock, "recipientId": agent.actor.id
            }),
        )
        .await;
    let job: Value = created.json().await.expect("job");
    let id = JobId::parse(job["id"].as_str().expect("id")).expect("job id");

    let path = format!("/portal/jobs/{id}/events");
    let mut body = page(&app, Some(&agent.cookie), &path).await;
    let mut received = String::new();
    let first = body
        .chunk()
        .await
        .expect("stream open")
        .expect("first event");
    received.push_str(&String::from_utf8_lossy(&first));
    docyard::jobs::run_job(&app.server.state, &id).await;
    while !received.contains("\"finished\":true") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), body.chunk())
            .await
            .expect("an event within 10 s")
            .expect("stream open")
            .expect("the stream ends only after the last event");
        received.push_str(&String::from_utf8_lossy(&chunk));
    }

    let events: Vec<Value> = received
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str(d).expect("progress JSON"))
        .collect();
    assert_eq!(events[0]["finished"], false);
    let last = events.last().expect("events");
    assert_eq!(
        last,
        &json!({"ready": 3, "errors": 0, "total": 3, "finished": true})
    );
}

#[tokio::test]
async fn the_search_lists_only_what_the_agents_grants_cover() {
    let app = spawn_app().await;
    app.upload(
        "mine.pdf",
        b"%PDF-1",
        &[("agent_code", "AG-1"), ("policy_number", "P-9")],
    )
    .await;
    app.upload(
        "theirs.pdf",
        b"%PDF-2",
        &[("agent_code", "AG-2"), ("policy_number", "P-9")],
    )
    .await;
    let agent = portal_user(&app, Persona::Agent, AGENT_SCOPE).await;
    let origin = own_origin(&app);
    let form = [
        ("policy_number", "P-9"),
        ("document_type", ""),
        ("from", ""),
        ("to", ""),
    ];

    let found = call::<SearchDocuments>(&app, Some(&agent.cookie), Some(&origin), &form).await;
    assert_eq!(found.status(), 200);
    let found: Value = found.json().await.expect("results");
    let names: Vec<&str> = found["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["file_name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["mine.pdf"]);

    let bad = [
        ("policy_number", "P-9"),
        ("document_type", ""),
        ("from", "31/12/2025"),
        ("to", ""),
    ];
    let refused = call::<SearchDocuments>(&app, Some(&agent.cookie), Some(&origin), &bad).await;
    assert_eq!(
        refused.status(),
        400,
        "bad input is a 400 that names the field"
    );
    assert!(refused.text().await.expect("body").contains("From"));

    let created = call::<CreateJobs>(&app, Some(&agent.cookie), Some(&origin), &form).await;
    assert!(created.status().is_success(), "{}", created.status());
    let listed: Value = app
        .get(&agent.actor.key, "/v1/retrieval/jobs")
        .await
        .json()
        .await
        .expect("jobs");
    assert_eq!(
        listed["data"].as_array().expect("jobs").len(),
        1,
        "{listed}"
    );
}
