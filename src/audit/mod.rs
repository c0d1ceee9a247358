//! The audit trail: who did what, to what, from where, and whether it
//! worked. Records are only ever appended, and each carries the hash of
//! the one before, so that `verify` finds any record edited or removed;
//! a keyed seal over the newest one shows records cut off the end.

mod origin;
mod seal;
mod verify;

use sha2::{Digest, Sha256};

pub use origin::{client_address, ClientIp, RequestOrigin};
pub use seal::{AuditSeal, Sealer};
pub use verify::{verify, Verification};

use crate::db::{DbResult, NewAuditEvent};
use crate::services::Caller;
use crate::state::AppState;

/// The hash before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What was done. The names are what operators filter by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignIn,
    SignInFailed,
    SignOut,
    PasskeyEnrolled,
    JobCreated,
    ResultsRead,
    ArchiveDownloaded,
    DocumentDownloaded,
    AuditorView,
    Admin(&'static str),
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::SignIn => "sign_in",
            Action::SignInFailed => "sign_in_failed",
            Action::SignOut => "sign_out",
            Action::PasskeyEnrolled => "passkey_enrolled",
            Action::JobCreated => "job_created",
            Action::ResultsRead => "results_read",
            Action::ArchiveDownloaded => "archive_downloaded",
            Action::DocumentDownloaded => "document_downloaded",
            Action::AuditorView => "auditor_view",
            Action::Admin(command) => command,
        }
    }
}

/// Who acted: a recipient, an uploader key, an admin at the command line,
/// or someone not (yet) known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: String,
    pub persona: String,
}

impl Actor {
    pub fn of(caller: &Caller) -> Self {
        match caller {
            Caller::Recipient(r) => Actor {
                id: r.id.to_string(),
                persona: r.persona.to_string(),
            },
            Caller::Uploader(dock) => Actor {
                id: format!("uploader:{dock}"),
                persona: "uploader".to_owned(),
            },
        }
    }

    pub fn admin() -> Self {
        let user = std::env::var("USER").unwrap_or_else(|_| "unknown".to_owned());
        Actor {
            id: format!("admin:{user}"),
            persona: "admin".to_owned(),
        }
    }

    pub fn anonymous(claimed: &str) -> Self {
        Actor {
            id: format!("unknown:{claimed}"),
            persona: "none".to_owned(),
        }
    }
}

/// Appends one record. A failure to record fails the caller: an action the
/// trail cannot show should not happen silently.
pub async fn record(
    state: &AppState,
    origin: &RequestOrigin,
    actor: &Actor,
    action: Action,
    target: &str,
    succeeded: bool,
) -> DbResult<()> {
    let event = NewAuditEvent {
        at: state.clock.now(),
        actor: actor.id.clone(),
        persona: actor.persona.clone(),
        action: action.name().to_owned(),
        target: target.to_owned(),
        outcome: if succeeded { "ok" } else { "refused" }.to_owned(),
        ip: origin.ip.map(|ip| ip.to_string()),
        request_id: origin.request_id.clone(),
    };
    state.store.append_audit_event(&event, &state.sealer).await
}

/// The hash that chains a record to the one before it: SHA-256 over the
/// previous hash and every field, each length-prefixed so that no two
/// different records can be made to read alike.
pub fn chain_hash(prev_hash: &str, seq: i64, event: &NewAuditEvent) -> String {
    let mut hasher = Sha256::new();
    let at = event.at.micros().to_string();
    let seq = seq.to_string();
    let fields = [
        prev_hash,
        &seq,
        &at,
        &event.actor,
        &event.persona,
        &event.action,
        &event.target,
        &event.outcome,
        event.ip.as_deref().unwrap_or(""),
        event.request_id.as_deref().unwrap_or(""),
    ];
    for field in fields {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}
