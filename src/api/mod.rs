//! The `/v1` JSON API.

pub mod auth;
mod client_cert;
pub mod error;
pub mod openapi;
mod params;
pub mod v1;

pub use openapi::ApiDoc;

pub use error::{ApiError, ApiResult};
