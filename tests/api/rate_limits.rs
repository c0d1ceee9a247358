//! Per-key rate limits.

use docyard::domain::Persona;
use docyard::server::Worker;
use reqwest::StatusCode;

use crate::helpers::{error_of, nonzero, spawn_app_configured};

#[tokio::test]
async fn a_key_past_its_burst_gets_a_429_with_retry_after_and_others_do_not() {
    let app = spawn_app_configured(Worker::Off, |settings| {
        settings.rate_limit.per_second = nonzero(1);
        settings.rate_limit.burst = nonzero(3);
    })
    .await;
    let busy = app.recipient(Persona::Agent, &[]).await;
    let calm = app.recipient(Persona::Agent, &[]).await;

    for _ in 0..3 {
        assert_eq!(
            app.get(&busy.key, "/v1/retrieval/jobs").await.status(),
            StatusCode::OK
        );
    }
    let limited = app.get(&busy.key, "/v1/retrieval/jobs").await;
    let retry_after = limited
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (status, error) = error_of(limited).await;
    let other = app.get(&calm.key, "/v1/retrieval/jobs").await;

    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error["type"], "rate_limit_error");
    assert!(retry_after.is_some_and(|s| s.parse::<u64>().is_ok_and(|n| n >= 1)));
    assert_eq!(other.status(), StatusCode::OK);
}

/// Another process holds the database's write lock, so creating a job
/// waits on it past the time limit.
#[tokio::test]
async fn a_json_request_past_the_time_limit_is_a_408_in_the_error_shape() {
    use sqlx::Connection;

    let app = spawn_app_configured(Worker::Off, |settings| {
        settings.request_timeout = std::time::Duration::from_millis(300);
    })
    .await;
    let agent = app
        .recipient(docyard::domain::Persona::Agent, &[("agent_code", "A")])
        .await;
    let path = app.dir.path().join("docyard.db");
    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("another connection");
    sqlx::raw_sql("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .expect("hold the write lock");

    let body = serde_json::json!({ "dockId": app.dock, "recipientId": agent.id });
    let (status, error) = error_of(app.create_job(&agent.key, body).await).await;
    sqlx::raw_sql("ROLLBACK")
        .execute(&mut other)
        .await
        .expect("release the lock");

    assert_eq!(status, 408);
    assert_eq!(error["code"], "request_timeout");
    assert!(error["message"]
        .as_str()
        .is_some_and(|m| m.contains("retry")));
}
