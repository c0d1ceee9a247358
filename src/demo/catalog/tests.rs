//! Tests of the seeded catalog: determinism, metadata and the scripted scenarios.

use chrono::Duration;

use super::tables::{AGENTS, MORTGAGEES, TYPE_WEIGHTS};
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
