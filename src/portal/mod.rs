//! The portal's server side: sessions, the three doors (agents' passkeys,
//! policyholders' SMS codes, auditors' badges), the guard in front of each
//! persona's pages, the backend the pages call, and the routes that are not
//! pages (an agent's live progress and zip, a policyholder's document).

pub mod auditors;
mod backend;
mod error;
mod input_errors;
pub mod invites;
mod limits;
pub mod passkeys;
pub mod policyholders;
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
pub use input_errors::blame_the_input;
pub use limits::SignInLimits;
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

/// The routes of the portal that are not Leptos pages.
pub fn router() -> crate::server::Routes {
    routes::router().merge(policyholders::router())
}

/// Where each persona's pages live, and where its people sign in.
const AREAS: [(&str, Persona, &str); 3] = [
    ("/portal", Persona::Agent, "/sign-in"),
    ("/policy", Persona::Policyholder, "/sign-in/phone"),
    ("/audit", Persona::Auditor, "/sign-in/badge"),
];

/// The first page of a persona's part of the portal.
pub fn home_of(persona: Persona) -> &'static str {
    AREAS
        .iter()
        .find(|(_, p, _)| *p == persona)
        .map_or("/", |(prefix, _, _)| prefix)
}

/// Every address under `/portal`, `/policy` and `/audit` belongs to one
/// persona. Someone signed out is sent to that persona's sign-in; someone
/// signed in as another persona is refused. The check runs on the server
/// before any page renders.
pub async fn require_persona(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let area = AREAS
        .iter()
        .find(|(prefix, _, _)| path == *prefix || path.starts_with(&format!("{prefix}/")));
    let Some(&(_, persona, sign_in)) = area else {
        return next.run(request).await;
    };
    match session::signed_in(&state, &session).await {
        Ok(Some(signed_in)) if signed_in.persona() == persona => {
            request.extensions_mut().insert(signed_in);
            next.run(request).await
        }
        Ok(Some(signed_in)) => {
            tracing::warn!(
                persona = %signed_in.persona(),
                area = %persona,
                "refused a page of another persona"
            );
            refusal(PortalError::WrongPersona {
                needed: persona,
                signed_in_as: signed_in.persona(),
            })
        }
        Ok(None) => Redirect::to(sign_in).into_response(),
        Err(e) => refusal(e),
    }
}

fn refusal(error: PortalError) -> Response {
    let refusal = error.into_refusal();
    let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_GATEWAY);
    (status, refusal.message).into_response()
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

/// Now and then removes expired sessions and SMS codes (loading one
/// already ignores them), day-old outbox messages, and rate-limit entries
/// that have refilled, and lets the query planner catch up with the data.
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
            match state
                .store
                .delete_expired_sms_codes(state.clock.now())
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(codes = n, "removed expired SMS codes"),
                Err(e) => tracing::warn!(error = %e, "could not remove expired SMS codes"),
            }
            // Outbox messages hold codes in plain text; a day is plenty
            // for a developer to read them.
            let day_ago = state.clock.now().plus_seconds(-24 * 3600);
            match state.store.prune_outbox(day_ago).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(messages = n, "forgot day-old SMS outbox messages"),
                Err(e) => tracing::warn!(error = %e, "could not prune the SMS outbox"),
            }
            match state.store.refresh_planner_statistics().await {
                Ok(crate::db::StatisticsRefresh::Refreshed { artifacts }) => {
                    tracing::debug!(artifacts, "refreshed the query planner's statistics")
                }
                Ok(crate::db::StatisticsRefresh::KeptSeeded { .. }) => {}
                Err(e) => tracing::warn!(error = %e, "could not refresh planner statistics"),
            }
            state.sign_in_limits.forget_the_idle();
            state.limiter.retain_recent();
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

/// The backends handed to the Leptos app as context: one value serving
/// all three personas' pages, each method checking who is asking.
pub fn provide_backends(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let backend = Arc::new(Backend {
        state: state.clone(),
    });
    move || {
        use leptos::prelude::provide_context;
        let agent: Arc<dyn app::backend::PortalBackend> = backend.clone();
        let policyholder: Arc<dyn app::backend::PolicyholderBackend> = backend.clone();
        let auditor: Arc<dyn app::backend::AuditorBackend> = backend.clone();
        provide_context(agent);
        provide_context(policyholder);
        provide_context(auditor);
    }
}
