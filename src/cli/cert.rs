//! `docyard cert`: register, list and remove the client certificates that
//! vouch for mortgagees' API keys over mutual TLS.

use std::path::{Path, PathBuf};

use super::offline_state;
use crate::certs::{inspect, read_pem_certs};
use crate::db::NewClientCert;
use crate::domain::{ClientCertId, Persona, RecipientId};

#[derive(Debug, clap::Subcommand)]
pub enum CertCommand {
    /// Register one certificate (by its SHA-256 fingerprint), or a subject
    /// that certificates from the configured client CA may carry.
    Register {
        /// The mortgagee recipient (rcp_...) the certificate speaks for.
        #[arg(long)]
        recipient: RecipientId,
        /// PEM file of the client certificate.
        #[arg(long, conflicts_with = "subject", required_unless_present = "subject")]
        file: Option<PathBuf>,
        /// Subject as RFC 4514 text, e.g. "CN=First National Mortgage"; only
        /// counts when `serve` runs with --client-ca.
        #[arg(long)]
        subject: Option<String>,
        #[arg(long, default_value = "")]
        label: String,
    },
    /// List registrations.
    List,
    /// Remove a registration.
    Remove { id: ClientCertId },
}

pub async fn run(data_dir: &Path, command: CertCommand) -> anyhow::Result<()> {
    let state = offline_state(data_dir).await?;
    let store = &state.store;
    match command {
        CertCommand::Register {
            recipient,
            file,
            subject,
            label,
        } => {
            let found = store
                .recipient(&recipient)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no recipient {recipient}"))?;
            anyhow::ensure!(
                found.persona == Persona::Mortgagee,
                "{recipient} is a {} recipient; client certificates are for mortgagees",
                found.persona
            );
            let registration = match (file, subject) {
                (Some(file), _) => {
                    let der = read_pem_certs(&file)?.remove(0);
                    let info = inspect(&der)?;
                    NewClientCert {
                        recipient_id: recipient,
                        fingerprint: Some(info.fingerprint),
                        subject: info.subject,
                        not_after: Some(info.not_after),
                        label,
                    }
                }
                (None, Some(subject)) => NewClientCert {
                    recipient_id: recipient,
                    fingerprint: None,
                    subject: subject.trim().to_owned(),
                    not_after: None,
                    label,
                },
                (None, None) => anyhow::bail!("give --file or --subject"),
            };
            let id = store
                .register_client_cert(&registration, state.clock.now())
                .await?;
            println!("{id}\t{}", registration.subject);
        }
        CertCommand::List => {
            println!("id\trecipient\tfingerprint\tsubject\tnot_after\tlabel");
            for cert in store.list_client_certs().await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    cert.id,
                    cert.recipient_id,
                    cert.fingerprint
                        .as_deref()
                        .unwrap_or("(subject under client CA)"),
                    cert.subject,
                    cert.not_after.map_or("-".to_owned(), |t| t.to_string()),
                    cert.label
                );
            }
        }
        CertCommand::Remove { id } => {
            anyhow::ensure!(store.remove_client_cert(&id).await?, "no registration {id}");
            println!("removed {id}");
        }
    }
    Ok(())
}
