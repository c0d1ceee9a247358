//! `Idempotency-Key` on `POST /v1/retrieval/jobs`.

use docyard::domain::Persona;
use docyard::server::Worker;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_of, spawn_app_with, Actor, TestApp};

async fn post(app: &TestApp, actor: &Actor, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/v1/retrieval/jobs"))
        .bearer_auth(&actor.key)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn job_count(app: &TestApp, actor: &Actor) -> usize {
    let page: Value = app
        .get(&actor.key, "/v1/retrieval/jobs?limit=100")
        .await
        .json()
        .await
        .expect("page");
    page["data"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn the_same_key_and_body_return_the_same_job() {
    let app = spawn_app_with(Worker::Off).await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let body = json!({"dockId": app.dock, "recipientId": agent.id, "metadata": {"state": "TX"}});
    let reordered =
        json!({"metadata": {"state": "TX"}, "recipientId": agent.id, "dockId": app.dock});

    let first = post(&app, &agent, "nightly-2025-01-15", &body).await;
    let second = post(&app, &agent, "nightly-2025-01-15", &reordered).await;

    assert_eq!(
        (first.status(), second.status()),
        (StatusCode::CREATED, StatusCode::CREATED)
    );
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    let (first, second): (Value, Value) = (
        first.json().await.expect("job"),
        second.json().await.expect("job"),
    );
    assert_eq!(first["id"], second["id"]);
    assert_eq!(job_count(&app, &agent).await, 1);
}

#[tokio::test]
async fn the_same_key_with_another_body_is_a_409() {
    let app = spawn_app_with(Worker::Off).await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let body = json!({"dockId": app.dock, "recipientId": agent.id});
    let other = json!({"dockId": app.dock, "recipientId": agent.id, "metadata": {"state": "TX"}});

    post(&app, &agent, "k1", &body).await;
    let (status, error) = error_of(post(&app, &agent, "k1", &other).await).await;

    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error["code"], "idempotency_key_reused");
    assert_eq!(error["param"], "Idempotency-Key");
}

#[tokio::test]
async fn identical_requests_at_the_same_moment_create_one_job() {
    let app = spawn_app_with(Worker::Off).await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let body = json!({"dockId": app.dock, "recipientId": agent.id});

    let responses =
        futures::future::join_all((0..12).map(|_| post(&app, &agent, "burst", &body))).await;

    let mut ids = Vec::new();
    for response in responses {
        assert_eq!(response.status(), StatusCode::CREATED);
        let job: Value = response.json().await.expect("job");
        ids.push(job["id"].as_str().expect("id").to_owned());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every request must get the same job");
    assert_eq!(job_count(&app, &agent).await, 1);
}

#[tokio::test]
async fn a_key_lapses_after_24_hours_and_keys_are_per_api_key() {
    let app = spawn_app_with(Worker::Off).await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let other = app.recipient(Persona::Agent, &[]).await;
    let body = json!({"dockId": app.dock, "recipientId": agent.id});
    let first: Value = post(&app, &agent, "daily", &body)
        .await
        .json()
        .await
        .expect("job");
    let theirs = json!({"dockId": app.dock, "recipientId": other.id});
    let other_first = post(&app, &other, "daily", &theirs).await;

    app.clock.advance_seconds(24 * 3600 + 1);
    let later: Value = post(&app, &agent, "daily", &body)
        .await
        .json()
        .await
        .expect("job");

    assert_eq!(other_first.status(), StatusCode::CREATED);
    assert_ne!(first["id"], later["id"]);
}

#[tokio::test]
async fn a_malformed_idempotency_key_is_a_400() {
    let app = spawn_app_with(Worker::Off).await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let body = json!({"dockId": app.dock, "recipientId": agent.id});

    let (status, error) = error_of(post(&app, &agent, &"x".repeat(256), &body).await).await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["param"], "Idempotency-Key");
}
