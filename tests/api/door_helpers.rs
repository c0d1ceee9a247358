//! Policyholders and auditors for tests, signed in through their real
//! doors: an SMS code read from the development outbox, and a badge.

use std::time::Duration;

use app::api_doors::{AuditorSignIn, RequestCode, VerifyCode};
use docyard::domain::{BadgeId, NdaHash, Persona, PhoneNumber};
use reqwest::Response;

use crate::helpers::{Actor, TestApp};
use crate::portal_helpers::{call, own_origin};

pub struct Policyholder {
    pub actor: Actor,
    pub phone: PhoneNumber,
}

pub struct Auditor {
    pub actor: Actor,
    pub badge: String,
    pub nda: String,
}

/// A policyholder whose grant covers `policy`, with a registered phone.
pub async fn policyholder(app: &TestApp, policy: &str, phone: &str) -> Policyholder {
    let actor = app
        .recipient(Persona::Policyholder, &[("policy_number", policy)])
        .await;
    let phone = PhoneNumber::parse(phone).expect("phone");
    let state = &app.server.state;
    state
        .store
        .register_phone(&phone, &actor.id, state.clock.now())
        .await
        .expect("register phone");
    Policyholder { actor, phone }
}

/// An auditor with badge `badge`; the NDA hash is made from the badge.
pub async fn auditor(app: &TestApp, badge: &str) -> Auditor {
    let state = &app.server.state;
    let now = state.clock.now();
    let record = state
        .store
        .create_recipient(Persona::Auditor, "test auditor", now)
        .await
        .expect("recipient");
    let nda = NdaHash::of_document(format!("NDA of {badge}").as_bytes());
    let badge_id = BadgeId::parse(badge).expect("badge");
    state
        .store
        .create_auditor(&record.id, &badge_id, &nda, now)
        .await
        .expect("auditor");
    Auditor {
        actor: Actor {
            id: record.id,
            key: String::new(),
            cert: None,
        },
        badge: badge.to_owned(),
        nda: nda.as_str().to_owned(),
    }
}

/// Texts sent to `phone` so far, oldest first.
pub async fn texts(app: &TestApp, phone: &PhoneNumber) -> Vec<String> {
    let mut messages = app
        .server
        .state
        .store
        .outbox(Some(phone), 100)
        .await
        .expect("outbox");
    messages.reverse();
    messages.into_iter().map(|m| m.body).collect()
}

/// Waits for the `n`th text to `phone` (texts leave on a task of their
/// own) and returns the code in it.
pub async fn nth_code(app: &TestApp, phone: &PhoneNumber, n: usize) -> String {
    for _ in 0..200 {
        if let Some(body) = texts(app, phone).await.get(n - 1) {
            let (_, rest) = body.split_once("code is ").expect("a code in the text");
            return rest[..6].to_owned();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no text number {n} reached the outbox");
}

pub async fn request_code(app: &TestApp, phone: &str) -> Response {
    let origin = own_origin(app);
    call::<RequestCode>(app, None, Some(&origin), &[("phone", phone)]).await
}

pub async fn verify_code(app: &TestApp, phone: &str, code: &str) -> Response {
    let origin = own_origin(app);
    call::<VerifyCode>(
        app,
        None,
        Some(&origin),
        &[("phone", phone), ("code", code)],
    )
    .await
}

pub async fn badge_sign_in(app: &TestApp, badge: &str, nda: &str) -> Response {
    let origin = own_origin(app);
    let form = [("badge_id", badge), ("nda_sha256", nda)];
    call::<AuditorSignIn>(app, None, Some(&origin), &form).await
}

/// The session cookie a successful sign-in set.
pub fn session_cookie(response: &Response) -> String {
    assert!(
        response.status().is_success() || response.status().is_redirection(),
        "sign-in failed with {}",
        response.status()
    );
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie");
    set_cookie.split(';').next().expect("cookie").to_owned()
}

/// A policyholder signed in with a texted code; returns the cookie.
pub async fn phone_session(app: &TestApp, who: &Policyholder) -> String {
    let phone = who.phone.as_str();
    let before = texts(app, &who.phone).await.len();
    let response = request_code(app, phone).await;
    assert!(response.status().is_success(), "{}", response.status());
    let code = nth_code(app, &who.phone, before + 1).await;
    session_cookie(&verify_code(app, phone, &code).await)
}

pub async fn auditor_session(app: &TestApp, who: &Auditor) -> String {
    session_cookie(&badge_sign_in(app, &who.badge, &who.nda).await)
}
