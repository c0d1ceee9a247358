//! The retrieval job worker that runs inside the server.

mod worker;

pub use worker::{run_job, spawn_worker};
