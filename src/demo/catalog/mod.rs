//! A seeded catalog of insurance documents for the demo and the benchmarks.
//!
//! A fixed seed draws a book of about sixty policies and the documents issued on them, so the
//! catalog is the same on every run; only the timestamps follow `now`. A few scripted documents
//! pin the scenarios the demo walks through: the demo policy, a batch of fresh declaration pages
//! for one mortgagee, a file name shared by two policies and a non-ASCII file name.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use chrono::{DateTime, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use self::book::{book, document, draw_time, draw_type};

mod book;
mod tables;
#[cfg(test)]
mod tests;

/// The policy the demo walks through: homeowners in Texas, financed by First National.
pub const DEMO_POLICY: &str = "POL-2025-88401";
/// The mortgagee whose view of the portal the demo shows.
pub const DEMO_MORTGAGEE: &str = "MTG-FIRSTNATL";
/// The agent who wrote the demo policy.
pub const DEMO_AGENT: &str = "AG-1001";
/// The smallest `count` that holds every scripted document; below it some scenarios are missing.
pub const MIN_COUNT: usize = DEMO_DOCUMENTS.len() + FIRSTNATL_BATCH - 1 + FIXED_NAMES.len();

const SEED: u64 = 0xD0C_7A2D_2025;
const POLICY_COUNT: usize = 60;
/// Policies 0..FIRSTNATL_BATCH are property policies financed by First National, each with a
/// declaration page from the last three days, so the mortgagee's fresh batch spans many insureds.
const FIRSTNATL_BATCH: usize = 12;
const WINDOW: Range<i64> = 1..30 * 86_400;
const RECENT: Range<i64> = 1..3 * 86_400;

/// Documents on the demo policy; the first is one of the fresh declaration pages.
const DEMO_DOCUMENTS: [DocumentType; 6] = [
    DocumentType::DeclarationPage,
    DocumentType::DeclarationPage,
    DocumentType::PolicyJacket,
    DocumentType::Endorsement,
    DocumentType::Invoice,
    DocumentType::EvidenceOfInsurance,
];
/// Declaration pages whose file names were chosen by hand (by an uploading agent, say).
const FIXED_NAMES: [(usize, &str); 3] = [
    (FIRSTNATL_BATCH, "DeclarationPage.pdf"),
    (FIRSTNATL_BATCH + 1, "DeclarationPage.pdf"),
    (FIRSTNATL_BATCH + 2, "Déclaration_Müller_保険.pdf"),
];

/// What a document is; its slug is the `document_type` metadata value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentType {
    DeclarationPage,
    PolicyJacket,
    Endorsement,
    CancellationNotice,
    Invoice,
    RenewalOffer,
    EvidenceOfInsurance,
}

impl DocumentType {
    /// Every kind, in the order of the metadata values' documentation.
    pub const ALL: [DocumentType; 7] = [
        Self::DeclarationPage,
        Self::PolicyJacket,
        Self::Endorsement,
        Self::CancellationNotice,
        Self::Invoice,
        Self::RenewalOffer,
        Self::EvidenceOfInsurance,
    ];

    /// The `document_type` metadata value, also used in file names.
    pub fn slug(self) -> &'static str {
        match self {
            Self::DeclarationPage => "declaration-page",
            Self::PolicyJacket => "policy-jacket",
            Self::Endorsement => "endorsement",
            Self::CancellationNotice => "cancellation-notice",
            Self::Invoice => "invoice",
            Self::RenewalOffer => "renewal-offer",
            Self::EvidenceOfInsurance => "evidence-of-insurance",
        }
    }

    /// The title printed at the top of the document.
    pub fn title(self) -> &'static str {
        match self {
            Self::DeclarationPage => "Declarations Page",
            Self::PolicyJacket => "Policy Jacket",
            Self::Endorsement => "Endorsement",
            Self::CancellationNotice => "Notice of Cancellation",
            Self::Invoice => "Premium Invoice",
            Self::RenewalOffer => "Renewal Offer",
            Self::EvidenceOfInsurance => "Evidence of Insurance",
        }
    }
}

/// The line of business of a policy; its slug is the `lob` metadata value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LineOfBusiness {
    Homeowners,
    Auto,
    DwellingFire,
    Flood,
    Umbrella,
    Condo,
}

impl LineOfBusiness {
    /// The `lob` metadata value.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Homeowners => "homeowners",
            Self::Auto => "auto",
            Self::DwellingFire => "dwelling-fire",
            Self::Flood => "flood",
            Self::Umbrella => "umbrella",
            Self::Condo => "condo",
        }
    }

    /// The name printed on documents.
    pub fn label(self) -> &'static str {
        match self {
            Self::Homeowners => "Homeowners (HO-3)",
            Self::Auto => "Personal Auto",
            Self::DwellingFire => "Dwelling Fire (DP-3)",
            Self::Flood => "Flood",
            Self::Umbrella => "Personal Umbrella",
            Self::Condo => "Condominium Unit Owners (HO-6)",
        }
    }

    /// Whether the policy insures a building, which a lender finances and wants to hear about.
    fn insures_property(self) -> bool {
        !matches!(self, Self::Auto | Self::Umbrella)
    }
}

/// The lender named on a property policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mortgagee {
    /// The `mortgagee_id` metadata value, such as `MTG-FIRSTNATL`.
    pub id: String,
    pub name: String,
    pub loan_number: String,
}

/// One document of the catalog, with everything needed to render and to upload it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoDocument {
    /// Usually `<policy>_<document_type>_<date>.pdf`; a few are hand-chosen and not unique.
    pub file_name: String,
    /// `document_type`, `policy_number`, `state`, `lob`, `agent_code` and, on property
    /// policies, `mortgagee_id`; always the same values as the typed fields below.
    pub metadata: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
    pub document_type: DocumentType,
    pub policy_number: String,
    pub insured_name: String,
    /// The insured location, or the garaging address for auto.
    pub address: String,
    /// Two-letter US state code.
    pub state: String,
    pub lob: LineOfBusiness,
    /// Absent for auto and umbrella policies.
    pub mortgagee: Option<Mortgagee>,
    pub agent_code: String,
    pub policy_start: NaiveDate,
    pub policy_end: NaiveDate,
    /// Premium for the policy term: six months for auto, a year otherwise.
    pub premium_cents: i64,
    /// The main limit: dwelling, building or unit coverage, per-person bodily injury for auto,
    /// per-occurrence for umbrella.
    pub coverage_limit_cents: i64,
}

/// The catalog at `now`: `count` documents (at most one per second of the window), sorted by
/// `created_at`, all distinct and within the 30 days before `now`. The scripted scenarios come
/// first, so every invariant holds once `count` reaches [`MIN_COUNT`].
pub fn documents(now: DateTime<Utc>, count: usize) -> Vec<DemoDocument> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let book = book(&mut rng, now.date_naive());
    let count = count.min((WINDOW.end - WINDOW.start) as usize);
    let mut taken = BTreeSet::new();
    let mut names = HashSet::new();
    let mut docs = Vec::with_capacity(count);

    let scripted = script().into_iter().take(count);
    for (policy, kind, window, fixed_name) in scripted {
        let created_at = draw_time(&mut rng, &mut taken, now, window);
        let name = fixed_name.map(str::to_owned);
        docs.push(document(&book[policy], kind, created_at, name, &mut names));
    }
    while docs.len() < count {
        let policy = &book[rng.gen_range(0..book.len())];
        let kind = draw_type(&mut rng);
        let created_at = draw_time(&mut rng, &mut taken, now, WINDOW);
        docs.push(document(policy, kind, created_at, None, &mut names));
    }

    docs.sort_by_key(|doc| doc.created_at);
    docs
}

type Scripted = (usize, DocumentType, Range<i64>, Option<&'static str>);

fn script() -> Vec<Scripted> {
    let demo = DEMO_DOCUMENTS.iter().enumerate().map(|(i, &kind)| {
        let window = if i == 0 { RECENT } else { WINDOW };
        (0, kind, window, None)
    });
    let batch = (1..FIRSTNATL_BATCH).map(|p| (p, DocumentType::DeclarationPage, RECENT, None));
    let fixed = FIXED_NAMES
        .iter()
        .map(|&(p, name)| (p, DocumentType::DeclarationPage, WINDOW, Some(name)));
    demo.chain(batch).chain(fixed).collect()
}
