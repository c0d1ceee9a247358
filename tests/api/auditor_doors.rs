//! The auditor's door and views: badge and NDA hash compared in constant
//! time with a lockout, and read-only pages that never hand out documents.

use app::api_doors::{AuditArtifacts, AuditDocks, AuditTrail, AuditedJobs};
use docyard::domain::Persona;
use serde_json::json;

use crate::door_helpers::{auditor, auditor_session, badge_sign_in, phone_session, policyholder};
use crate::helpers::spawn_app;
use crate::portal_helpers::{call, own_origin, page, portal_user};

#[tokio::test]
async fn badge_and_nda_hash_sign_an_auditor_in_and_failures_lock_the_badge() {
    let app = spawn_app().await;
    let who = auditor(&app, "AUD-7").await;

    let cookie = auditor_session(&app, &who).await;
    assert_eq!(page(&app, Some(&cookie), "/audit").await.status(), 200);

    // Lower case badge and upper case hash are the same credentials.
    let relaxed = badge_sign_in(&app, "aud-7", &who.nda.to_uppercase()).await;
    assert!(relaxed.status().is_redirection() || relaxed.status().is_success());

    let wrong_hash = "ab".repeat(32);
    let wrong = badge_sign_in(&app, "AUD-7", &wrong_hash).await;
    assert_eq!(wrong.status(), 400);
    let wrong_text = wrong.text().await.expect("body");
    let unknown = badge_sign_in(&app, "AUD-404", &who.nda).await;
    assert_eq!(unknown.status(), 400);
    assert_eq!(
        wrong_text,
        unknown.text().await.expect("body"),
        "same words"
    );

    for _ in 0..4 {
        badge_sign_in(&app, "AUD-7", &wrong_hash).await;
    }
    let locked = badge_sign_in(&app, "AUD-7", &who.nda).await;
    assert_eq!(
        locked.status(),
        400,
        "the right hash is refused while locked"
    );
    app.clock.advance_seconds(15 * 60);
    let unlocked = badge_sign_in(&app, "AUD-7", &who.nda).await;
    assert!(unlocked.status().is_redirection() || unlocked.status().is_success());

    let trail = app.trail().await;
    let failures = trail
        .iter()
        .filter(|r| r.event.action == "sign_in_failed")
        .count();
    assert_eq!(failures, 7, "every failure is on the trail");
}

#[tokio::test]
async fn failures_spread_out_in_time_do_not_lock_the_badge() {
    let app = spawn_app().await;
    let who = auditor(&app, "AUD-8").await;
    let wrong_hash = "ab".repeat(32);
    for _ in 0..4 {
        badge_sign_in(&app, "AUD-8", &wrong_hash).await;
    }
    app.clock.advance_seconds(15 * 60 + 1);
    // A fifth failure long after the fourth starts a new count: no lock.
    assert_eq!(
        badge_sign_in(&app, "AUD-8", &wrong_hash).await.status(),
        400
    );
    let after_typo = badge_sign_in(&app, "AUD-8", &who.nda).await;
    assert!(
        after_typo.status().is_redirection() || after_typo.status().is_success(),
        "{}",
        after_typo.status()
    );

    // Five within the window still lock it, the last one 14 minutes on.
    for _ in 0..4 {
        badge_sign_in(&app, "AUD-8", &wrong_hash).await;
    }
    app.clock.advance_seconds(14 * 60);
    badge_sign_in(&app, "AUD-8", &wrong_hash).await;
    let locked = badge_sign_in(&app, "AUD-8", &who.nda).await;
    assert_eq!(locked.status(), 400, "locked by five failures in a row");
}

#[tokio::test]
async fn tries_refused_by_the_address_limit_are_recorded_as_the_badges_auditor() {
    let app = spawn_app().await;
    let who = auditor(&app, "AUD-9").await;
    let wrong_hash = "ab".repeat(32);
    let mut last = 0;
    for _ in 0..31 {
        last = badge_sign_in(&app, "AUD-9", &wrong_hash)
            .await
            .status()
            .as_u16();
    }
    assert_eq!(last, 429, "the 31st try from one address in a burst");
    let trail = app.trail().await;
    let newest = trail.last().expect("a record");
    assert_eq!(newest.event.action, "sign_in_failed");
    assert_eq!(newest.event.actor, who.actor.id.as_str());
    assert_eq!(newest.event.persona, "auditor");
}

#[tokio::test]
async fn bad_badges_and_hashes_are_named() {
    let app = spawn_app().await;
    let bad_badge = badge_sign_in(&app, "a b", &"ab".repeat(32)).await;
    assert_eq!(bad_badge.status(), 400);
    assert!(bad_badge.text().await.expect("body").contains("Badge ID"));
    let bad_hash = badge_sign_in(&app, "AUD-1", "not-a-hash").await;
    assert_eq!(bad_hash.status(), 400);
    assert!(bad_hash.text().await.expect("body").contains("NDA"));
}

#[tokio::test]
async fn auditors_see_docks_metadata_jobs_and_the_trail_and_each_look_is_recorded() {
    let app = spawn_app().await;
    let agent = app
        .recipient(Persona::Agent, &[("agent_code", "AG-1")])
        .await;
    let uploaded = app
        .upload(
            "dec.pdf",
            b"%PDF-1.7 declaration",
            &[("policy_number", "POL-9"), ("agent_code", "AG-1")],
        )
        .await;
    app.upload(
        "other.pdf",
        b"%PDF-1.7 other",
        &[("policy_number", "POL-8")],
    )
    .await;
    let job = app.run_job(&agent, json!({})).await;
    let who = auditor(&app, "AUD-1").await;
    let cookie = auditor_session(&app, &who).await;
    let origin = own_origin(&app);
    let (cookie, origin) = (Some(cookie.as_str()), Some(origin.as_str()));

    let docks = call::<AuditDocks>(&app, cookie, origin, &[]).await;
    assert_eq!(docks.status(), 200);
    assert!(docks
        .text()
        .await
        .expect("body")
        .contains(app.dock.as_str()));

    let found = call::<AuditArtifacts>(
        &app,
        cookie,
        origin,
        &[
            ("dock", ""),
            ("policy_number", "POL-9"),
            ("document_type", ""),
            ("from", ""),
            ("to", ""),
        ],
    )
    .await;
    assert_eq!(found.status(), 200);
    let found = found.text().await.expect("body");
    let id = uploaded["id"].as_str().expect("id");
    assert!(
        found.contains(id) && !found.contains("other.pdf"),
        "{found}"
    );
    assert!(!found.contains("/v1/downloads/"), "no links to documents");

    let job_id = job["id"].as_str().expect("job id");
    let form = [
        ("recipient", agent.id.as_str()),
        ("dock", ""),
        ("status", "COMPLETED"),
    ];
    let jobs = call::<AuditedJobs>(&app, cookie, origin, &form).await;
    assert_eq!(jobs.status(), 200);
    let jobs: serde_json::Value = jobs.json().await.expect("jobs JSON");
    assert_eq!(jobs["rows"][0]["id"], job_id, "{jobs}");
    assert_eq!(
        (jobs["matching"].as_i64(), jobs["total"].as_i64()),
        (Some(1), Some(1))
    );
    let elsewhere = [
        ("recipient", ""),
        ("dock", "dock_01JQ0000000000000000000000"),
        ("status", ""),
    ];
    let elsewhere = call::<AuditedJobs>(&app, cookie, origin, &elsewhere).await;
    assert!(
        !elsewhere.text().await.expect("body").contains(job_id),
        "dock filter"
    );
    let failed_only = [("recipient", ""), ("dock", ""), ("status", "FAILED")];
    let none = call::<AuditedJobs>(&app, cookie, origin, &failed_only).await;
    assert!(!none.text().await.expect("body").contains(job_id));
    let bad_status = [("recipient", ""), ("dock", ""), ("status", "DONE")];
    let bad = call::<AuditedJobs>(&app, cookie, origin, &bad_status).await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.expect("body").contains("Status"));

    let trail_form = [
        ("actor", agent.id.as_str()),
        ("action", "job_created"),
        ("from", "2000-01-01"),
        ("to", ""),
    ];
    let trail = call::<AuditTrail>(&app, cookie, origin, &trail_form).await;
    assert_eq!(trail.status(), 200);
    let trail = trail.text().await.expect("body");
    assert!(
        trail.contains("job_created") && trail.contains(job_id),
        "{trail}"
    );
    assert_eq!(trail.matches("\"action\":").count(), 1, "filtered: {trail}");
    let before_it = [
        ("actor", agent.id.as_str()),
        ("action", ""),
        ("from", ""),
        ("to", "2000-01-01T00:00"),
    ];
    let before_it = call::<AuditTrail>(&app, cookie, origin, &before_it).await;
    assert_eq!(before_it.status(), 200);
    assert!(
        !before_it.text().await.expect("body").contains(job_id),
        "to filter"
    );

    let views = app.trail().await;
    let looked = views
        .iter()
        .filter(|r| r.event.action == "auditor_view" && r.event.actor == who.actor.id.as_str())
        .count();
    assert_eq!(looked, 7, "every look is on the trail, refused ones aside");
}

/// The page lists the newest jobs only; its counts cover every match.
#[tokio::test]
async fn job_counts_cover_every_matching_job_not_only_the_listed_ones() {
    use docyard::db::{JobQuery, JobTotals};
    let app = spawn_app().await;
    app.upload("a.pdf", b"%PDF-1.7 a", &[("agent_code", "AG-1")])
        .await;
    app.upload("b.pdf", b"%PDF-1.7 b", &[("agent_code", "AG-1")])
        .await;
    let agent = app
        .recipient(Persona::Agent, &[("agent_code", "AG-1")])
        .await;
    for _ in 0..3 {
        app.run_job(&agent, json!({})).await;
    }
    let store = &app.server.state.store;
    let query = JobQuery {
        recipient: Some(agent.id.clone()),
        ..JobQuery::default()
    };
    assert_eq!(store.all_jobs(&query, 2).await.expect("jobs").len(), 2);
    let totals = store.job_totals(&query).await.expect("totals");
    let expected = JobTotals {
        jobs: 3,
        documents: 6,
        ready: 6,
        errors: 0,
    };
    assert_eq!(totals, expected);
    let nobody = JobQuery {
        status: Some(docyard::domain::JobStatus::Failed),
        ..query
    };
    assert_eq!(
        store.job_totals(&nobody).await.expect("totals"),
        JobTotals::default()
    );
}

#[tokio::test]
async fn the_auditor_views_refuse_everyone_else() {
    let app = spawn_app().await;
    let origin = own_origin(&app);
    let agent = portal_user(&app, Persona::Agent, &[]).await;
    let holder = policyholder(&app, "POL-1", "+15550100199").await;
    let holder_cookie = phone_session(&app, &holder).await;

    let anonymous = call::<AuditDocks>(&app, None, Some(&origin), &[]).await;
    assert_eq!(anonymous.status(), 401);
    for cookie in [&agent.cookie, &holder_cookie] {
        let refused = call::<AuditDocks>(&app, Some(cookie), Some(&origin), &[]).await;
        assert_eq!(refused.status(), 403);
        assert_eq!(page(&app, Some(cookie), "/audit/trail").await.status(), 403);
    }
}
