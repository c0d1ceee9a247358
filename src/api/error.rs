//! The one place where failures become the API's error shape:
//! `{"error": {"type", "code", "param", "message"}}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::services::ServiceError;
use crate::signing::TokenError;

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    code: &'static str,
    param: Option<String>,
    message: String,
    retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, kind: &'static str, code: &'static str, message: String) -> Self {
        Self {
            status,
            kind,
            code,
            param: None,
            message,
            retry_after: None,
        }
    }

    /// 408: the server gave up on a JSON request that ran too long.
    pub fn timed_out(limit: std::time::Duration) -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            "api_error",
            "request_timeout",
            format!(
                "The request took longer than {} ms and was abandoned; retry it",
                limit.as_millis()
            ),
        )
    }

    /// 429 with the whole seconds to wait in `Retry-After`.
    pub fn rate_limited(wait: std::time::Duration) -> Self {
        let seconds = crate::rate_limit::whole_seconds(wait);
        let mut error = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limit_error",
            "rate_limited",
            format!("Too many requests for this API key; retry in {seconds} s"),
        );
        error.retry_after = Some(seconds);
        error
    }

    pub fn missing(param: &str) -> Self {
        Self::bad_request("parameter_missing", format!("{param} is required")).with_param(param)
    }

    pub fn invalid(param: &str, message: impl Into<String>) -> Self {
        Self::bad_request("parameter_invalid", message.into()).with_param(param)
    }

    pub fn unknown(param: &str) -> Self {
        Self::bad_request(
            "parameter_unknown",
            format!("{param} is not a recognised parameter"),
        )
        .with_param(param)
    }

    pub fn bad_request(code: &'static str, message: String) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            code,
            message,
        )
    }

    pub fn unauthenticated(code: &'static str, message: &str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            code,
            message.to_owned(),
        )
    }

    fn with_param(mut self, param: &str) -> Self {
        self.param = Some(param.to_owned());
        self
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        let message = error.to_string();
        match error {
            ServiceError::NotFound(what) => {
                let code = match what {
                    "dock" => "dock_not_found",
                    "recipient" => "recipient_not_found",
                    "job" => "job_not_found",
                    _ => "resource_not_found",
                };
                Self::new(
                    StatusCode::NOT_FOUND,
                    "invalid_request_error",
                    code,
                    message,
                )
                .with_param_for(what)
            }
            ServiceError::Forbidden(_) => Self::new(
                StatusCode::FORBIDDEN,
                "permission_error",
                "persona_not_allowed",
                message,
            ),
            ServiceError::Invalid { param, .. } => Self::invalid(&param, message),
            ServiceError::JobNotCompleted(_) => Self::new(
                StatusCode::CONFLICT,
                "invalid_request_error",
                "job_not_completed",
                message,
            ),
            ServiceError::IdempotencyKeyReused => Self::new(
                StatusCode::CONFLICT,
                "invalid_request_error",
                "idempotency_key_reused",
                message,
            )
            .with_param("Idempotency-Key"),
            ServiceError::ResultsExpired(_) => Self::new(
                StatusCode::GONE,
                "invalid_request_error",
                "results_expired",
                message,
            ),
            ServiceError::TooLarge => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "invalid_request_error",
                "too_large",
                message,
            ),
            ServiceError::LinkRefused(TokenError::Expired) => Self::new(
                StatusCode::FORBIDDEN,
                "authentication_error",
                "link_expired",
                message,
            ),
            ServiceError::LinkRefused(TokenError::Invalid) => Self::new(
                StatusCode::FORBIDDEN,
                "authentication_error",
                "link_invalid",
                message,
            ),
            ServiceError::StoreUnavailable => {
                let mut error = Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "api_error",
                    "store_unavailable",
                    message,
                );
                error.retry_after = Some(STORE_RETRY_SECONDS);
                error
            }
            ServiceError::Internal(cause) => {
                // Logged here, once, inside the request's span; the client
                // gets the request ID from the X-Request-Id header instead.
                tracing::error!(error = format!("{cause:#}"), "request failed");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "api_error",
                    "internal_error",
                    "Something went wrong on our side; quote the X-Request-Id header to support"
                        .to_owned(),
                )
            }
        }
    }
}

impl ApiError {
    fn with_param_for(self, what: &str) -> Self {
        match what {
            "dock" => self.with_param("dockId"),
            "recipient" => self.with_param("recipientId"),
            _ => self,
        }
    }
}

/// When to try again after the object store failed to answer: long enough
/// for a restart or a network blip to pass.
const STORE_RETRY_SECONDS: u64 = 30;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {
            "type": self.kind,
            "code": self.code,
            "param": self.param,
            "message": self.message,
        }});
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
