//! The agent portal's server side: sessions and passkeys, the guard in
//! front of its pages, the backend its pages call, and the two routes that
//! are not pages (live progress and the zip).

mod backend;
mod error;
pub mod invites;
pub mod passkeys;
mod routes;
mod search;
pub mod session;
mod session_store;
mod views;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

pub use backend::Backend;
pub use error::{PortalError, PortalResult};
pub use routes::router;
pub use session_store::DbSessionStore;

use crate::domain::Persona;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "docyard_session";

/// Sessions in the database behind an HttpOnly, SameSite=Lax cookie that
/// is `Secure` whenever the portal is served over HTTPS.
pub fn session_layer(state: &AppState) -> SessionManagerLayer<DbSessionStore> {
    let store = DbSessionStore::new(state.store.clone());
    SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.public_url.starts_with("https://"))
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            session::IDLE_TIMEOUT_SECONDS,
        )))
}

/// Every `/portal` address needs a signed-in agent; anyone else is sent to
/// sign in. The check runs on the server before any page renders.
pub async fn require_agent(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path != "/portal" && !path.starts_with("/portal/") {
        return next.run(request).await;
    }
    match session::signed_in(&state, &session).await {
        Ok(Some(agent)) if agent.recipient.persona == Persona::Agent => {
            request.extensions_mut().insert(agent);
            next.run(request).await
        }
        Ok(_) => Redirect::to("/sign-in").into_response(),
        Err(e) => {
            let refusal = e.into_refusal();
            let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_GATEWAY);
            (status, refusal.message).into_response()
        }
    }
}

/// Cookies ride along on cross-site requests, so anything that changes
/// state on a cookie's authority must come from the portal's own pages.
/// The `/v1` API authenticates with bearer keys and is left alone.
pub async fn same_origin_only(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || request.uri().path().starts_with("/v1/") {
        return next.run(request).await;
    }
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok());
    let allowed = origin.is_some_and(|o| allowed_origins(&state.public_url).iter().any(|a| a == o));
    if allowed {
        return next.run(request).await;
    }
    tracing::warn!(
        origin = origin.unwrap_or("none"),
        "refused a cross-site portal request"
    );
    (
        StatusCode::FORBIDDEN,
        "This request did not come from a DocYard page (its Origin header is missing or \
         belongs to another site).",
    )
        .into_response()
}

/// The public URL's origin, and its `localhost` twin for a loopback IP.
fn allowed_origins(public_url: &str) -> Vec<String> {
    let Ok(url) = url::Url::parse(public_url) else {
        return Vec::new();
    };
    let mut origins = vec![url.origin().ascii_serialization()];
    if matches!(url.host_str(), Some("127.0.0.1" | "[::1]")) {
        let mut twin = url.clone();
        if twin.set_host(Some("localhost")).is_ok() {
            origins.push(twin.origin().ascii_serialization());
        }
    }
    origins
}

/// Removes expired sessions now and then; loading one already ignores it.
pub fn spawn_session_sweeper(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            match state.store.delete_expired_sessions(state.clock.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "removed expired portal sessions"),
                Err(e) => tracing::warn!(error = %e, "could not remove expired sessions"),
            }
        }
    })
}

/// A portal user as the audit trail names them: the recipient they act for.
pub fn audit_actor(signed_in: &session::SignedIn) -> crate::audit::Actor {
    crate::audit::Actor {
        id: signed_in.recipient.id.to_string(),
        persona: signed_in.recipient.persona.to_string(),
    }
}

/// The backend handed to the Leptos app as context.
pub fn backend(state: &AppState) -> Arc<dyn app::backend::PortalBackend> {
    Arc::new(Backend {
        state: state.clone(),
    })
}
