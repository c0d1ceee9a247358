//! Portal sign-in rules: invites, sessions and their timeouts, sign-out,
//! cross-site requests, and a sign-in that reveals nothing about handles.

use app::api::{FinishSignIn, SignOut, StartSignIn};
use docyard::db::{Enrolment, EnrolmentOutcome, NewPasskey};
use docyard::domain::Persona;
use docyard::portal::invites::create_invite;
use docyard::portal::passkeys::invite_hash;
use serde_json::Value;

use crate::helpers::spawn_app;
use crate::portal_helpers::{call, own_origin, page, portal_user, redirects_to_sign_in};

const AGENT_SCOPE: &[(&str, &str)] = &[("agent_code", "AG-1")];

#[tokio::test]
async fn invites_are_for_agents_only_and_work_once_within_their_lifetime() {
    let app = spawn_app().await;
    let state = &app.server.state;
    let agent = app.recipient(Persona::Agent, AGENT_SCOPE).await;
    let policyholder = app.recipient(Persona::Policyholder, &[]).await;
    let base = app.url("");

    let refused = create_invite(state, &policyholder.id, "pat@example.test", &base).await;
    assert!(refused
        .expect_err("not an agent")
        .to_string()
        .contains("only agents"));

    let invite = create_invite(state, &agent.id, "Dana@Example.test", &base)
        .await
        .expect("invite");
    assert_eq!(invite.handle, "dana@example.test");
    let token = invite.url.rsplit('/').next().expect("token").to_owned();
    let page_html = page(&app, None, &format!("/invite/{token}")).await;
    assert!(page_html
        .text()
        .await
        .expect("html")
        .contains("dana@example.test"));

    let enrolment = |token: &str| Enrolment {
        token_hash: invite_hash(token),
        webauthn_id: "00000000-0000-4000-8000-000000000001".to_owned(),
        passkey: NewPasskey {
            credential_id: format!("cred-{token}"),
            name: "laptop".to_owned(),
            passkey_json: "{}".to_owned(),
        },
    };
    let now = state.clock.now();
    let first = state
        .store
        .enrol(&enrolment(&token), now)
        .await
        .expect("enrol");
    assert!(matches!(first, EnrolmentOutcome::Enrolled(_)));
    let second = state
        .store
        .enrol(&enrolment(&token), now)
        .await
        .expect("enrol");
    assert_eq!(second, EnrolmentOutcome::InviteNotUsable);
    let used = page(&app, None, &format!("/invite/{token}")).await;
    assert!(used
        .text()
        .await
        .expect("html")
        .contains("not valid any more"));

    let late = create_invite(state, &agent.id, "late@example.test", &base)
        .await
        .expect("invite");
    let late_token = late.url.rsplit('/').next().expect("token").to_owned();
    app.clock.advance_seconds(72 * 3600 + 1);
    let expired = state
        .store
        .enrol(&enrolment(&late_token), state.clock.now())
        .await
        .expect("enrol");
    assert_eq!(expired, EnrolmentOutcome::InviteNotUsable);
}

#[tokio::test]
async fn a_session_ends_after_30_idle_minutes() {
    let app = spawn_app().await;
    let agent = portal_user(&app, Persona::Agent, AGENT_SCOPE).await;

    app.clock.advance_seconds(29 * 60);
    assert_eq!(
        page(&app, Some(&agent.cookie), "/portal").await.status(),
        200
    );
    app.clock.advance_seconds(29 * 60);
    assert_eq!(
        page(&app, Some(&agent.cookie), "/portal").await.status(),
        200
    );
    app.clock.advance_seconds(31 * 60);

    assert!(redirects_to_sign_in(
        &page(&app, Some(&agent.cookie), "/portal").await
    ));
}

#[tokio::test]
async fn a_session_ends_twelve_hours_after_sign_in_however_active() {
    let app = spawn_app().await;
    let agent = portal_user(&app, Persona::Agent, AGENT_SCOPE).await;

    for _ in 0..35 {
        app.clock.advance_seconds(20 * 60);
        let response = page(&app, Some(&agent.cookie), "/portal/jobs").await;
        assert_eq!(response.status(), 200);
    }
    app.clock.advance_seconds(20 * 60 + 1);

    assert!(redirects_to_sign_in(
        &page(&app, Some(&agent.cookie), "/portal/jobs").await
    ));
}

#[tokio::test]
async fn signing_out_deletes_the_session_on_the_server() {
    let app = spawn_app().await;
    let agent = portal_user(&app, Persona::Agent, AGENT_SCOPE).await;
    let origin = own_origin(&app);
    let session_id = agent.cookie.split('=').nth(1).expect("id").to_owned();
    let store = &app.server.state.store;
    let epoch = docyard::domain::Timestamp::EPOCH;
    // Stored under a hash of the cookie's ID: the database holds no cookie.
    let stored_key = crate::helpers::sha256_hex(session_id.as_bytes());
    let raw = store.load_session(&session_id, epoch).await.expect("load");
    assert_eq!(raw, None, "no session is stored under the cookie's own ID");
    let hashed = store.load_session(&stored_key, epoch).await.expect("load");
    assert!(hashed.is_some(), "the session is stored under its hash");

    let out = call::<SignOut>(&app, Some(&agent.cookie), Some(&origin), &[]).await;
    assert!(
        out.status().is_success() || out.status().is_redirection(),
        "{}",
        out.status()
    );

    let stored = store.load_session(&stored_key, epoch).await.expect("load");
    assert_eq!(stored, None, "the session row is gone");
    assert!(redirects_to_sign_in(
        &page(&app, Some(&agent.cookie), "/portal").await
    ));
}

#[tokio::test]
async fn cross_site_requests_to_the_portal_are_refused() {
    let app = spawn_app().await;
    let agent = portal_user(&app, Persona::Agent, AGENT_SCOPE).await;
    let own = own_origin(&app);

    for origin in [None, Some("https://evil.example"), Some("null")] {
        let response = call::<SignOut>(&app, Some(&agent.cookie), origin, &[]).await;
        assert_eq!(response.status(), 403, "origin {origin:?}");
    }
    assert_eq!(
        page(&app, Some(&agent.cookie), "/portal").await.status(),
        200
    );

    let allowed = call::<SignOut>(&app, Some(&agent.cookie), Some(&own), &[]).await;
    assert_ne!(allowed.status(), 403);
}

async fn sign_in_options(app: &crate::helpers::TestApp, handle: &str) -> (u16, Value, String) {
    let response =
        call::<StartSignIn>(app, None, Some(&own_origin(app)), &[("handle", handle)]).await;
    let status = response.status().as_u16();
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text: String = response.json().await.expect("options string");
    (
        status,
        serde_json::from_str(&text).expect("options JSON"),
        cookie,
    )
}

fn shape(options: &Value) -> (Vec<String>, usize) {
    let public_key = &options["publicKey"];
    let mut keys: Vec<String> = public_key
        .as_object()
        .expect("publicKey")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    let allowed = public_key["allowCredentials"]
        .as_array()
        .map_or(0, Vec::len);
    (keys, allowed)
}

#[tokio::test]
async fn sign_in_answers_alike_for_known_and_unknown_handles() {
    let app = spawn_app().await;
    let agent = portal_user(&app, Persona::Agent, AGENT_SCOPE).await;

    let (known_status, known, cookie) = sign_in_options(&app, &agent.user.handle).await;
    let (unknown_status, unknown, _) = sign_in_options(&app, "nobody@example.test").await;
    let (_, unknown_again, _) = sign_in_options(&app, "nobody@example.test").await;

    assert_eq!(known_status, 200);
    assert_eq!(unknown_status, known_status);
    assert_eq!(shape(&known).0, shape(&unknown).0);
    assert!(
        shape(&unknown).1 > 0,
        "an unknown handle still gets credential IDs"
    );
    assert_eq!(
        unknown["publicKey"]["allowCredentials"], unknown_again["publicKey"]["allowCredentials"],
        "the stand-in IDs are the same every time, like real ones"
    );
    assert_eq!(known["publicKey"]["userVerification"], "required");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP in tests: {cookie}");
}

#[tokio::test]
async fn a_passkey_ceremony_is_finished_once_and_within_five_minutes() {
    let app = spawn_app().await;
    let origin = own_origin(&app);
    let finish = |cookie: String| {
        let (app, origin) = (&app, origin.clone());
        async move {
            let form = [("credential", "{}")];
            let response = call::<FinishSignIn>(app, Some(&cookie), Some(&origin), &form).await;
            let status = response.status().as_u16();
            (status, response.text().await.expect("body"))
        }
    };

    let (_, _, set_cookie) = sign_in_options(&app, "").await;
    let cookie = set_cookie.split(';').next().expect("cookie").to_owned();
    app.clock.advance_seconds(5 * 60 + 1);
    let (status, late) = finish(cookie).await;
    assert_eq!(status, 400);
    assert!(late.contains("expired"), "a late answer is refused: {late}");

    let (_, _, set_cookie) = sign_in_options(&app, "").await;
    let cookie = set_cookie.split(';').next().expect("cookie").to_owned();
    let (first_status, first) = finish(cookie.clone()).await;
    let (_, second) = finish(cookie).await;
    assert_eq!(first_status, 401, "a failed sign-in is a 401");
    assert!(first.contains("could not sign you in"), "{first}");
    assert!(
        second.contains("expired"),
        "the ceremony was used up: {second}"
    );
}
