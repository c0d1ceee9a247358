//! Integration tests: the real server on port 0 over a fresh data dir,
//! driven over HTTP.

mod helpers;

mod archive;
mod audit;
mod auth;
mod cli;
mod downloads;
mod idempotency;
mod jobs;
mod mtls;
mod openapi;
mod portal;
mod portal_access;
mod portal_helpers;
mod portal_sign_in;
mod pull;
mod rate_limits;
mod sync;
mod tls_helpers;
mod uploads;
mod validation;
