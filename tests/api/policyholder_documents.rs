//! A policyholder opens their own policy's documents, one at a time, and
//! nobody else's.

use app::api_doors::MyDocuments;
use docyard::domain::Persona;

use crate::door_helpers::{auditor, auditor_session, phone_session, policyholder};
use crate::helpers::spawn_app;
use crate::portal_helpers::{call, own_origin, page, portal_user};

#[tokio::test]
async fn a_policyholder_opens_and_downloads_only_their_own_documents() {
    let app = spawn_app().await;
    let mine = app
        .upload(
            "Déclaration.pdf",
            b"%PDF-1.7 mine",
            &[("policy_number", "POL-1")],
        )
        .await;
    let theirs = app
        .upload(
            "theirs.pdf",
            b"%PDF-1.7 theirs",
            &[("policy_number", "POL-2")],
        )
        .await;
    let (mine, theirs) = (
        mine["id"].as_str().expect("id").to_owned(),
        theirs["id"].as_str().expect("id").to_owned(),
    );
    let who = policyholder(&app, "POL-1", "+15550100199").await;
    let cookie = phone_session(&app, &who).await;

    let origin = own_origin(&app);
    let listed = call::<MyDocuments>(&app, Some(&cookie), Some(&origin), &[]).await;
    assert_eq!(listed.status(), 200);
    let listed = listed.text().await.expect("body");
    assert!(
        listed.contains(&mine) && !listed.contains(&theirs),
        "{listed}"
    );
    assert!(listed.contains("POL-1"));

    let inline = page(&app, Some(&cookie), &format!("/policy/documents/{mine}")).await;
    assert_eq!(inline.status(), 200);
    let disposition = inline.headers()["content-disposition"]
        .to_str()
        .expect("ascii");
    assert!(disposition.starts_with("inline;"), "{disposition}");
    assert_eq!(
        inline.bytes().await.expect("bytes").as_ref(),
        b"%PDF-1.7 mine"
    );

    let path = format!("/policy/documents/{mine}?download=1");
    let saved = page(&app, Some(&cookie), &path).await;
    let disposition = saved.headers()["content-disposition"]
        .to_str()
        .expect("ascii");
    assert!(disposition.starts_with("attachment;"), "{disposition}");

    for path in [
        format!("/policy/documents/{theirs}"),
        "/policy/documents/art_01HZZZZZZZZZZZZZZZZZZZZZZZ".to_owned(),
        "/policy/documents/not-an-id".to_owned(),
    ] {
        let refused = page(&app, Some(&cookie), &path).await;
        assert_eq!(refused.status(), 404, "{path}");
    }

    let trail = app.trail().await;
    let opened = trail
        .iter()
        .filter(|r| r.event.action == "document_downloaded" && r.event.target == mine)
        .count();
    assert_eq!(opened, 2);
}

#[tokio::test]
async fn bulk_routes_and_other_personas_refuse_policyholders_and_auditors() {
    let app = spawn_app().await;
    let doc = app
        .upload("mine.pdf", b"%PDF-1.7 mine", &[("policy_number", "POL-1")])
        .await;
    let doc = doc["id"].as_str().expect("id").to_owned();
    let who = policyholder(&app, "POL-1", "+15550100199").await;
    let holder = phone_session(&app, &who).await;
    let inspector = auditor(&app, "AUD-1").await;
    let auditor_cookie = auditor_session(&app, &inspector).await;
    let agent = portal_user(&app, Persona::Agent, &[("policy_number", "POL-1")]).await;

    for path in ["/portal", "/portal/jobs", "/portal/settings"] {
        for cookie in [&holder, &auditor_cookie] {
            assert_eq!(page(&app, Some(cookie), path).await.status(), 403, "{path}");
        }
    }
    let document = format!("/policy/documents/{doc}");
    for cookie in [&auditor_cookie, &agent.cookie] {
        assert_eq!(page(&app, Some(cookie), &document).await.status(), 403);
    }
    let signed_out = page(&app, None, &document).await;
    assert_eq!(signed_out.status(), 303);
    assert_eq!(signed_out.headers()["location"], "/sign-in/phone");
}
