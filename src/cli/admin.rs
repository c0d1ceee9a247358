//! Admin commands: docks, recipients, grants and keys.

use std::path::Path;

use clap::Subcommand;

use super::{offline_state, parse_pairs};
use crate::db::KeyOwner;
use crate::domain::{ApiKey, ArtifactId, DockId, KeyEnvironment, KeyId, Persona, RecipientId};

#[derive(Debug, Subcommand)]
pub enum DockCommand {
    /// Create a dock and print its ID.
    Create {
        #[arg(long)]
        name: String,
    },
    /// List docks.
    List,
}

#[derive(Debug, Subcommand)]
pub enum RecipientCommand {
    /// Create a recipient and print its ID.
    Create {
        /// mortgagee, agent, policyholder or auditor.
        #[arg(long)]
        persona: Persona,
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum GrantCommand {
    /// Let a recipient see a dock, limited to artifacts whose metadata holds every scope pair.
    Create {
        #[arg(long)]
        recipient: RecipientId,
        #[arg(long)]
        dock: DockId,
        /// A key=value pair the artifacts must carry; repeat for more. None: the whole dock.
        #[arg(long = "scope")]
        scope: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Create an API key; the secret is printed once and stored only as a hash.
    Create {
        /// The recipient the key acts for.
        #[arg(
            long,
            conflicts_with = "uploader_for",
            required_unless_present = "uploader_for"
        )]
        recipient: Option<RecipientId>,
        /// Make an uploader key for this dock instead.
        #[arg(long)]
        uploader_for: Option<DockId>,
        /// A dk_live_ key instead of dk_test_.
        #[arg(long)]
        live: bool,
        #[arg(long, default_value = "")]
        label: String,
    },
    /// List keys: prefix, owner, when made, last used and revoked. A recipient
    /// may hold two live keys at once, so a key is rotated by creating the new
    /// one, moving clients over, then revoking the old one.
    List,
    /// Revoke a key by its key_ ID.
    Revoke { id: KeyId },
}

#[derive(Debug, Subcommand)]
pub enum ArtifactCommand {
    /// Tombstone an artifact so that it is never served again.
    Withdraw { id: ArtifactId },
}

pub async fn artifact(data_dir: &Path, command: ArtifactCommand) -> anyhow::Result<()> {
    let state = offline_state(data_dir).await?;
    let ArtifactCommand::Withdraw { id } = command;
    state
        .store
        .withdraw_artifact(&id, state.clock.now())
        .await?;
    println!("withdrew {id}; it will not be served again");
    Ok(())
}

pub async fn dock(data_dir: &Path, command: DockCommand) -> anyhow::Result<()> {
    let state = offline_state(data_dir).await?;
    let now = state.clock.now();
    match command {
        DockCommand::Create { name } => {
            let dock = state.store.create_dock(&name, now).await?;
            println!("{}", dock.id);
        }
        DockCommand::List => {
            for dock in state.store.list_docks().await? {
                println!("{}\t{}\t{}", dock.id, dock.created_at, dock.name);
            }
        }
    }
    Ok(())
}

pub async fn recipient(data_dir: &Path, command: RecipientCommand) -> anyhow::Result<()> {
    let state = offline_state(data_dir).await?;
    let RecipientCommand::Create { persona, name } = command;
    let recipient = state
        .store
        .create_recipient(persona, &name, state.clock.now())
        .await?;
    println!("{}", recipient.id);
    Ok(())
}

pub async fn grant(data_dir: &Path, command: GrantCommand) -> anyhow::Result<()> {
    let state = offline_state(data_dir).await?;
    let GrantCommand::Create {
        recipient,
        dock,
        scope,
    } = command;
    let scope = parse_pairs(&scope)?;
    let Some(found) = state.store.recipient(&recipient).await? else {
        anyhow::bail!("no recipient {recipient}");
    };
    // A policyholder sees their own policy and nothing else; a grant
    // without a policy number would open the whole dock to them.
    anyhow::ensure!(
        found.persona != Persona::Policyholder || scope.get("policy_number").is_some(),
        "a policyholder's grant needs --scope policy_number=..."
    );
    anyhow::ensure!(state.store.dock(&dock).await?.is_some(), "no dock {dock}");
    state
        .store
        .create_grant(&recipient, &dock, &scope, state.clock.now())
        .await?;
    println!(
        "granted {recipient} access to {dock} with scope {}",
        scope.to_json()
    );
    Ok(())
}

pub async fn key(data_dir: &Path, command: KeyCommand) -> anyhow::Result<()> {
    let state = offline_state(data_dir).await?;
    let now = state.clock.now();
    match command {
        KeyCommand::Create {
            recipient,
            uploader_for,
            live,
            label,
        } => {
            let owner = match (recipient, uploader_for) {
                (Some(id), _) => {
                    let found = state.store.recipient(&id).await?;
                    KeyOwner::Recipient(found.ok_or_else(|| anyhow::anyhow!("no recipient {id}"))?)
                }
                (None, Some(dock)) => {
                    anyhow::ensure!(state.store.dock(&dock).await?.is_some(), "no dock {dock}");
                    KeyOwner::Uploader(dock)
                }
                (None, None) => anyhow::bail!("give --recipient or --uploader-for"),
            };
            let environment = if live {
                KeyEnvironment::Live
            } else {
                KeyEnvironment::Test
            };
            let (id, secret) = create_key(&state, &owner, environment, &label).await?;
            println!("{id}\t{}", secret.expose());
        }
        KeyCommand::List => {
            let show = |at: Option<crate::domain::Timestamp>| {
                at.map_or_else(|| "-".to_owned(), |t| t.to_rfc3339())
            };
            println!("id\tprefix\towner\tcreated\tlast used\trevoked\tlabel");
            for key in state.store.list_api_keys().await? {
                println!(
                    "{}\t{}...\t{}\t{}\t{}\t{}\t{}",
                    key.id,
                    key.display_prefix,
                    key.owner,
                    key.created_at,
                    show(key.last_used_at),
                    show(key.revoked_at),
                    key.label
                );
            }
        }
        KeyCommand::Revoke { id } => {
            state.store.revoke_api_key(&id, now).await?;
            println!("revoked {id}");
        }
    }
    Ok(())
}

pub async fn create_key(
    state: &crate::state::AppState,
    owner: &KeyOwner,
    environment: KeyEnvironment,
    label: &str,
) -> anyhow::Result<(KeyId, ApiKey)> {
    let secret = ApiKey::generate(environment);
    let id = state
        .store
        .create_api_key(
            owner,
            &secret.hash(),
            &secret.display_prefix(),
            label,
            state.clock.now(),
        )
        .await?;
    Ok((id, secret))
}
