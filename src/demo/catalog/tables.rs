//! The fixed tables the seeded book of policies draws from.

use super::{DocumentType, LineOfBusiness, DEMO_MORTGAGEE};

/// How often each kind of document is issued, in percent.
pub(super) const TYPE_WEIGHTS: [(DocumentType, u32); 7] = [
    (DocumentType::DeclarationPage, 25),
    (DocumentType::PolicyJacket, 10),
    (DocumentType::Endorsement, 15),
    (DocumentType::CancellationNotice, 5),
    (DocumentType::Invoice, 20),
    (DocumentType::RenewalOffer, 10),
    (DocumentType::EvidenceOfInsurance, 15),
];
pub(super) const LINES: [LineOfBusiness; 6] = [
    LineOfBusiness::Homeowners,
    LineOfBusiness::Condo,
    LineOfBusiness::DwellingFire,
    LineOfBusiness::Flood,
    LineOfBusiness::Auto,
    LineOfBusiness::Umbrella,
];
pub(super) const MORTGAGEES: [(&str, &str); 3] = [
    (DEMO_MORTGAGEE, "First National Bank"),
    ("MTG-COASTAL", "Coastal Federal Savings"),
    ("MTG-PRAIRIE", "Prairie Home Lending"),
];
pub(super) const AGENTS: [&str; 4] = ["AG-1001", "AG-1002", "AG-2040", "AG-3310"];
pub(super) const LOCATIONS: [(&str, &str, &str); 16] = [
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
pub(super) const STREETS: [&str; 10] = [
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
pub(super) const FIRST_NAMES: [&str; 12] = [
    "Maria", "James", "Aisha", "Robert", "Linh", "Carlos", "Emily", "Darnell", "Priya", "Thomas",
    "Grace", "Miguel",
];
pub(super) const LAST_NAMES: [&str; 12] = [
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
