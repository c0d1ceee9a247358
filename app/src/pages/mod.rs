//! One module per portal page.

pub mod auditor;
pub mod badge_sign_in;
pub mod bulk;
pub mod invite;
pub mod job;
pub mod jobs;
pub mod phone_sign_in;
pub mod policy;
pub mod settings;
pub mod sign_in;

/// Sends the browser to `path` with a full page load, so that the server
/// renders the next page with the session it just changed.
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
