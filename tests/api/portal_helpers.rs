//! Portal sessions for tests. A session is opened with the same function
//! that finishes a passkey sign-in, on an account enrolled from a real
//! invite; only the WebAuthn ceremony itself is left to the browser tests.

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use docyard::db::{Enrolment, EnrolmentOutcome, NewPasskey, UserRecord};
use docyard::domain::{Persona, RecipientId};
use docyard::portal::passkeys::invite_hash;
use docyard::portal::{session, DbSessionStore, SESSION_COOKIE};
use leptos::server_fn::ServerFn;
use reqwest::header::{COOKIE, ORIGIN};
use reqwest::{redirect, Response};
use tower_sessions::{Expiry, Session};

use crate::helpers::{Actor, TestApp};

/// A person signed in to the portal, and the recipient they act for.
pub struct PortalUser {
    pub actor: Actor,
    pub user: UserRecord,
    pub cookie: String,
}

/// An account for `recipient`, enrolled by burning a fresh invite.
pub async fn enrol(app: &TestApp, recipient: &RecipientId, handle: &str) -> UserRecord {
    let state = &app.server.state;
    let now = state.clock.now();
    let token = format!("test-invite-{handle}");
    state
        .store
        .create_invite(
            &invite_hash(&token),
            recipient,
            handle,
            now.plus_seconds(3600),
            now,
        )
        .await
        .expect("invite");
    let enrolment = Enrolment {
        token_hash: invite_hash(&token),
        webauthn_id: uuid_like(handle),
        passkey: NewPasskey {
            credential_id: URL_SAFE_NO_PAD.encode(handle),
            name: "test passkey".to_owned(),
            passkey_json: "{}".to_owned(),
        },
    };
    match state.store.enrol(&enrolment, now).await.expect("enrol") {
        EnrolmentOutcome::Enrolled(user) => user,
        EnrolmentOutcome::InviteNotUsable => panic!("a fresh invite is usable"),
    }
}

fn uuid_like(handle: &str) -> String {
    let hex = crate::helpers::sha256_hex(handle.as_bytes());
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Opens a signed-in session for `user`; returns the Cookie header value.
pub async fn sign_in(app: &TestApp, user: &UserRecord) -> String {
    let state = &app.server.state;
    let store = Arc::new(DbSessionStore::new(state.store.clone()));
    let expiry = Expiry::OnInactivity(time::Duration::minutes(30));
    let session = Session::new(None, store, Some(expiry));
    session::sign_in(state, &session, user)
        .await
        .expect("sign in");
    session.save().await.expect("save session");
    let id = session.id().expect("session id");
    format!("{SESSION_COOKIE}={id}")
}

/// A new recipient of `persona` on the test dock, signed in to the portal.
pub async fn portal_user(app: &TestApp, persona: Persona, scope: &[(&str, &str)]) -> PortalUser {
    let actor = app.recipient(persona, scope).await;
    let handle = format!("{}@example.test", actor.id.as_str().to_lowercase());
    let user = enrol(app, &actor.id, &handle).await;
    let cookie = sign_in(app, &user).await;
    PortalUser {
        actor,
        user,
        cookie,
    }
}

/// A client that shows redirects instead of following them.
pub fn browser() -> reqwest::Client {
    // A stuck request fails its test with the URL instead of hanging CI.
    reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("client")
}

pub async fn page(app: &TestApp, cookie: Option<&str>, path: &str) -> Response {
    let mut request = browser().get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    request.send().await.expect("page request")
}

/// Calls a server function as the portal's own pages do: a form body,
/// the session cookie and the portal's Origin.
pub async fn call<F: ServerFn>(
    app: &TestApp,
    cookie: Option<&str>,
    origin: Option<&str>,
    form: &[(&str, &str)],
) -> Response {
    let mut request = browser().post(app.url(F::PATH)).form(form);
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    if let Some(origin) = origin {
        request = request.header(ORIGIN, origin);
    }
    request.send().await.expect("server function call")
}

/// The origin the portal is served from in tests.
pub fn own_origin(app: &TestApp) -> String {
    app.server.base_url()
}

pub fn redirects_to_sign_in(response: &Response) -> bool {
    response.status() == reqwest::StatusCode::SEE_OTHER
        && response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            == Some("/sign-in")
}
