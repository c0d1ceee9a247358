//! `docyard audit`: verify the trail's hash chain and read it.

use std::path::Path;

use super::offline_state;
use crate::audit::{self, Action, Actor, RequestOrigin, Verification};

#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Walk every record, check that none was edited or removed, and check
    /// the seal over the newest one.
    Verify,
    /// Print records, oldest first, optionally only one actor's or action's.
    List {
        #[arg(long)]
        actor: Option<String>,
        #[arg(long)]
        action: Option<String>,
        /// Only records after this sequence number.
        #[arg(long, default_value_t = 0)]
        after: i64,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
}

pub async fn run(data_dir: &Path, command: AuditCommand) -> anyhow::Result<()> {
    let state = offline_state(data_dir).await?;
    match command {
        AuditCommand::Verify => match audit::verify(state.store.as_ref(), &state.sealer).await? {
            Verification::Intact {
                records,
                newest_hash,
            } => {
                // Kept somewhere else, the newest hash proves later that
                // the trail up to here was never rewritten, even by someone
                // holding the signing key.
                println!("audit trail intact: {records} records, newest hash {newest_hash}");
                Ok(())
            }
            Verification::Broken { seq, reason } => {
                anyhow::bail!("the audit trail is broken at record {seq}: {reason}")
            }
        },
        AuditCommand::List {
            actor,
            action,
            after,
            limit,
        } => {
            println!("seq\tat\tactor\tpersona\taction\ttarget\toutcome\tip\trequest_id");
            let mut cursor = after;
            let mut shown = 0;
            while shown < limit {
                let page = state.store.audit_events(cursor, 500).await?;
                let Some(last) = page.last() else { break };
                cursor = last.seq;
                let wanted = page.into_iter().filter(|r| {
                    actor.as_ref().is_none_or(|a| &r.event.actor == a)
                        && action.as_ref().is_none_or(|a| &r.event.action == a)
                });
                for r in wanted.take(usize::try_from(limit - shown).unwrap_or(0)) {
                    shown += 1;
                    let (seq, e) = (r.seq, r.event);
                    println!(
                        "{seq}	{}	{}	{}	{}	{}	{}	{}	{}",
                        e.at,
                        e.actor,
                        e.persona,
                        e.action,
                        e.target,
                        e.outcome,
                        e.ip.as_deref().unwrap_or("-"),
                        e.request_id.as_deref().unwrap_or("-")
                    );
                }
            }
            Ok(())
        }
    }
}

/// Puts an admin command on the trail.
pub async fn record_command(
    data_dir: &Path,
    name: &'static str,
    target: &str,
    succeeded: bool,
) -> anyhow::Result<()> {
    let state = offline_state(data_dir).await?;
    let origin = RequestOrigin::command_line();
    audit::record(
        &state,
        &origin,
        &Actor::admin(),
        Action::Admin(name),
        target,
        succeeded,
    )
    .await?;
    Ok(())
}
