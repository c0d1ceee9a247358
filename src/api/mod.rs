//! The `/v1` JSON API.

pub mod auth;
pub mod error;
mod params;
pub mod v1;

pub use error::{ApiError, ApiResult};
