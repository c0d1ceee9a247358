//! Tests of PDF rendering: structure, printed values, determinism and text encoding.

use chrono::{DateTime, Utc};

use super::super::catalog::{documents, DEMO_POLICY};
use super::layout::{helvetica_width, win_ansi};
use super::*;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-11-22T15:04:05Z")
        .expect("the test timestamp is valid RFC 3339")
        .with_timezone(&Utc)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn every_kind_of_document_renders_a_framed_pdf_with_its_policy_number_and_title() {
    let docs = documents(now(), 350);

    for kind in DocumentType::ALL {
        let doc = docs
            .iter()
            .find(|d| d.document_type == kind)
            .expect("the catalog has every kind");
        let pdf = render(doc);

        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
        assert!(contains(&pdf, doc.policy_number.as_bytes()));
        assert!(contains(&pdf, kind.title().as_bytes()));
        assert!(contains(&pdf, b"/BaseFont /Helvetica-Bold"));
    }
}

#[test]
fn the_demo_declaration_page_prints_its_insured_lender_and_premium() {
    let docs = documents(now(), 350);
    let doc = docs
        .iter()
        .find(|d| {
            d.policy_number == DEMO_POLICY && d.document_type == DocumentType::DeclarationPage
        })
        .expect("the demo policy has a declaration page");

    let pdf = render(doc);

    assert!(contains(&pdf, b"(Jordan Alvarez)"));
    assert!(contains(&pdf, b"(4187 Live Oak Ln, Austin, TX 78704)"));
    assert!(contains(
        &pdf,
        b"First National Bank ISAOA/ATIMA (MTG-FIRSTNATL)"
    ));
    assert!(contains(&pdf, b"($425,000.00)"));
    assert!(contains(&pdf, b"($3,184.52)"));
}

#[test]
fn rendering_is_deterministic() {
    let doc = &documents(now(), 30)[7];

    assert_eq!(render(doc), render(doc));
}

#[test]
fn text_maps_to_win_ansi_and_amounts_get_separators() {
    let mapped: Vec<u8> = "Jürgen Müller 保険 – é".chars().map(win_ansi).collect();

    assert_eq!(mapped, b"J\xfcrgen M\xfcller ?? \x96 \xe9");
    assert_eq!(money(123_456_789), "$1,234,567.89");
    assert_eq!(money(-5), "-$0.05");
    assert_eq!(money(100_000), "$1,000.00");
    assert_eq!(helvetica_width("10"), 1112.0);
}
