//! Integration tests: the real server on port 0 over a fresh data dir,
//! driven over HTTP.

mod helpers;

mod archive;
mod audit;
mod auditor_doors;
mod auth;
mod cli;
mod door_helpers;
mod doors_cli;
mod downloads;
mod idempotency;
mod jobs;
mod mtls;
mod openapi;
mod policyholder_documents;
mod policyholder_sign_in;
mod portal;
mod portal_access;
mod portal_helpers;
mod portal_sign_in;
mod pull;
mod rate_limits;
mod route_cast;
mod route_table;
mod route_walk;
mod s3;
mod s3_helpers;
mod sms;
mod sync;
mod tls_helpers;
mod uploads;
mod validation;
