//! Admin commands for the policyholder's and the auditor's doors: phone
//! numbers on policyholders, and auditors with their badge and NDA hash.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Subcommand;

use super::offline_state;
use crate::domain::{BadgeId, NdaHash, Persona, PhoneNumber, RecipientId};

#[derive(Debug, Subcommand)]
pub enum PhoneCommand {
    /// Let a policyholder sign in with a code texted to this number.
    Register {
        #[arg(long)]
        recipient: RecipientId,
        /// International form, such as +15550100199.
        #[arg(long, value_parser = parse_phone)]
        phone: PhoneNumber,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditorCommand {
    /// Create an auditor who signs in with a badge ID and the SHA-256 of
    /// their signed NDA; prints the auditor's recipient ID.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_badge)]
        badge: BadgeId,
        /// The NDA's SHA-256 as 64 hex digits.
        #[arg(long, value_parser = parse_nda, conflicts_with = "nda_file",
              required_unless_present = "nda_file")]
        nda_sha256: Option<NdaHash>,
        /// The signed NDA itself; its SHA-256 is stored.
        #[arg(long)]
        nda_file: Option<PathBuf>,
    },
}

fn parse_phone(raw: &str) -> Result<PhoneNumber, String> {
    PhoneNumber::parse(raw).map_err(|e| e.to_string())
}

fn parse_badge(raw: &str) -> Result<BadgeId, String> {
    BadgeId::parse(raw).map_err(|e| e.to_string())
}

fn parse_nda(raw: &str) -> Result<NdaHash, String> {
    NdaHash::parse(raw).map_err(|e| e.to_string())
}

pub async fn phone(data_dir: &Path, command: PhoneCommand) -> anyhow::Result<()> {
    let state = offline_state(data_dir).await?;
    let PhoneCommand::Register { recipient, phone } = command;
    let record = state
        .store
        .recipient(&recipient)
        .await?
        .with_context(|| format!("there is no recipient {recipient}"))?;
    if record.persona != Persona::Policyholder {
        bail!(
            "{recipient} is a {}; only policyholders sign in by phone",
            record.persona
        );
    }
    if let Some(owner) = state.store.policyholder_by_phone(&phone).await? {
        bail!("{} is already registered to {owner}", phone.masked());
    }
    state
        .store
        .register_phone(&phone, &recipient, state.clock.now())
        .await?;
    println!("{recipient} can now sign in with codes texted to {phone}");
    Ok(())
}

pub async fn auditor(data_dir: &Path, command: AuditorCommand) -> anyhow::Result<()> {
    let state = offline_state(data_dir).await?;
    let AuditorCommand::Add {
        name,
        badge,
        nda_sha256,
        nda_file,
    } = command;
    let nda = match (nda_sha256, nda_file) {
        (Some(hash), _) => hash,
        (None, Some(path)) => {
            let bytes = std::fs::read(&path)
                .with_context(|| format!("cannot read the NDA {}", path.display()))?;
            NdaHash::of_document(&bytes)
        }
        (None, None) => bail!("give --nda-sha256 or --nda-file"),
    };
    if state.store.auditor_by_badge(&badge).await?.is_some() {
        bail!("badge {badge} is already registered");
    }
    let id = create_auditor(&state, &name, &badge, &nda).await?;
    println!("{id}");
    Ok(())
}

/// A new auditor recipient holding `badge`; used by the demo too.
pub async fn create_auditor(
    state: &crate::state::AppState,
    name: &str,
    badge: &BadgeId,
    nda: &NdaHash,
) -> anyhow::Result<RecipientId> {
    let now = state.clock.now();
    let recipient = state
        .store
        .create_recipient(Persona::Auditor, name, now)
        .await?;
    state
        .store
        .create_auditor(&recipient.id, badge, nda, now)
        .await?;
    Ok(recipient.id)
}
