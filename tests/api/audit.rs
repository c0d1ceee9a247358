//! The audit trail: what is recorded, and that tampering is found.

use docyard::audit::{verify, Verification};
use docyard::domain::Persona;
use docyard::server::Worker;
use serde_json::json;
use sqlx::Connection;

use crate::helpers::spawn_app;

async fn raw(app: &crate::helpers::TestApp) -> sqlx::SqliteConnection {
    let path = app.dir.path().join("docyard.db");
    sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("raw connection")
}

#[tokio::test]
async fn api_actions_are_recorded_with_actor_address_and_request_id() {
    let app = spawn_app().await;
    app.upload("a.pdf", b"%PDF-a", &[("agent_code", "A-1")])
        .await;
    let agent = app
        .recipient(Persona::Agent, &[("agent_code", "A-1")])
        .await;

    let job = app.run_job(&agent, json!({})).await;
    let id = job["id"].as_str().expect("id");
    let items = app.results(&agent.key, id).await;
    let url = items[0]["url"].as_str().expect("url");
    let download = app.client.get(url).send().await.expect("download");
    assert_eq!(download.status(), 200);
    let archive = app
        .get(&agent.key, &format!("/v1/retrieval/jobs/{id}/archive"))
        .await;
    assert_eq!(archive.status(), 200);

    let records = app.trail().await;
    let actions: Vec<&str> = records.iter().map(|r| r.event.action.as_str()).collect();
    for expected in [
        "job_created",
        "results_read",
        "document_downloaded",
        "archive_downloaded",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    for record in records.iter().map(|r| &r.event) {
        assert_eq!(record.actor, agent.id.as_str());
        assert_eq!(record.persona, "agent");
        assert_eq!(record.ip.as_deref(), Some("127.0.0.1"));
        assert!(record
            .request_id
            .as_deref()
            .is_some_and(|r| r.starts_with("req_")));
    }
    let created = records
        .iter()
        .find(|r| r.event.action == "job_created")
        .expect("created");
    assert_eq!(created.event.target, id);
}

#[tokio::test]
async fn the_trail_refuses_edits_and_verify_finds_an_edited_or_removed_record() {
    let app = spawn_app().await;
    let agent = app
        .recipient(Persona::Agent, &[("agent_code", "A-1")])
        .await;
    for _ in 0..3 {
        app.run_job(&agent, json!({})).await;
    }
    let store = app.server.state.store.clone();
    let sealer = app.server.state.sealer.clone();
    let before = verify(store.as_ref(), &sealer).await.expect("verify");
    assert!(
        matches!(before, Verification::Intact { records: 3, .. }),
        "{before:?}"
    );

    let mut db = raw(&app).await;
    let update = sqlx::query("UPDATE audit_events SET target = 'job_x' WHERE seq = 2")
        .execute(&mut db)
        .await;
    assert!(update.is_err(), "the trail is append-only");
    let delete = sqlx::query("DELETE FROM audit_events WHERE seq = 2")
        .execute(&mut db)
        .await;
    assert!(delete.is_err(), "the trail is append-only");

    // Someone with the database file can still drop the guards; the chain
    // shows what they did.
    sqlx::raw_sql(
        "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;
         UPDATE audit_events SET target = 'job_x' WHERE seq = 2;",
    )
    .execute(&mut db)
    .await
    .expect("tamper");
    let edited = verify(store.as_ref(), &sealer).await.expect("verify");
    assert!(
        matches!(edited, Verification::Broken { seq: 2, .. }),
        "{edited:?}"
    );

    sqlx::raw_sql("DELETE FROM audit_events WHERE seq = 2")
        .execute(&mut db)
        .await
        .expect("tamper");
    let removed = verify(store.as_ref(), &sealer).await.expect("verify");
    assert!(
        matches!(&removed, Verification::Broken { seq: 2, reason } if reason.contains("missing")),
        "{removed:?}"
    );
}

/// Sign-ins through every door, good and bad, reach the trail with the
/// address and the server's request ID.
#[tokio::test]
async fn sign_ins_through_every_door_are_recorded_with_address_and_request_id() {
    use crate::door_helpers::{
        auditor, badge_sign_in, nth_code, policyholder, request_code, verify_code,
    };
    use app::api::{FinishSignIn, StartSignIn};
    use leptos::server_fn::ServerFn;

    let app = spawn_app().await;
    let holder = policyholder(&app, "POL-1", "+15550100123").await;
    request_code(&app, "+15550100123").await;
    let code = nth_code(&app, &holder.phone, 1).await;
    let wrong = if code == "111111" { "222222" } else { "111111" };
    assert_eq!(verify_code(&app, "+15550100123", wrong).await.status(), 400);
    assert!(verify_code(&app, "+15550100123", &code)
        .await
        .status()
        .is_success());

    let inspector = auditor(&app, "AUD-3").await;
    badge_sign_in(&app, "AUD-3", &"ab".repeat(32)).await;
    badge_sign_in(&app, "AUD-3", &inspector.nda).await;

    // A passkey answer no authenticator made.
    let origin = crate::portal_helpers::own_origin(&app);
    let started = crate::portal_helpers::browser()
        .post(app.url(StartSignIn::PATH))
        .header("origin", &origin)
        .form(&[("handle", "")])
        .send()
        .await
        .expect("start");
    let cookie = started.headers()["set-cookie"].to_str().expect("cookie");
    let cookie = cookie.split(';').next().expect("cookie").to_owned();
    let form = [("credential", "{}")];
    let call = crate::portal_helpers::call::<FinishSignIn>;
    assert_eq!(
        call(&app, Some(&cookie), Some(&origin), &form)
            .await
            .status(),
        401
    );

    let trail = app.trail().await;
    let sign_ins: Vec<(&str, &str, &str)> = trail
        .iter()
        .map(|r| &r.event)
        .filter(|e| e.action.starts_with("sign_in"))
        .map(|e| (e.action.as_str(), e.persona.as_str(), e.target.as_str()))
        .collect();
    assert_eq!(
        sign_ins,
        [
            ("sign_in_failed", "policyholder", "sms code"),
            ("sign_in", "policyholder", "sms code"),
            // A known badge's failures are its own: they may lock it.
            ("sign_in_failed", "auditor", "badge"),
            ("sign_in", "auditor", "badge"),
            ("sign_in_failed", "none", "portal"),
        ]
    );
    let named = |action: &str, persona: &str| {
        trail
            .iter()
            .find(|r| r.event.action == action && r.event.persona == persona)
            .map(|r| r.event.actor.clone())
    };
    assert_eq!(
        named("sign_in", "policyholder"),
        Some(holder.actor.id.to_string())
    );
    assert_eq!(
        named("sign_in", "auditor"),
        Some(inspector.actor.id.to_string())
    );
    assert_eq!(
        named("sign_in_failed", "policyholder"),
        Some(holder.actor.id.to_string())
    );
    assert_eq!(
        named("sign_in_failed", "auditor"),
        Some(inspector.actor.id.to_string())
    );
    for event in trail
        .iter()
        .map(|r| &r.event)
        .filter(|e| e.action.starts_with("sign_in"))
    {
        assert_eq!(event.ip.as_deref(), Some("127.0.0.1"), "{event:?}");
        let id = event.request_id.as_deref().unwrap_or_default();
        assert!(id.starts_with("req_"), "{event:?}");
    }
}

/// Someone with the database file but not the signing key: they drop the
/// guards, then cut records off the end, or edit one and recompute every
/// hash after it, or write a seal of their own.
#[tokio::test]
async fn the_seal_shows_records_cut_off_the_end_and_a_recomputed_chain() {
    let app = spawn_app().await;
    let agent = app
        .recipient(Persona::Agent, &[("agent_code", "A-1")])
        .await;
    for _ in 0..4 {
        app.run_job(&agent, json!({})).await;
    }
    let store = app.server.state.store.clone();
    let sealer = app.server.state.sealer.clone();
    let mut db = raw(&app).await;
    sqlx::raw_sql("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;")
        .execute(&mut db)
        .await
        .expect("drop the guards");

    sqlx::raw_sql("DELETE FROM audit_events WHERE seq = 4")
        .execute(&mut db)
        .await
        .expect("cut the last record");
    let cut = verify(store.as_ref(), &sealer).await.expect("verify");
    assert!(
        matches!(&cut, Verification::Broken { seq: 4, reason } if reason.contains("removed")),
        "{cut:?}"
    );
    // The next append takes number 4 again; it must not reseal over the cut.
    app.run_job(&agent, json!({})).await;
    let appended = verify(store.as_ref(), &sealer).await.expect("verify");
    assert!(
        matches!(&appended, Verification::Broken { seq: 4, .. }),
        "a later append hid the cut: {appended:?}"
    );
    sqlx::raw_sql("DELETE FROM audit_events WHERE seq >= 4")
        .execute(&mut db)
        .await
        .expect("cut the records after 3");

    // Rebuild a consistent chain after editing record 2, as anyone can,
    // and move the seal's hash and number along with it.
    let records = store.audit_events(0, 10).await.expect("records");
    let mut prev = records[0].hash.clone();
    for mut record in records.into_iter().skip(1) {
        record.event.target = format!("{}-edited", record.event.target);
        let hash = docyard::audit::chain_hash(&prev, record.seq, &record.event);
        sqlx::query("UPDATE audit_events SET target = ?, prev_hash = ?, hash = ? WHERE seq = ?")
            .bind(&record.event.target)
            .bind(&prev)
            .bind(&hash)
            .bind(record.seq)
            .execute(&mut db)
            .await
            .expect("recompute");
        prev = hash;
    }
    sqlx::query("UPDATE audit_seal SET seq = 3, hash = ?")
        .bind(&prev)
        .execute(&mut db)
        .await
        .expect("move the seal");
    let recomputed = verify(store.as_ref(), &sealer).await.expect("verify");
    let names_the_key = matches!(
        &recomputed,
        Verification::Broken { reason, .. } if reason.contains("signing key")
    );
    assert!(names_the_key, "{recomputed:?}");

    let forged = docyard::audit::Sealer::new(&docyard::config::SigningKey::from_bytes(
        b"not the server's key, 32 bytes!!".to_vec(),
    ))
    .seal(3, &prev);
    sqlx::query("UPDATE audit_seal SET mac = ?")
        .bind(&forged.mac)
        .execute(&mut db)
        .await
        .expect("forge the seal");
    let forged = verify(store.as_ref(), &sealer).await.expect("verify");
    assert!(
        matches!(&forged, Verification::Broken { reason, .. } if reason.contains("signing key")),
        "{forged:?}"
    );

    let genuine = sealer.seal(3, &prev);
    sqlx::query("UPDATE audit_seal SET mac = ?")
        .bind(&genuine.mac)
        .execute(&mut db)
        .await
        .expect("seal with the real key");
    let resealed = verify(store.as_ref(), &sealer).await.expect("verify");
    assert!(
        matches!(resealed, Verification::Intact { records: 3, .. }),
        "only the key's holder can vouch for a rewritten trail: {resealed:?}"
    );
}

/// A failed badge sign-in sent with `X-Forwarded-For`; returns the address
/// the trail recorded for it.
async fn recorded_address(app: &crate::helpers::TestApp) -> Option<String> {
    use app::api_doors::AuditorSignIn;
    use leptos::server_fn::ServerFn;

    let form = [("badge_id", "AUD-404"), ("nda_sha256", &"ab".repeat(32))];
    crate::portal_helpers::browser()
        .post(app.url(AuditorSignIn::PATH))
        .header("origin", crate::portal_helpers::own_origin(app))
        .header("x-forwarded-for", "198.51.100.7, 203.0.113.9")
        .form(&form)
        .send()
        .await
        .expect("sign-in");
    let trail = app.trail().await;
    let failed = trail.iter().rfind(|r| r.event.action == "sign_in_failed");
    failed.and_then(|r| r.event.ip.clone())
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_listed_proxies() {
    let direct = spawn_app().await;
    assert_eq!(
        recorded_address(&direct).await.as_deref(),
        Some("127.0.0.1")
    );

    let behind_proxy = crate::helpers::spawn_app_configured(Worker::Run, |settings| {
        settings.trusted_proxies = vec!["127.0.0.1".parse().expect("address")];
    })
    .await;
    assert_eq!(
        recorded_address(&behind_proxy).await.as_deref(),
        Some("203.0.113.9"),
        "the nearest address the proxy saw"
    );
}
