//! `docyard demo`: seed a fresh data dir once, then print what it holds.

use std::path::Path;

use super::offline_state;
use crate::demo::{seed, tls, AgentInvite, DemoManifest, DEMO_AGENT_HANDLE};
use crate::portal::invites::create_invite;

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Print the demo's IDs and credentials as JSON.
    #[arg(long)]
    json: bool,
    /// How many documents to generate.
    #[arg(long, default_value_t = 360)]
    documents: usize,
    /// The base URL the printed examples use.
    #[arg(
        long,
        env = "DOCYARD_PUBLIC_URL",
        default_value = "http://localhost:3000"
    )]
    public_url: String,
    /// The HTTPS address (`serve --tls-listen`) the mortgagee's examples use.
    #[arg(long, default_value = "https://localhost:3443")]
    https_url: String,
}

/// The demo's credentials are kept beside the data they unlock, so that a
/// second run can print them again. That file is demo-only: real keys are
/// shown once and never stored.
const MANIFEST_FILE: &str = "demo.json";

pub async fn run(data_dir: &Path, args: DemoArgs) -> anyhow::Result<()> {
    let path = data_dir.join(MANIFEST_FILE);
    let state = offline_state(data_dir).await?;
    let mut manifest: DemoManifest = if path.exists() {
        serde_json::from_str(&std::fs::read_to_string(&path)?)
            .map_err(|e| anyhow::anyhow!("{} is not a demo manifest: {e}", path.display()))?
    } else {
        anyhow::ensure!(
            state.store.list_docks().await?.is_empty(),
            "{} already holds docks but no {MANIFEST_FILE}; use a fresh --data-dir for the demo",
            data_dir.display()
        );
        let mut manifest = seed(&state, &args.public_url, args.documents).await?;
        let tls_dir = data_dir.join("tls");
        let mortgagee = &manifest.mortgagee.recipient_id;
        manifest.mortgagee_tls =
            Some(tls::create(&state, &tls_dir, mortgagee, &args.https_url).await?);
        std::fs::write(&path, serde_json::to_string_pretty(&manifest)?)?;
        manifest
    };
    let invite = create_invite(
        &state,
        &manifest.agent.recipient_id,
        DEMO_AGENT_HANDLE,
        &manifest.base_url,
    )
    .await?;
    manifest.agent_invite = Some(AgentInvite {
        handle: invite.handle,
        url: invite.url,
        expires_at: invite.expires_at,
    });

    if args.json {
        println!("{}", serde_json::to_string_pretty(&manifest)?);
    } else {
        print_guide(&manifest);
    }
    Ok(())
}

fn print_guide(m: &DemoManifest) {
    let key = |k: &Option<String>| k.clone().unwrap_or_default();
    let (base, dock) = (&m.base_url, &m.dock_id);
    let mortgagee_key = key(&m.mortgagee.api_key);
    let ids = m
        .mortgagee
        .sample_artifact_ids
        .iter()
        .map(|id| format!("\"{id}\""))
        .collect::<Vec<_>>()
        .join(", ");
    println!(
        "DocYard demo: dock {dock} with {} documents",
        m.document_count
    );
    println!("  uploader key     {}", m.uploader.api_key);
    println!(
        "  mortgagee        {}  key {mortgagee_key}",
        m.mortgagee.recipient_id
    );
    println!(
        "  agent            {}  key {}",
        m.agent.recipient_id,
        key(&m.agent.api_key)
    );
    if let Some(invite) = &m.agent_invite {
        println!(
            "  agent sign-in    {} (one-time link, open it to create a passkey):",
            invite.handle
        );
        println!("                   {}", invite.url);
    }
    println!(
        "  policyholder     {}  phone {} (codes: docyard sms outbox)",
        m.policyholder.recipient_id,
        m.policyholder.phone.as_deref().unwrap_or("-")
    );
    println!(
        "  auditor          {}  badge {}  NDA SHA-256 {}",
        m.auditor.recipient_id,
        m.auditor.badge_id.as_deref().unwrap_or("-"),
        m.auditor.nda_sha256.as_deref().unwrap_or("-")
    );
    println!();
    // Mortgagee keys count only over mutual TLS with their certificate.
    let (secure, tls_flags) = match &m.mortgagee_tls {
        Some(t) => (
            t.https_url.clone(),
            format!(
                "--cert {} --key {} --cacert {} ",
                t.cert_file.display(),
                t.key_file.display(),
                t.ca_file.display()
            ),
        ),
        None => (base.clone(), String::new()),
    };
    println!("# Mortgagee daily sync over mutual TLS (serve with --tls-listen 127.0.0.1:3443)");
    println!(
        "curl {tls_flags}-X POST {secure}/v1/retrieval/jobs \
         -H \"Authorization: Bearer {mortgagee_key}\" \
         -H \"Content-Type: application/json\" -d '{{\"dockId\": \"{dock}\", \"recipientId\": \
         \"{}\", \"metadata\": {{\"document_type\": \"declaration-page\"}}, \"sinceTimestamp\": \
         \"2025-01-14T00:00:00.000Z\"}}'",
        m.mortgagee.recipient_id
    );
    println!("# Agent client batch: one policy's documents");
    println!(
        "curl -X POST {base}/v1/retrieval/jobs -H \"Authorization: Bearer {}\" \
         -H \"Content-Type: application/json\" -d '{{\"dockId\": \"{dock}\", \"recipientId\": \
         \"{}\", \"metadata\": {{\"policy_number\": \"{}\"}}}}'",
        key(&m.agent.api_key),
        m.agent.recipient_id,
        m.policy_number
    );
    println!("# Targeted pull by artifact IDs");
    println!(
        "curl {tls_flags}-X POST {secure}/v1/retrieval/jobs \
         -H \"Authorization: Bearer {mortgagee_key}\" \
         -H \"Content-Type: application/json\" -d '{{\"dockId\": \"{dock}\", \"recipientId\": \
         \"{}\", \"artifactIds\": [{ids}]}}'",
        m.mortgagee.recipient_id
    );
    println!("# Then poll the job and read its results (replace job_...):");
    println!(
        "curl {tls_flags}{secure}/v1/retrieval/jobs/job_.../results \
         -H \"Authorization: Bearer {mortgagee_key}\""
    );
}
