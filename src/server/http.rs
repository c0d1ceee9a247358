//! The router: API, portal pages, health checks and the layers around them.

use axum::http::{HeaderName, Request};
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::Router;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::field::Empty;
use tracing::Level;

use super::{access, health, Routes};
use crate::config::Settings;
use crate::portal;
use crate::state::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Where a request ID the client sent is kept: logged beside ours, never
/// taken for it.
const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("x-client-request-id");

/// Every path the server answers: its own routes, the portal's pages and
/// the portal's server functions.
pub fn served_paths(settings: &Settings) -> Vec<String> {
    let (_, own) = own_routes(settings).into_parts();
    let pages = page_routes();
    let functions = leptos::server_fn::axum::server_fn_paths();
    own.into_iter()
        .map(str::to_owned)
        .chain(pages.iter().map(|p| p.path().to_owned()))
        .chain(functions.map(|(path, _)| path.to_owned()))
        .collect()
}

/// The portal's page routes, worked out once per process. Working them out
/// renders the app with resource loading switched off for the whole
/// process (a global flag in leptos_server), and a page another server in
/// the same process renders meanwhile can be left waiting for good: the
/// tests start many servers side by side, and saw such pages hang.
fn page_routes() -> Vec<AxumRouteListing> {
    static PAGES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    PAGES.get_or_init(|| generate_route_list(app::App)).clone()
}

fn own_routes(settings: &Settings) -> Routes {
    crate::api::v1::router(settings.max_upload_bytes, settings.request_timeout)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(crate::portal::router())
}

/// # Panics
///
/// When a route is missing from `access::ROUTES`: a route nobody decided
/// the audience of must not be served.
pub fn router(state: AppState, settings: &Settings) -> Router {
    let served = served_paths(settings);
    let unlisted = access::unlisted(served.iter().map(String::as_str));
    assert!(
        unlisted.is_empty(),
        "routes missing from the access table in src/server/access.rs: {unlisted:?}"
    );
    let routes = page_routes();
    let options = state.leptos.clone();
    let portal_context = crate::portal::provide_backends(&state);
    let (own, _) = own_routes(settings).into_parts();
    Router::new()
        .merge(own)
        .leptos_routes_with_context(&state, routes, portal_context, move || {
            app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            app::shell,
        ))
        .layer(axum::middleware::from_fn(portal::blame_the_input))
        .layer(from_fn_with_state(state.clone(), portal::require_persona))
        .layer(portal::session_layer(&state))
        .layer(from_fn_with_state(state.clone(), portal::same_origin_only))
        .layer(from_fn_with_state(state.clone(), find_client_address))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUlid))
        .layer(axum::middleware::map_request(set_aside_client_request_id))
        .with_state(state)
}

/// Every request gets an ID of ours: the audit trail and the logs must not
/// carry one a client chose, which could collide with another request's or
/// impersonate it. The client's own ID is kept under another name.
async fn set_aside_client_request_id<B>(mut request: Request<B>) -> Request<B> {
    if let Some(theirs) = request.headers_mut().remove(REQUEST_ID) {
        request.headers_mut().insert(CLIENT_REQUEST_ID, theirs);
    }
    request
}

/// Works out once where each request came from, for rate limits and the
/// audit trail.
async fn find_client_address(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (mut parts, body) = request.into_parts();
    if let Some(ip) = crate::audit::client_address(&parts, &state.trusted_proxies) {
        parts.extensions.insert(crate::audit::ClientIp(ip));
    }
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let request_id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let client_request_id = request
        .headers()
        .get(CLIENT_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(|id| id.chars().take(128).collect::<String>());
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %loggable_path(request.uri().path()),
        request_id,
        client_request_id,
        recipient = Empty,
        job = Empty,
    )
}

/// A download path carries a bearer token; it must never reach the logs.
fn loggable_path(path: &str) -> &str {
    if path.starts_with("/v1/downloads/") {
        "/v1/downloads/<token>"
    } else {
        path
    }
}

/// Request IDs are ULIDs like every other DocYard ID, so they sort by time.
#[derive(Clone, Copy, Default)]
struct MakeRequestUlid;

impl MakeRequestId for MakeRequestUlid {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let id = format!("req_{}", ulid::Ulid::new());
        axum::http::HeaderValue::from_str(&id)
            .ok()
            .map(RequestId::new)
    }
}
