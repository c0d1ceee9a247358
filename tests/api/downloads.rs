//! Signed URLs: lifetimes, tampering, ranges and file names.

use docyard::config::SigningKey;
use docyard::domain::{ArtifactId, Persona, RecipientId};
use docyard::signing::{DownloadGrant, UrlSigner};
use reqwest::header::{
    CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, ETAG, RANGE,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_of, spawn_app, Actor, TestApp};

const NAME: &str = "Déclaration_Müller_保険.pdf";
const BODY: &[u8] = b"%PDF-1.7 0123456789";

async fn one_ready_item(app: &TestApp) -> (Actor, Value, Value) {
    let agent = app.recipient(Persona::Agent, &[]).await;
    app.upload(NAME, BODY, &[]).await;
    let job = app.run_job(&agent, json!({})).await;
    let items = app
        .results(&agent.key, job["id"].as_str().expect("id"))
        .await;
    (agent, job, items[0].clone())
}

#[tokio::test]
async fn a_download_sends_length_type_etag_and_a_utf8_file_name() {
    let app = spawn_app().await;
    let (_, _, item) = one_ready_item(&app).await;

    let response = app
        .client
        .get(item["url"].as_str().expect("url"))
        .send()
        .await
        .expect("get");

    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers[CONTENT_LENGTH], BODY.len().to_string().as_str());
    assert_eq!(headers[CONTENT_TYPE], "application/pdf");
    assert_eq!(
        headers[ETAG],
        format!("\"{}\"", item["sha256"].as_str().expect("sha")).as_str()
    );
    let disposition = headers[CONTENT_DISPOSITION].to_str().expect("ascii header");
    assert!(disposition
        .contains("filename*=UTF-8''D%C3%A9claration_M%C3%BCller_%E4%BF%9D%E9%99%BA.pdf"));
    assert_eq!(&response.bytes().await.expect("body")[..], BODY);
}

#[tokio::test]
async fn a_range_request_gets_partial_content_and_head_gets_no_body() {
    let app = spawn_app().await;
    let (_, _, item) = one_ready_item(&app).await;
    let url = item["url"].as_str().expect("url");

    let partial = app
        .client
        .get(url)
        .header(RANGE, "bytes=9-12")
        .send()
        .await
        .expect("get");
    let head = app.client.head(url).send().await.expect("head");
    let beyond = app
        .client
        .get(url)
        .header(RANGE, "bytes=500-")
        .send()
        .await
        .expect("get");

    assert_eq!(partial.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        partial.headers()[CONTENT_RANGE],
        format!("bytes 9-12/{}", BODY.len()).as_str()
    );
    assert_eq!(&partial.bytes().await.expect("body")[..], b"0123");
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(
        head.headers()[CONTENT_LENGTH],
        BODY.len().to_string().as_str()
    );
    assert!(head.bytes().await.expect("body").is_empty());
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);
}

#[tokio::test]
async fn any_range_of_an_empty_file_is_not_satisfiable() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    app.upload("empty.pdf", b"", &[]).await;
    let job = app.run_job(&agent, json!({})).await;
    let items = app
        .results(&agent.key, job["id"].as_str().expect("id"))
        .await;
    let url = items[0]["url"].as_str().expect("url");

    let first_byte = app
        .client
        .get(url)
        .header(RANGE, "bytes=0-0")
        .send()
        .await
        .expect("get");
    let whole = app.client.get(url).send().await.expect("get");

    assert_eq!(first_byte.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(first_byte.headers()[CONTENT_RANGE], "bytes */0");
    assert_eq!(whole.status(), StatusCode::OK);
    assert!(whole.bytes().await.expect("body").is_empty());
}

#[tokio::test]
async fn a_url_stops_working_after_an_hour_and_reading_again_signs_a_fresh_one() {
    let app = spawn_app().await;
    let (agent, job, item) = one_ready_item(&app).await;

    app.clock.advance_seconds(3601);
    let (status, error) = error_of(
        app.client
            .get(item["url"].as_str().expect("url"))
            .send()
            .await
            .expect("get"),
    )
    .await;
    let fresh = app
        .results(&agent.key, job["id"].as_str().expect("id"))
        .await;
    let again = app
        .client
        .get(fresh[0]["url"].as_str().expect("url"))
        .send()
        .await
        .expect("get");

    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error["code"], "link_expired");
    assert_ne!(fresh[0]["url"], item["url"]);
    assert_eq!(again.status(), StatusCode::OK);
}

#[tokio::test]
async fn results_are_gone_24_hours_after_completion() {
    let app = spawn_app().await;
    let (agent, job, _) = one_ready_item(&app).await;
    let path = format!(
        "/v1/retrieval/jobs/{}/results",
        job["id"].as_str().expect("id")
    );

    app.clock.advance_seconds(24 * 3600 + 1);
    let (status, error) = error_of(app.get(&agent.key, &path).await).await;

    assert!(job["resultsExpireAt"].is_string());
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(error["code"], "results_expired");
}

#[tokio::test]
async fn tampered_and_foreign_urls_are_refused() {
    let app = spawn_app().await;
    let (agent, _, item) = one_ready_item(&app).await;
    let url = item["url"].as_str().expect("url");
    let token = url.rsplit('/').next().expect("token");
    let mut tampered = token.as_bytes().to_vec();
    tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    let foreign_signer = UrlSigner::new(SigningKey::from_bytes(vec![9; 32]));
    let foreign = foreign_signer.sign(&DownloadGrant {
        artifact_id: ArtifactId::parse(item["artifactId"].as_str().expect("id")).expect("id"),
        recipient_id: RecipientId::parse(agent.id.as_str()).expect("id"),
        expires_at: app.server.state.clock.now().plus_seconds(600),
    });

    for token in [tampered.as_str(), foreign.as_str(), "garbage"] {
        let response = app
            .client
            .get(app.url(&format!("/v1/downloads/{token}")))
            .send()
            .await
            .expect("get");
        let (status, error) = error_of(response).await;

        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(error["code"], "link_invalid");
    }
}

#[tokio::test]
async fn a_url_for_an_artifact_outside_the_recipients_grant_is_refused() {
    let app = spawn_app().await;
    let outsider = app
        .recipient(Persona::Agent, &[("agent_code", "AG-9")])
        .await;
    let artifact = app
        .upload("a.pdf", b"secret", &[("agent_code", "AG-1")])
        .await;
    let signer = UrlSigner::new(SigningKey::from_bytes(vec![7; 32]));
    let forged_for_outsider = signer.sign(&DownloadGrant {
        artifact_id: ArtifactId::parse(artifact["id"].as_str().expect("id")).expect("id"),
        recipient_id: outsider.id.clone(),
        expires_at: app.server.state.clock.now().plus_seconds(600),
    });

    let path = format!("/v1/downloads/{forged_for_outsider}");
    let (status, _) = error_of(app.client.get(app.url(&path)).send().await.expect("get")).await;

    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_withdrawn_artifact_is_never_served_again() {
    let app = spawn_app().await;
    let (agent, job, item) = one_ready_item(&app).await;
    let id = ArtifactId::parse(item["artifactId"].as_str().expect("id")).expect("id");
    let state = &app.server.state;

    state
        .store
        .withdraw_artifact(&id, state.clock.now())
        .await
        .expect("withdraw");
    let (status, _) = error_of(
        app.client
            .get(item["url"].as_str().expect("url"))
            .send()
            .await
            .expect("get"),
    )
    .await;
    let results = app
        .results(&agent.key, job["id"].as_str().expect("id"))
        .await;
    let later = app
        .run_job(&agent, json!({"artifactIds": [id.as_str()]}))
        .await;

    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        (results[0]["status"].as_str(), results[0]["code"].as_str()),
        (Some("error"), Some("withdrawn"))
    );
    assert_eq!(
        (later["readyCount"].as_i64(), later["errorCount"].as_i64()),
        (Some(0), Some(1))
    );
}
