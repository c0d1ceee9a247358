//! Who may use the job routes, and who gets which refusal.

use docyard::domain::{KeyId, Persona};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn a_request_without_a_key_is_a_401() {
    let app = spawn_app().await;

    let response = app
        .client
        .post(app.url("/v1/retrieval/jobs"))
        .json(&json!({"dockId": app.dock}))
        .send()
        .await
        .expect("request");
    let (status, error) = error_of(response).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error["type"], "authentication_error");
    assert_eq!(error["code"], "api_key_missing");
}

#[tokio::test]
async fn unknown_malformed_and_revoked_keys_are_401s() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let key_id: KeyId = {
        let store = &app.server.state.store;
        let hash = docyard::domain::ApiKey::parse(&agent.key)
            .expect("key")
            .hash();
        let found = store
            .authenticate(&hash, app.server.state.clock.now())
            .await
            .expect("db");
        found.expect("live key").key_id
    };
    app.server
        .state
        .store
        .revoke_api_key(&key_id, app.server.state.clock.now())
        .await
        .expect("revoke");

    for key in [
        "dk_test_0000000000000000000000000000000A",
        "not-a-key",
        agent.key.as_str(),
    ] {
        let body = json!({"dockId": app.dock, "recipientId": agent.id});
        let (status, error) = error_of(app.create_job(key, body).await).await;

        assert_eq!(status, StatusCode::UNAUTHORIZED, "{key}");
        assert_eq!(error["code"], "api_key_invalid");
    }
}

#[tokio::test]
async fn an_unknown_dock_or_recipient_is_a_404() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;

    let unknown_dock =
        json!({"dockId": "dock_01HQ3K0000000000000000000A", "recipientId": agent.id});
    let unknown_recipient =
        json!({"dockId": app.dock, "recipientId": "rcp_01HQ3N0000000000000000000A"});
    let (dock_status, dock_error) = error_of(app.create_job(&agent.key, unknown_dock).await).await;
    let (rcp_status, rcp_error) =
        error_of(app.create_job(&agent.key, unknown_recipient).await).await;

    assert_eq!(
        (dock_status, rcp_status),
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND)
    );
    assert_eq!(dock_error["param"], "dockId");
    assert_eq!(rcp_error["param"], "recipientId");
}

#[tokio::test]
async fn a_key_cannot_act_for_another_recipient() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let other = app.recipient(Persona::Agent, &[]).await;

    let as_other = json!({"dockId": app.dock, "recipientId": other.id});
    let as_nobody = json!({"dockId": app.dock, "recipientId": "rcp_01HQ3N0000000000000000000A"});
    let foreign = error_of(app.create_job(&agent.key, as_other).await).await;
    let unknown = error_of(app.create_job(&agent.key, as_nobody).await).await;

    assert_eq!(foreign.0, StatusCode::NOT_FOUND);
    assert_eq!(
        foreign, unknown,
        "acting for another recipient must read like an unknown one"
    );
}

#[tokio::test]
async fn a_dock_without_a_grant_reads_as_not_found() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let other_dock = app.other_dock().await;

    let body = json!({"dockId": other_dock, "recipientId": agent.id});
    let (status, error) = error_of(app.create_job(&agent.key, body).await).await;

    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error["code"], "dock_not_found");
}

#[tokio::test]
async fn policyholders_auditors_and_uploaders_cannot_create_jobs() {
    let app = spawn_app().await;

    for persona in [Persona::Policyholder, Persona::Auditor] {
        let actor = app.recipient(persona, &[]).await;
        let body = json!({"dockId": app.dock, "recipientId": actor.id});
        let (status, error) = error_of(app.create_job(&actor.key, body).await).await;

        assert_eq!(status, StatusCode::FORBIDDEN, "{persona}");
        assert_eq!(error["type"], "permission_error");
    }
    let body = json!({"dockId": app.dock, "recipientId": "rcp_01HQ3N0000000000000000000A"});
    let (status, _) = error_of(app.create_job(&app.uploader_key, body).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;

    let ok = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("request");
    let refused = app
        .client
        .get(app.url("/v1/retrieval/jobs"))
        .send()
        .await
        .expect("request");

    for response in [ok, refused] {
        let id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok());
        assert!(id.is_some_and(|id| id.starts_with("req_")));
    }
}

#[tokio::test]
async fn a_request_id_sent_by_the_client_is_replaced_by_one_of_ours() {
    let app = spawn_app().await;

    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "req_chosen-by-the-client")
        .send()
        .await
        .expect("request");

    let id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("a request ID");
    assert!(
        id.starts_with("req_") && id != "req_chosen-by-the-client",
        "{id}"
    );
}

#[tokio::test]
async fn a_rotated_key_keeps_working_while_the_old_one_is_revoked() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let store = &app.server.state.store;
    let now = app.server.state.clock.now();
    let record = store
        .recipient(&agent.id)
        .await
        .expect("db")
        .expect("recipient");
    let new_key = docyard::domain::ApiKey::generate(docyard::domain::KeyEnvironment::Live);
    let owner = docyard::db::KeyOwner::Recipient(record);
    store
        .create_api_key(
            &owner,
            &new_key.hash(),
            &new_key.display_prefix(),
            "rotated",
            now,
        )
        .await
        .expect("second key");
    let old_hash = docyard::domain::ApiKey::parse(&agent.key)
        .expect("key")
        .hash();
    let old = store
        .authenticate(&old_hash, now)
        .await
        .expect("db")
        .expect("live");

    let both_work = [
        app.get(&agent.key, "/v1/retrieval/jobs").await.status(),
        app.get(new_key.expose(), "/v1/retrieval/jobs")
            .await
            .status(),
    ];
    store
        .revoke_api_key(&old.key_id, now)
        .await
        .expect("revoke");
    let after = [
        app.get(&agent.key, "/v1/retrieval/jobs").await.status(),
        app.get(new_key.expose(), "/v1/retrieval/jobs")
            .await
            .status(),
    ];

    assert_eq!(both_work, [StatusCode::OK, StatusCode::OK]);
    assert_eq!(after, [StatusCode::UNAUTHORIZED, StatusCode::OK]);
}
