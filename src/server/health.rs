//! Liveness and readiness for load balancers and orchestrators.

use axum::extract::State;
use axum::http::StatusCode;

use crate::state::AppState;

pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database and the object store answer.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if let Err(e) = state.store.list_docks().await {
        tracing::warn!(error = %e, "not ready: the database does not answer");
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable");
    }
    if let Err(e) = state.objects.check().await {
        tracing::warn!(error = %e, "not ready: the object store does not answer");
        return (StatusCode::SERVICE_UNAVAILABLE, "object store unavailable");
    }
    (StatusCode::OK, "ready")
}
