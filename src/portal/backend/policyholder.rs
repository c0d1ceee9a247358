//! The policyholder's pages' backend.

use app::backend::{Outcome, PolicyholderBackend};
use app::oversight::PolicyDocuments;
use async_trait::async_trait;

use super::{origin, outcome, request_session, Backend};
use crate::portal::policyholders::{self, sign_in};

#[async_trait]
impl PolicyholderBackend for Backend {
    async fn request_code(&self, phone: String) -> Outcome<()> {
        outcome(sign_in::request_code(&self.state, &origin(), &phone).await)
    }

    async fn verify_code(&self, phone: String, code: String) -> Outcome<()> {
        outcome(
            async {
                let session = request_session().await?;
                sign_in::verify_code(&self.state, &session, &origin(), &phone, &code).await
            }
            .await,
        )
    }

    async fn documents(&self) -> Outcome<PolicyDocuments> {
        outcome(
            async {
                let signed_in = self.signed_in().await?;
                policyholders::documents(&self.state, &signed_in).await
            }
            .await,
        )
    }
}
