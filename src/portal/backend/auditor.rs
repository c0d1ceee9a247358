//! The auditor's pages' backend: sign-in, then four read-only views.

use app::backend::{AuditorBackend, Outcome};
use app::oversight::{
    ArtifactMetadataResults, ArtifactQuery, AuditJobs, DockView, JobQueryForm, Trail, TrailQuery,
};
use async_trait::async_trait;

use super::{origin, outcome, request_session, Backend};
use crate::portal::auditors::{self, sign_in};

#[async_trait]
impl AuditorBackend for Backend {
    async fn auditor_sign_in(&self, badge_id: String, nda_sha256: String) -> Outcome<()> {
        outcome(
            async {
                let session = request_session().await?;
                sign_in::sign_in(&self.state, &session, &origin(), &badge_id, &nda_sha256).await
            }
            .await,
        )
    }

    async fn docks(&self) -> Outcome<Vec<DockView>> {
        outcome(
            async {
                let auditor = self.signed_in().await?;
                auditors::docks(&self.state, &origin(), &auditor).await
            }
            .await,
        )
    }

    async fn artifacts(&self, query: ArtifactQuery) -> Outcome<ArtifactMetadataResults> {
        outcome(
            async {
                let auditor = self.signed_in().await?;
                auditors::artifacts(&self.state, &origin(), &auditor, &query).await
            }
            .await,
        )
    }

    async fn all_jobs(&self, query: JobQueryForm) -> Outcome<AuditJobs> {
        outcome(
            async {
                let auditor = self.signed_in().await?;
                auditors::jobs(&self.state, &origin(), &auditor, &query).await
            }
            .await,
        )
    }

    async fn trail(&self, query: TrailQuery) -> Outcome<Trail> {
        outcome(
            async {
                let auditor = self.signed_in().await?;
                auditors::trail(&self.state, &origin(), &auditor, &query).await
            }
            .await,
        )
    }
}
