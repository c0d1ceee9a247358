//! A seeded catalog of insurance documents for the demo and the benchmarks.
//!
//! A fixed seed draws a book of about sixty policies and the documents issued on them, so the
//! catalog is the same on every run; only the timestamps follow `now`. A few scripted documents
//! pin the scenarios the demo walks through: the demo policy, a batch of fresh declaration pages
//! for one mortgagee, a file name shared by two policies and a non-ASCII file name.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use chrono::{DateTime, Days, Duration, Months, NaiveDate, SubsecRound, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

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
/// How often each kind of document is issued, in percent.
const TYPE_WEIGHTS: [(DocumentType, u32); 7] = [
    (DocumentType::DeclarationPage, 25),
    (DocumentType::PolicyJacket, 10),
    (DocumentType::Endorsement, 15),
    (DocumentType::CancellationNotice, 5),
    (DocumentType::Invoice, 20),
    (DocumentType::RenewalOffer, 10),
    (DocumentType::EvidenceOfInsurance, 15),
];
const LINES: [LineOfBusiness; 6] = [
    LineOfBusiness::Homeowners,
    LineOfBusiness::Condo,
    LineOfBusiness::DwellingFire,
    LineOfBusiness::Flood,
    LineOfBusiness::Auto,
    LineOfBusiness::Umbrella,
];
const MORTGAGEES: [(&str, &str); 3] = [
    (DEMO_MORTGAGEE, "First National Bank"),
    ("MTG-COASTAL", "Coastal Federal Savings"),
    ("MTG-PRAIRIE", "Prairie Home Lending"),
];
const AGENTS: [&str; 4] = ["AG-1001", "AG-1002", "AG-2040", "AG-3310"];
const LOCATIONS: [(&str, &str, &str); 16] = [
    ("TX", "Austin", "78704"),
    ("TX", "Houston", "77008"),
    ("FL", "Tampa", "33606"),
    ("LA", "Baton Rouge", "70808"),
    ("OK", "Tulsa", "74104"),
    ("GA", "Savannah", "31401"),
    ("NC", "Raleigh", "27605"),
    ("SC", "Charleston", "29403"),
    ("KS", "Wichita", "67203"),
    ("NE", "Omaha", "68104"),
    ("CO", "Denver", "80206"),
    ("AZ", "Phoenix", "85004"),
    ("MO", "Springfield", "65806"),
    ("AL", "Mobile", "36604"),
    ("WI", "Milwaukee", "53207"),
    ("MN", "Duluth", "55803"),
];
const STREETS: [&str; 10] = [
    "Harbor View Dr",
    "Cedar St",
    "Magnolia Ave",
    "Prairie Wind Rd",
    "Bayou Ct",
    "Sandpiper Way",
    "Ridgecrest Blvd",
    "Willow Bend Dr",
    "Lakeshore Dr",
    "Pecan Grove Ln",
];
const FIRST_NAMES: [&str; 12] = [
    "Maria", "James", "Aisha", "Robert", "Linh", "Carlos", "Emily", "Darnell", "Priya", "Thomas",
    "Grace", "Miguel",
];
const LAST_NAMES: [&str; 12] = [
    "Alvarez",
    "Okafor",
    "Nguyen",
    "Sullivan",
    "Patel",
    "Hendricks",
    "Brooks",
    "Kowalski",
    "Reyes",
    "Lindqvist",
    "Carter",
    "Yamada",
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

/// The fields every document of a policy shares.
struct Policy {
    number: String,
    insured_name: String,
    address: String,
    state: &'static str,
    lob: LineOfBusiness,
    mortgagee: Option<Mortgagee>,
    agent_code: &'static str,
    start: NaiveDate,
    end: NaiveDate,
    premium_cents: i64,
    coverage_limit_cents: i64,
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

fn book(rng: &mut StdRng, today: NaiveDate) -> Vec<Policy> {
    let mut numbers = HashSet::from([DEMO_POLICY.to_owned()]);
    let mut book: Vec<Policy> = (0..POLICY_COUNT).map(|i| policy(rng, i, today)).collect();
    for policy in book.iter_mut().skip(1) {
        while !numbers.insert(policy.number.clone()) {
            policy.number = format!("POL-2025-{}", rng.gen_range(10_000..100_000));
        }
    }

    let demo = &mut book[0];
    demo.number = DEMO_POLICY.to_owned();
    demo.insured_name = "Jordan Alvarez".to_owned();
    demo.address = "4187 Live Oak Ln, Austin, TX 78704".to_owned();
    demo.state = "TX";
    demo.lob = LineOfBusiness::Homeowners;
    demo.agent_code = DEMO_AGENT;
    demo.premium_cents = 318_452;
    demo.coverage_limit_cents = 42_500_000;
    // The PDF prints the name in WinAnsi, which has these letters; the file name adds kanji.
    book[FIXED_NAMES[2].0].insured_name = "Jürgen Müller".to_owned();
    book
}

fn policy(rng: &mut StdRng, index: usize, today: NaiveDate) -> Policy {
    let lob = if index < FIRSTNATL_BATCH {
        LINES[rng.gen_range(0..4)]
    } else {
        LINES[rng.gen_range(0..LINES.len())]
    };
    let (id, name) = if index < FIRSTNATL_BATCH {
        MORTGAGEES[0]
    } else {
        MORTGAGEES[rng.gen_range(0..MORTGAGEES.len())]
    };
    let loan_number = format!("{:010}", rng.gen_range(1_000_000_000_u64..10_000_000_000));
    let mortgagee = lob.insures_property().then(|| Mortgagee {
        id: id.to_owned(),
        name: name.to_owned(),
        loan_number,
    });
    let (state, city, zip) = LOCATIONS[rng.gen_range(0..LOCATIONS.len())];
    let street = STREETS[rng.gen_range(0..STREETS.len())];
    let address = format!(
        "{} {street}, {city}, {state} {zip}",
        rng.gen_range(100..9_900)
    );
    let first = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
    // Terms began at least 35 days ago and still run, so every document falls inside one.
    let (term, oldest) = if lob == LineOfBusiness::Auto {
        (6, 150)
    } else {
        (12, 330)
    };
    let start = today - Days::new(rng.gen_range(35..oldest));
    let (premium_dollars, limit_dollars) = match lob {
        LineOfBusiness::Homeowners => {
            (rng.gen_range(1_200..4_800), rng.gen_range(180..850) * 1_000)
        }
        LineOfBusiness::Condo => (rng.gen_range(400..1_500), rng.gen_range(40..150) * 1_000),
        LineOfBusiness::DwellingFire => {
            (rng.gen_range(700..2_500), rng.gen_range(120..500) * 1_000)
        }
        LineOfBusiness::Flood => (rng.gen_range(500..3_000), rng.gen_range(100..=250) * 1_000),
        LineOfBusiness::Auto => (rng.gen_range(900..3_200), 100_000),
        LineOfBusiness::Umbrella => (rng.gen_range(250..900), rng.gen_range(1..=5) * 1_000_000),
    };

    Policy {
        number: format!("POL-2025-{}", rng.gen_range(10_000..100_000)),
        insured_name: format!("{first} {last}"),
        address,
        state,
        lob,
        mortgagee,
        agent_code: AGENTS[rng.gen_range(0..AGENTS.len())],
        start,
        end: start + Months::new(term),
        premium_cents: premium_dollars * 100 + rng.gen_range(0..100),
        coverage_limit_cents: limit_dollars * 100,
    }
}

fn draw_type(rng: &mut StdRng) -> DocumentType {
    let mut roll = rng.gen_range(0..100);
    for (kind, weight) in TYPE_WEIGHTS {
        if roll < weight {
            return kind;
        }
        roll -= weight;
    }
    DocumentType::DeclarationPage
}

/// A whole second before `now`, offset by a number of seconds no other document has taken.
fn draw_time(
    rng: &mut StdRng,
    taken: &mut BTreeSet<i64>,
    now: DateTime<Utc>,
    window: Range<i64>,
) -> DateTime<Utc> {
    loop {
        let offset = rng.gen_range(window.clone());
        if taken.insert(offset) {
            return (now - Duration::seconds(offset)).trunc_subsecs(0);
        }
    }
}

fn document(
    policy: &Policy,
    kind: DocumentType,
    created_at: DateTime<Utc>,
    fixed_name: Option<String>,
    names: &mut HashSet<String>,
) -> DemoDocument {
    let file_name = fixed_name.unwrap_or_else(|| {
        let stem = format!(
            "{}_{}_{}",
            policy.number,
            kind.slug(),
            created_at.format("%Y-%m-%d")
        );
        let mut name = format!("{stem}.pdf");
        // Same policy, kind and day would collide; only the hand-chosen names may repeat.
        for n in 2.. {
            if names.insert(name.clone()) {
                break;
            }
            name = format!("{stem}-{n}.pdf");
        }
        name
    });
    let mut metadata = BTreeMap::from([
        ("document_type".to_owned(), kind.slug().to_owned()),
        ("policy_number".to_owned(), policy.number.clone()),
        ("state".to_owned(), policy.state.to_owned()),
        ("lob".to_owned(), policy.lob.slug().to_owned()),
        ("agent_code".to_owned(), policy.agent_code.to_owned()),
    ]);
    if let Some(mortgagee) = &policy.mortgagee {
        metadata.insert("mortgagee_id".to_owned(), mortgagee.id.clone());
    }

    DemoDocument {
        file_name,
        metadata,
        created_at,
        document_type: kind,
        policy_number: policy.number.clone(),
        insured_name: policy.insured_name.clone(),
        address: policy.address.clone(),
        state: policy.state.to_owned(),
        lob: policy.lob,
        mortgagee: policy.mortgagee.clone(),
        agent_code: policy.agent_code.to_owned(),
        policy_start: policy.start,
        policy_end: policy.end,
        premium_cents: policy.premium_cents,
        coverage_limit_cents: policy.coverage_limit_cents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO_COUNT: usize = 350;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2025-11-22T15:04:05.123456Z")
            .expect("the test timestamp is valid RFC 3339")
            .with_timezone(&Utc)
    }

    fn catalog() -> Vec<DemoDocument> {
        documents(now(), DEMO_COUNT)
    }

    #[test]
    fn the_same_now_gives_the_same_catalog() {
        assert_eq!(catalog(), catalog());
    }

    #[test]
    fn the_catalog_has_the_requested_count_sorted_distinct_and_within_thirty_days() {
        let docs = catalog();
        let oldest = now() - Duration::days(30);

        assert_eq!(docs.len(), DEMO_COUNT);
        assert!(docs.windows(2).all(|w| w[0].created_at < w[1].created_at));
        assert!(docs
            .iter()
            .all(|d| d.created_at < now() && d.created_at > oldest));
    }

    #[test]
    fn metadata_uses_only_the_agreed_keys_and_values() {
        let states: HashSet<_> = catalog().iter().map(|d| d.state.clone()).collect();
        let policies: HashSet<_> = catalog().iter().map(|d| d.policy_number.clone()).collect();

        assert!(states.len() >= 8, "states: {states:?}");
        assert!(
            (50..=60).contains(&policies.len()),
            "{} policies",
            policies.len()
        );
        for doc in catalog() {
            let m = &doc.metadata;
            let key_ok = |k: &String| {
                (1..=64).contains(&k.len())
                    && k.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            };
            assert!(m.keys().all(key_ok) && m.values().all(|v| v.len() <= 256));
            assert_eq!(m["document_type"], doc.document_type.slug());
            assert_eq!(m["lob"], doc.lob.slug());
            assert_eq!(m["state"], doc.state);
            assert_eq!(m["agent_code"], doc.agent_code);
            assert!(AGENTS.contains(&doc.agent_code.as_str()));
            let number = m["policy_number"]
                .strip_prefix("POL-2025-")
                .expect("policy numbers start with POL-2025-");
            assert!(number.len() == 5 && number.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(doc.state.len(), 2);
            let mortgagee = m.get("mortgagee_id").map(String::as_str);
            assert_eq!(mortgagee, doc.mortgagee.as_ref().map(|m| m.id.as_str()));
            assert_eq!(mortgagee.is_some(), doc.lob.insures_property());
            let known_lender = mortgagee.is_none_or(|id| MORTGAGEES.iter().any(|(m, _)| *m == id));
            assert!(known_lender);
        }
    }

    #[test]
    fn the_demo_policy_is_a_texas_homeowners_policy_with_the_core_documents() {
        let docs = catalog();
        let demo: Vec<_> = docs
            .iter()
            .filter(|d| d.policy_number == DEMO_POLICY)
            .collect();
        let kinds: HashSet<_> = demo.iter().map(|d| d.document_type).collect();

        assert!(demo.len() >= 6);
        for doc in &demo {
            assert_eq!(doc.metadata["lob"], "homeowners");
            assert_eq!(doc.metadata["state"], "TX");
            assert_eq!(doc.metadata["mortgagee_id"], DEMO_MORTGAGEE);
            assert_eq!(doc.metadata["agent_code"], DEMO_AGENT);
        }
        for kind in [
            DocumentType::DeclarationPage,
            DocumentType::PolicyJacket,
            DocumentType::Endorsement,
            DocumentType::Invoice,
        ] {
            assert!(kinds.contains(&kind), "missing {kind:?}");
        }
    }

    #[test]
    fn the_demo_mortgagee_has_at_least_ten_declaration_pages_from_the_last_three_days() {
        let since = now() - Duration::days(3);

        let fresh = catalog()
            .into_iter()
            .filter(|d| d.metadata.get("mortgagee_id").map(String::as_str) == Some(DEMO_MORTGAGEE))
            .filter(|d| d.document_type == DocumentType::DeclarationPage && d.created_at > since)
            .count();

        assert!(fresh >= 10, "only {fresh}");
    }

    #[test]
    fn two_policies_share_a_file_name_and_one_file_name_is_not_ascii() {
        let docs = catalog();

        let shared: HashSet<_> = docs
            .iter()
            .filter(|d| d.file_name == "DeclarationPage.pdf")
            .map(|d| d.policy_number.as_str())
            .collect();
        assert!(shared.len() >= 2);
        assert!(docs
            .iter()
            .any(|d| d.file_name == "Déclaration_Müller_保険.pdf"));
    }

    #[test]
    fn generated_file_names_are_unique() {
        let docs = catalog();

        let generated: Vec<_> = docs
            .iter()
            .filter(|d| d.file_name.starts_with("POL-"))
            .collect();
        let unique: HashSet<_> = generated.iter().map(|d| d.file_name.as_str()).collect();
        assert_eq!(unique.len(), generated.len());
        assert_eq!(generated.len() + FIXED_NAMES.len(), docs.len());
    }

    #[test]
    fn the_scenarios_hold_at_the_minimum_count() {
        let docs = documents(now(), MIN_COUNT);

        assert_eq!(script().len(), MIN_COUNT);
        assert_eq!(docs.len(), MIN_COUNT);
        assert!(
            docs.iter()
                .filter(|d| d.policy_number == DEMO_POLICY)
                .count()
                >= 6
        );
        assert_eq!(TYPE_WEIGHTS.iter().map(|(_, w)| w).sum::<u32>(), 100);
    }
}
