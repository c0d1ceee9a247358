//! `docyard invite`: one-time links that let people enrol in the portal.

use std::path::Path;

use super::offline_state;
use crate::domain::RecipientId;
use crate::portal::invites::create_invite;

#[derive(Debug, clap::Subcommand)]
pub enum InviteCommand {
    /// Invite an agent to create a passkey for an agent recipient.
    Agent {
        /// The agent recipient (rcp_...) the person will act for.
        recipient: RecipientId,
        /// The email address or handle they will sign in with.
        #[arg(long)]
        handle: String,
        /// The portal's public URL, which the printed link starts with.
        #[arg(
            long,
            env = "DOCYARD_PUBLIC_URL",
            default_value = "http://localhost:3000"
        )]
        public_url: String,
    },
}

pub async fn run(data_dir: &Path, command: InviteCommand) -> anyhow::Result<()> {
    let InviteCommand::Agent {
        recipient,
        handle,
        public_url,
    } = command;
    let state = offline_state(data_dir).await?;
    let invite = create_invite(&state, &recipient, &handle, &public_url).await?;
    println!(
        "Invitation for {} (single use, until {}):",
        invite.handle, invite.expires_at
    );
    println!("{}", invite.url);
    Ok(())
}
