//! DocYard: insurance documents delivered to the people who need them.
//!
//! `docyard` is one binary: the `/v1` JSON API, the Leptos portal from the
//! `app` crate, the job worker and the admin commands.

pub mod api;
pub mod archive;
pub mod audit;
pub mod certs;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod jobs;
pub mod portal;
pub mod pull;
pub mod rate_limit;
pub mod server;
pub mod services;
pub mod signing;
pub mod sms;
pub mod state;
pub mod storage;
pub mod telemetry;
