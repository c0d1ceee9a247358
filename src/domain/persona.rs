//! The four kinds of recipient.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Persona {
    Mortgagee,
    Agent,
    Policyholder,
    Auditor,
}

impl Persona {
    pub const ALL: [Persona; 4] = [
        Persona::Mortgagee,
        Persona::Agent,
        Persona::Policyholder,
        Persona::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Persona::Mortgagee => "mortgagee",
            Persona::Agent => "agent",
            Persona::Policyholder => "policyholder",
            Persona::Auditor => "auditor",
        }
    }

    /// Bulk retrieval is for machines and agents; policyholders open one
    /// document at a time and auditors never take documents away.
    pub fn may_retrieve_in_bulk(self) -> bool {
        matches!(self, Persona::Mortgagee | Persona::Agent)
    }
}

impl fmt::Display for Persona {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Persona {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        Persona::ALL
            .into_iter()
            .find(|p| p.as_str() == raw)
            .ok_or_else(|| {
                format!("unknown persona {raw:?}: use mortgagee, agent, policyholder or auditor")
            })
    }
}
