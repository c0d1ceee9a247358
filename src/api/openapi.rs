//! `GET /v1/openapi.json`: the OpenAPI 3.1 contract, generated from the
//! handlers' annotations so it cannot drift from the code.

use axum::Json;
use serde::Serialize;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use super::v1;

/// The error shape every failing `/v1` call answers with.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// invalid_request_error, authentication_error, permission_error,
    /// rate_limit_error or api_error.
    #[serde(rename = "type")]
    pub kind: String,
    pub code: String,
    /// The request field at fault, when there is one.
    pub param: Option<String>,
    pub message: String,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "DocYard API",
        version = "1",
        description = "Insurance documents delivered: bulk retrieval jobs, uploads and \
                       signed downloads."
    ),
    paths(
        v1::jobs::create,
        v1::jobs::list,
        v1::jobs::show,
        v1::jobs::results,
        v1::jobs::archive,
        v1::artifacts::upload,
        v1::downloads::download,
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
