//! Prefixed ULID identifiers such as `dock_01HQ3K...`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Why a string is not an identifier of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be an ID of the form {prefix}<26-character ULID>")]
pub struct IdError {
    pub prefix: &'static str,
}

macro_rules! prefixed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[derive(sqlx::Type)]
        #[serde(try_from = "String", into = "String")]
        #[sqlx(transparent)]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            /// A fresh identifier; ULIDs sort by creation time.
            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, ulid::Ulid::new()))
            }

            pub fn parse(raw: &str) -> Result<Self, IdError> {
                let error = IdError { prefix: $prefix };
                let body = raw.strip_prefix($prefix).ok_or(error.clone())?;
                let ulid = ulid::Ulid::from_string(body).map_err(|_| error)?;
                Ok(Self(format!("{}{}", $prefix, ulid)))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(raw: &str) -> Result<Self, IdError> {
                Self::parse(raw)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;

            fn try_from(raw: String) -> Result<Self, IdError> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
    };
}

prefixed_id!(
    /// A carrier's document store.
    DockId,
    "dock_"
);
prefixed_id!(
    /// One stored, immutable file.
    ArtifactId,
    "art_"
);
prefixed_id!(
    /// A mortgagee, agent, policyholder or auditor.
    RecipientId,
    "rcp_"
);
prefixed_id!(
    /// A bulk retrieval job.
    JobId,
    "job_"
);
prefixed_id!(
    /// The public handle of an API key (never the secret itself).
    KeyId,
    "key_"
);

prefixed_id!(
    /// A person who signs in to the portal.
    UserId,
    "usr_"
);
prefixed_id!(
    /// One of a portal user's passkeys.
    PasskeyId,
    "pk_"
);

prefixed_id!(
    /// A client certificate registered to a recipient.
    ClientCertId,
    "crt_"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_id_parses_back_to_itself() {
        let id = DockId::generate();

        assert_eq!(DockId::parse(id.as_str()), Ok(id));
    }

    #[test]
    fn lowercase_ulids_are_normalised() {
        let id = ArtifactId::parse("art_01hq3k0000000000000000000a").expect("valid");

        assert_eq!(id.as_str(), "art_01HQ3K0000000000000000000A");
    }

    #[test]
    fn a_wrong_prefix_or_body_is_refused() {
        assert!(DockId::parse("art_01HQ3K0000000000000000000A").is_err());
        assert!(DockId::parse("dock_01HQ3K").is_err());
        assert!(DockId::parse("dock_").is_err());
        assert!(RecipientId::parse("").is_err());
    }
}
