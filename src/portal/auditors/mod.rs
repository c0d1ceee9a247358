//! The auditor's door: badge sign-in, then read-only views of the whole
//! yard. Nothing here returns document bytes or links to them, and every
//! view goes on the audit trail.

mod queries;
pub mod sign_in;

pub use queries::{artifacts, docks, jobs, trail};
