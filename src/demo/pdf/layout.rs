//! The page layout: the sheet that draws the content stream, and the text helpers it shares
//! with the document bodies.

use chrono::NaiveDate;
use pdf_writer::{Content, Name, Str};

use super::{
    Body, DemoDocument, LineOfBusiness, BOLD, CARRIER, CARRIER_ADDRESS, DISCLAIMER, REGULAR,
};

const LEFT: f32 = 72.0;
const RIGHT: f32 = 540.0;
const VALUE_X: f32 = 200.0;
const NAVY: (f32, f32, f32) = (0.07, 0.2, 0.38);

/// The page's content stream, drawn top to bottom.
pub(super) struct Sheet {
    pub(super) content: Content,
    /// Reused for each string's WinAnsi bytes.
    pub(super) text: Vec<u8>,
    pub(super) y: f32,
}

impl Sheet {
    pub(super) fn header(&mut self, doc: &DemoDocument) {
        let (r, g, b) = NAVY;
        self.content.set_fill_rgb(r, g, b).set_stroke_rgb(r, g, b);
        self.show(BOLD, 18.0, LEFT, 740.0, CARRIER);
        self.content.set_fill_gray(0.0);
        self.show(REGULAR, 9.0, LEFT, 726.0, CARRIER_ADDRESS);
        self.rule(716.0, 1.5);
        self.show(BOLD, 20.0, LEFT, 684.0, doc.document_type.title());
        let issued = format!("Issued {}", long_date(doc.created_at.date_naive()));
        self.show(REGULAR, 10.0, LEFT, 666.0, &issued);
        self.y = 634.0;
    }

    pub(super) fn details(&mut self, doc: &DemoDocument) {
        let place = match doc.lob {
            LineOfBusiness::Auto => "Garaging Address",
            _ => "Insured Location",
        };
        let period = format!(
            "{} (12:01 AM standard time)",
            period(doc.policy_start, doc.policy_end)
        );
        let (mortgagee, loan) = match &doc.mortgagee {
            Some(m) => (
                format!("{} ISAOA/ATIMA ({})", m.name, m.id),
                m.loan_number.as_str(),
            ),
            None => ("None".to_owned(), "-"),
        };
        let rows = [
            ("Policy Number", doc.policy_number.as_str()),
            ("Named Insured", &doc.insured_name),
            (place, &doc.address),
            ("State", &doc.state),
            ("Line of Business", doc.lob.label()),
            ("Policy Period", &period),
            ("Mortgagee", &mortgagee),
            ("Loan Number", loan),
            ("Agent Code", &doc.agent_code),
        ];
        for (label, value) in rows {
            self.show(BOLD, 10.0, LEFT, self.y, label);
            self.show(REGULAR, 10.0, VALUE_X, self.y, value);
            self.y -= 16.0;
        }
        self.rule(self.y + 2.0, 0.75);
        self.y -= 24.0;
    }

    pub(super) fn body(&mut self, body: &Body) {
        self.show(BOLD, 12.0, LEFT, self.y, body.heading);
        self.y -= 22.0;
        for (label, value) in &body.rows {
            self.show(REGULAR, 10.0, LEFT, self.y, label);
            let x = RIGHT - helvetica_width(value) * 10.0 / 1000.0;
            self.show(REGULAR, 10.0, x, self.y, value);
            self.y -= 16.0;
        }
        self.y -= 12.0;
        for note in body.notes {
            self.show(REGULAR, 9.5, LEFT, self.y, note);
            self.y -= 13.0;
        }
    }

    pub(super) fn footer(&mut self, doc: &DemoDocument) {
        self.rule(70.0, 0.75);
        let line = format!(
            "{CARRIER}  |  {}  |  Agent {}",
            doc.policy_number, doc.agent_code
        );
        self.show(REGULAR, 8.0, LEFT, 58.0, &line);
        self.show(REGULAR, 8.0, LEFT, 47.0, DISCLAIMER);
    }

    fn show(&mut self, font: Name, size: f32, x: f32, y: f32, text: &str) {
        self.text.clear();
        self.text.extend(text.chars().map(win_ansi));
        self.content
            .begin_text()
            .set_font(font, size)
            .next_line(x, y);
        self.content.show(Str(&self.text)).end_text();
    }

    fn rule(&mut self, y: f32, width: f32) {
        let content = &mut self.content;
        content
            .set_line_width(width)
            .move_to(LEFT, y)
            .line_to(RIGHT, y)
            .stroke();
    }
}

/// The WinAnsi code of `c`, or `?` where WinAnsi has none (kanji, for one).
pub(super) fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201c}' => 0x93,
        '\u{201d}' => 0x94,
        '\u{2022}' => 0x95,
        '\u{2013}' => 0x96,
        '\u{2014}' => 0x97,
        '\u{20ac}' => 0x80,
        c if c.is_whitespace() => b' ',
        _ => b'?',
    }
}

/// Width of `text` in Helvetica, in thousandths of the font size, for right alignment.
pub(super) fn helvetica_width(text: &str) -> f32 {
    // Advance widths of ASCII 32..=126 from the Helvetica AFM.
    const WIDTHS: [u16; 95] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
        556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
        722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
        667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
        556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
        500, 334, 260, 334, 584,
    ];
    let units: u32 = text
        .bytes()
        .map(|b| {
            WIDTHS
                .get(usize::from(b.wrapping_sub(32)))
                .map_or(556, |&w| u32::from(w))
        })
        .sum();
    units as f32
}

/// `$1,234.56`, with a leading minus for refunds and credits.
pub(super) fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let digits = (cents / 100).to_string();
    let mut dollars = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            dollars.push(',');
        }
        dollars.push(digit);
    }
    format!("{sign}${dollars}.{:02}", cents % 100)
}

pub(super) fn long_date(date: NaiveDate) -> String {
    date.format("%B %-d, %Y").to_string()
}

pub(super) fn period(start: NaiveDate, end: NaiveDate) -> String {
    format!("{} to {}", start.format("%m/%d/%Y"), end.format("%m/%d/%Y"))
}
