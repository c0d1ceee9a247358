//! The demo: a realistic dock of generated insurance PDFs and one recipient
//! of each persona, so a newcomer can try every door at once.

pub mod catalog;
pub mod pdf;
pub mod tls;

use futures::StreamExt;
use serde::{Deserialize, Serialize};

use crate::cli::create_key;
use crate::db::KeyOwner;
use crate::domain::{
    ArtifactId, BadgeId, DockId, KeyEnvironment, Metadata, NdaHash, Persona, PhoneNumber,
    RecipientId, Timestamp,
};
use crate::services::uploads::{store_artifact, UploadDetails};
use crate::state::AppState;

/// What `docyard demo --json` prints; scripts rely on this shape.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoManifest {
    pub base_url: String,
    pub dock_id: DockId,
    pub policy_number: String,
    pub document_count: usize,
    pub uploader: KeyHolder,
    pub mortgagee: Recipient,
    pub agent: Recipient,
    pub policyholder: Recipient,
    pub auditor: Recipient,
    /// A fresh one-time link for the demo agent to create a passkey; made
    /// on every run, never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_invite: Option<AgentInvite>,
    /// The mortgagee's client certificate and the demo CA, for mutual TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mortgagee_tls: Option<tls::MortgageeTls>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentInvite {
    pub handle: String,
    pub url: String,
    pub expires_at: Timestamp,
}

/// The demo agent's sign-in name.
pub const DEMO_AGENT_HANDLE: &str = "dana@whitfield-agency.example";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyHolder {
    pub api_key: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    pub recipient_id: RecipientId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// Artifacts this recipient may fetch, for a targeted pull by ID.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sample_artifact_ids: Vec<ArtifactId>,
    /// The policyholder's mobile number; codes go to `docyard sms outbox`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The auditor's badge ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge_id: Option<String>,
    /// The SHA-256 of the auditor's (demo) NDA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nda_sha256: Option<String>,
}

/// The demo policyholder's phone, a number reserved for fiction.
pub const DEMO_POLICYHOLDER_PHONE: &str = "+15550100199";
pub const DEMO_AUDITOR_BADGE: &str = "AUD-1042";
/// The demo auditor's NDA: its SHA-256 is what they sign in with.
pub const DEMO_NDA_TEXT: &str = "Harborline Mutual confidentiality agreement, signed by the \
    DocYard demo compliance auditor.\n";

/// Creates the demo dock, its documents and recipients.
pub async fn seed(state: &AppState, base_url: &str, count: usize) -> anyhow::Result<DemoManifest> {
    let now = state.clock.now();
    let dock = state
        .store
        .create_dock("Harborline Mutual demo dock", now)
        .await?;

    let documents = catalog::documents(now.to_datetime(), count);
    let mut mortgagee_samples = Vec::new();
    for document in &documents {
        let bytes = bytes::Bytes::from(pdf::render(document));
        let metadata = Metadata::from_pairs(&document.metadata)?;
        let details = UploadDetails {
            file_name: document.file_name.clone(),
            content_type: "application/pdf".to_owned(),
            metadata,
            expected_sha256: None,
            backdate_to: Some(Timestamp::from_datetime(document.created_at)),
        };
        let body = futures::stream::once(async move { Ok(bytes) }).boxed();
        let artifact = store_artifact(state, &dock.id, details, body).await?;
        let for_mortgagee = artifact.metadata.get("mortgagee_id") == Some(catalog::DEMO_MORTGAGEE);
        if for_mortgagee && mortgagee_samples.len() < 2 {
            mortgagee_samples.push(artifact.id);
        }
    }

    let (_, uploader_key) = create_key(
        state,
        &KeyOwner::Uploader(dock.id.clone()),
        KeyEnvironment::Test,
        "demo uploader",
    )
    .await?;
    let mortgagee = recipient(
        state,
        &dock.id,
        Persona::Mortgagee,
        "First National Mortgage (demo)",
        &[("mortgagee_id", catalog::DEMO_MORTGAGEE)],
        true,
    )
    .await?;
    let agent = recipient(
        state,
        &dock.id,
        Persona::Agent,
        "Dana Whitfield, agency AG-1001 (demo)",
        &[("agent_code", catalog::DEMO_AGENT)],
        true,
    )
    .await?;
    let policyholder = recipient(
        state,
        &dock.id,
        Persona::Policyholder,
        "Jordan Alvarez (demo)",
        &[("policy_number", catalog::DEMO_POLICY)],
        false,
    )
    .await?;
    let phone = PhoneNumber::parse(DEMO_POLICYHOLDER_PHONE)?;
    state
        .store
        .register_phone(&phone, &policyholder.recipient_id, now)
        .await?;
    // Auditors hold no grant: they see metadata, never documents.
    let badge = BadgeId::parse(DEMO_AUDITOR_BADGE)?;
    let nda = NdaHash::of_document(DEMO_NDA_TEXT.as_bytes());
    let auditor_id =
        crate::cli::create_auditor(state, "Compliance auditor (demo)", &badge, &nda).await?;
    let auditor = Recipient {
        recipient_id: auditor_id,
        api_key: None,
        sample_artifact_ids: Vec::new(),
        phone: None,
        badge_id: Some(badge.to_string()),
        nda_sha256: Some(nda.as_str().to_owned()),
    };

    Ok(DemoManifest {
        base_url: base_url.to_owned(),
        dock_id: dock.id,
        policy_number: catalog::DEMO_POLICY.to_owned(),
        document_count: documents.len(),
        uploader: KeyHolder {
            api_key: uploader_key.expose().to_owned(),
        },
        mortgagee: Recipient {
            sample_artifact_ids: mortgagee_samples,
            ..mortgagee
        },
        agent,
        policyholder: Recipient {
            phone: Some(phone.to_string()),
            ..policyholder
        },
        auditor,
        agent_invite: None,
        mortgagee_tls: None,
    })
}

async fn recipient(
    state: &AppState,
    dock: &DockId,
    persona: Persona,
    name: &str,
    scope: &[(&str, &str)],
    with_key: bool,
) -> anyhow::Result<Recipient> {
    let now = state.clock.now();
    let record = state.store.create_recipient(persona, name, now).await?;
    state
        .store
        .create_grant(
            &record.id,
            dock,
            &Metadata::from_pairs(scope.iter().copied())?,
            now,
        )
        .await?;
    let api_key = if with_key {
        let owner = KeyOwner::Recipient(record.clone());
        let label = format!("demo {persona}");
        Some(
            create_key(state, &owner, KeyEnvironment::Test, &label)
                .await?
                .1
                .expose()
                .to_owned(),
        )
    } else {
        None
    };
    Ok(Recipient {
        recipient_id: record.id,
        api_key,
        sample_artifact_ids: Vec::new(),
        phone: None,
        badge_id: None,
        nda_sha256: None,
    })
}
