//! `POST /v1/docks/{dockId}/artifacts`.

use docyard::domain::Persona;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{error_of, sha256_hex, spawn_app};

#[tokio::test]
async fn an_upload_returns_the_artifact_with_its_checksum() {
    let app = spawn_app().await;

    let artifact = app
        .upload(
            "Dec Page.pdf",
            b"%PDF-1.7 hello",
            &[("policy_number", "POL-1")],
        )
        .await;

    assert!(artifact["id"]
        .as_str()
        .is_some_and(|id| id.starts_with("art_")));
    assert_eq!(artifact["fileName"], "Dec Page.pdf");
    assert_eq!(artifact["contentType"], "application/pdf");
    assert_eq!(artifact["sizeBytes"], 14);
    assert_eq!(artifact["sha256"], sha256_hex(b"%PDF-1.7 hello"));
    assert_eq!(artifact["metadata"]["policy_number"], "POL-1");
}

#[tokio::test]
async fn created_at_is_strictly_increasing_with_microseconds() {
    let app = spawn_app().await;

    let mut stamps = Vec::new();
    for i in 0..5 {
        let artifact = app.upload(&format!("{i}.pdf"), b"x", &[]).await;
        stamps.push(
            artifact["createdAt"]
                .as_str()
                .expect("createdAt")
                .to_owned(),
        );
    }

    assert!(stamps
        .iter()
        .all(|s| s.len() == "2025-01-14T00:00:00.000000Z".len()));
    assert!(stamps.windows(2).all(|w| w[0] < w[1]), "{stamps:?}");
}

async fn upload_form(app: &crate::helpers::TestApp, form: Form) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/v1/docks/{}/artifacts", app.dock)))
        .bearer_auth(&app.uploader_key)
        .multipart(form)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_wrong_sha256_is_refused_and_nothing_is_kept() {
    let app = spawn_app().await;
    let form = Form::new()
        .part("file", Part::bytes(b"bytes".to_vec()).file_name("a.pdf"))
        .text("sha256", sha256_hex(b"other bytes"));

    let (status, error) = error_of(upload_form(&app, form).await).await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["param"], "sha256");
    let objects = app.dir.path().join("objects").join(app.dock.as_str());
    let left = std::fs::read_dir(objects).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "refused bytes must not stay in the store");
}

#[tokio::test]
async fn a_matching_sha256_sent_after_the_file_is_accepted() {
    let app = spawn_app().await;
    let form = Form::new()
        .part("file", Part::bytes(b"bytes".to_vec()).file_name("a.pdf"))
        .text("sha256", sha256_hex(b"bytes"))
        .text("metadata", r#"{"state": "TX"}"#);

    let response = upload_form(&app, form).await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let artifact: Value = response.json().await.expect("artifact");
    assert_eq!(artifact["metadata"]["state"], "TX");
}

#[tokio::test]
async fn bad_metadata_a_missing_file_and_unknown_parts_are_named() {
    let app = spawn_app().await;
    let file = || Part::bytes(b"x".to_vec()).file_name("a.pdf");
    let cases = [
        (
            Form::new()
                .part("file", file())
                .text("metadata", r#"{"Bad Key": "x"}"#),
            "metadata",
        ),
        (
            Form::new()
                .part("file", file())
                .text("metadata", "not json"),
            "metadata",
        ),
        (Form::new().text("metadata", "{}"), "file"),
        (
            Form::new().part("file", file()).text("colour", "blue"),
            "colour",
        ),
    ];

    for (form, param) in cases {
        let (status, error) = error_of(upload_form(&app, form).await).await;

        assert_eq!(status, StatusCode::BAD_REQUEST, "{param}");
        assert_eq!(error["param"], param);
    }
}

#[tokio::test]
async fn an_upload_past_the_size_limit_is_a_413() {
    let app = spawn_app().await;
    let big = vec![b'x'; 2 * 1024 * 1024];

    let response = app
        .upload_raw(&app.uploader_key, &app.dock, "big.pdf", &big, &[])
        .await;

    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn only_the_docks_own_uploader_may_upload() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let other_dock = app.other_dock().await;
    let other_uploader = app.uploader_for(&other_dock).await;

    let as_agent = app
        .upload_raw(&agent.key, &app.dock, "a.pdf", b"x", &[])
        .await;
    let as_other = app
        .upload_raw(&other_uploader, &app.dock, "a.pdf", b"x", &[])
        .await;
    let anonymous = app.upload_raw("", &app.dock, "a.pdf", b"x", &[]).await;

    assert_eq!(as_agent.status(), StatusCode::FORBIDDEN);
    assert_eq!(as_other.status(), StatusCode::NOT_FOUND);
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
