//! The seeded book of policies and the documents drawn on them.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use chrono::{DateTime, Days, Duration, Months, NaiveDate, SubsecRound, Utc};
use rand::rngs::StdRng;
use rand::Rng;

use super::tables::{
    AGENTS, FIRST_NAMES, LAST_NAMES, LINES, LOCATIONS, MORTGAGEES, STREETS, TYPE_WEIGHTS,
};
use super::{
    DemoDocument, DocumentType, LineOfBusiness, Mortgagee, DEMO_AGENT, DEMO_POLICY,
    FIRSTNATL_BATCH, FIXED_NAMES, POLICY_COUNT,
};

/// The fields every document of a policy shares.
pub(super) struct Policy {
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

pub(super) fn book(rng: &mut StdRng, today: NaiveDate) -> Vec<Policy> {
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

pub(super) fn policy(rng: &mut StdRng, index: usize, today: NaiveDate) -> Policy {
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

pub(super) fn draw_type(rng: &mut StdRng) -> DocumentType {
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
pub(super) fn draw_time(
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

pub(super) fn document(
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
