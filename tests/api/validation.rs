//! Bad input to `POST /v1/retrieval/jobs`: a 400 that names the field.

use docyard::domain::Persona;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn a_missing_dock_id_is_a_400_naming_it() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;

    let (status, error) = error_of(
        app.create_job(&agent.key, json!({"recipientId": agent.id}))
            .await,
    )
    .await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error,
        json!({"type": "invalid_request_error", "code": "parameter_missing", "param": "dockId",
               "message": "dockId is required"})
    );
}

#[tokio::test]
async fn a_missing_recipient_id_is_a_400_naming_it() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;

    let (status, error) = error_of(
        app.create_job(&agent.key, json!({"dockId": app.dock}))
            .await,
    )
    .await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (error["code"].as_str(), error["param"].as_str()),
        (Some("parameter_missing"), Some("recipientId"))
    );
}

#[tokio::test]
async fn malformed_since_timestamps_are_400s_that_show_the_accepted_form() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;

    for since in [
        "2025-01-14T00:00:00",
        "2025-01-14T00:00:00-0400",
        "2025-01-14",
        "2025-02-30T00:00:00Z",
        "2016-12-31T23:59:60Z",
        "2025-01-14T00:00:00 05:30",
    ] {
        let body = json!({"dockId": app.dock, "recipientId": agent.id, "sinceTimestamp": since});
        let (status, error) = error_of(app.create_job(&agent.key, body).await).await;

        assert_eq!(status, StatusCode::BAD_REQUEST, "{since}");
        assert_eq!(error["param"], "sinceTimestamp", "{since}");
        assert!(error["message"]
            .as_str()
            .is_some_and(|m| m.contains("2025-01-14T00:00:00.000Z")));
    }
}

#[tokio::test]
async fn a_since_timestamp_with_an_offset_is_kept_as_the_exact_utc_instant() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let body = json!({"dockId": app.dock, "recipientId": agent.id,
                      "sinceTimestamp": "2025-01-14T00:00:00.123456+05:30"});

    let response = app.create_job(&agent.key, body).await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let job: Value = response.json().await.expect("job");
    assert_eq!(
        job["filters"]["sinceTimestamp"],
        "2025-01-13T18:30:00.123456Z"
    );
}

#[tokio::test]
async fn unknown_fields_bad_metadata_and_bad_ids_are_named() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let base = json!({"dockId": app.dock, "recipientId": agent.id});
    let with = |extra: Value| {
        let mut body = base.clone();
        for (k, v) in extra.as_object().expect("object") {
            body[k] = v.clone();
        }
        body
    };

    let cases = [
        (with(json!({"since": "2025-01-14T00:00:00Z"})), "since"),
        (
            with(json!({"metadata": {"Policy": "x"}})),
            "metadata.Policy",
        ),
        (with(json!({"metadata": {"state": 5}})), "metadata.state"),
        (with(json!({"metadata": ["state"]})), "metadata"),
        (
            with(json!({"artifactIds": "art_01HQ3M0000000000000000000Z"})),
            "artifactIds",
        ),
        (with(json!({"artifactIds": ["nope"]})), "artifactIds[0]"),
        (with(json!({"dockId": "dock_nope"})), "dockId"),
        (with(json!({"dockId": 42})), "dockId"),
    ];
    for (body, param) in cases {
        let (status, error) = error_of(app.create_job(&agent.key, body).await).await;

        assert_eq!(status, StatusCode::BAD_REQUEST, "{param}");
        assert_eq!(error["param"], param);
        assert_eq!(error["type"], "invalid_request_error");
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_400() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;

    let response = app
        .client
        .post(app.url("/v1/retrieval/jobs"))
        .bearer_auth(&agent.key)
        .body("{not json")
        .send()
        .await
        .expect("request");
    let (status, error) = error_of(response).await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["code"], "invalid_json");
}

#[tokio::test]
async fn bad_pagination_parameters_are_named() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;

    for (query, param) in [
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("cursor=x", "cursor"),
        ("page=2", "page"),
    ] {
        let (status, error) = error_of(
            app.get(&agent.key, &format!("/v1/retrieval/jobs?{query}"))
                .await,
        )
        .await;

        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(error["param"], param);
    }
}
