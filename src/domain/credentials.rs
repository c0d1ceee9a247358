//! What policyholders and auditors type to sign in, parsed once at the
//! edge: a phone number, a one-time code, a badge ID and an NDA hash.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CredentialError(&'static str);

/// A phone number in E.164 form (`+` and 8 to 15 digits). Spaces, dots,
/// dashes and brackets people type between the digits are dropped.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(try_from = "String", into = "String")]
#[sqlx(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, CredentialError> {
        const FORM: &str = "must be an international number such as +1 555 010 0199";
        let trimmed = raw.trim();
        let digits_part = trimmed.strip_prefix('+').ok_or(CredentialError(FORM))?;
        let mut digits = String::with_capacity(16);
        for c in digits_part.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(CredentialError(FORM)),
            }
        }
        if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
            return Err(CredentialError(FORM));
        }
        Ok(Self(format!("+{digits}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but its last two digits hidden, for logs and
    /// the audit trail.
    pub fn masked(&self) -> String {
        let shown = &self.0[self.0.len() - 2..];
        format!("+…{shown}")
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = CredentialError;

    fn try_from(raw: String) -> Result<Self, CredentialError> {
        Self::parse(&raw)
    }
}

impl From<PhoneNumber> for String {
    fn from(phone: PhoneNumber) -> String {
        phone.0
    }
}

/// The six digits of an SMS code.
#[derive(Clone, PartialEq, Eq)]
pub struct SmsCode(String);

impl SmsCode {
    pub const DIGITS: usize = 6;

    pub fn parse(raw: &str) -> Result<Self, CredentialError> {
        let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != Self::DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CredentialError(
                "must be the 6 digits from the text message",
            ));
        }
        Ok(Self(code))
    }

    /// A fresh code, uniformly drawn from the million possible.
    pub fn generate() -> Self {
        use rand::Rng;
        let n: u32 = rand::thread_rng().gen_range(0..1_000_000);
        Self(format!("{n:06}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SmsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SmsCode(******)")
    }
}

/// An auditor's badge ID: 3 to 40 letters, digits, `-` or `_`, kept in
/// upper case so that `b-1042` and `B-1042` are one badge.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BadgeId(String);

impl BadgeId {
    pub fn parse(raw: &str) -> Result<Self, CredentialError> {
        let badge = raw.trim();
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if !(3..=40).contains(&badge.len()) || !badge.chars().all(allowed) {
            return Err(CredentialError(
                "must be 3 to 40 letters, digits, dashes or underscores, as printed on the badge",
            ));
        }
        Ok(Self(badge.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BadgeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The SHA-256 of a signed NDA, as 64 hexadecimal digits (kept lower-case).
#[derive(Clone, PartialEq, Eq)]
pub struct NdaHash(String);

impl NdaHash {
    pub fn parse(raw: &str) -> Result<Self, CredentialError> {
        let hash = raw.trim();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CredentialError(
                "must be the 64 hexadecimal digits of the NDA's SHA-256 (sha256sum prints it)",
            ));
        }
        Ok(Self(hash.to_ascii_lowercase()))
    }

    /// The hash of an NDA document's bytes.
    pub fn of_document(bytes: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        Self(hex::encode(Sha256::digest(bytes)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compares in time that does not depend on where the hashes differ.
    pub fn matches(&self, stored: &str) -> bool {
        use subtle::ConstantTimeEq;
        self.0.as_bytes().ct_eq(stored.as_bytes()).into()
    }
}

impl fmt::Debug for NdaHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NdaHash(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_read_as_people_type_them() {
        let phone = PhoneNumber::parse(" +1 (555) 010-0199 ").expect("valid number");
        assert_eq!(phone.as_str(), "+15550100199");
        assert_eq!(phone.masked(), "+…99");
        for bad in [
            "5550100199",
            "+1555",
            "+1 555 010 0199 ext 2",
            "+0555010019",
            "",
        ] {
            assert!(
                PhoneNumber::parse(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn codes_are_six_digits() {
        assert_eq!(SmsCode::parse("123 456").expect("valid").as_str(), "123456");
        for bad in ["12345", "1234567", "12a456", ""] {
            assert!(SmsCode::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(SmsCode::generate().as_str().len(), 6);
    }

    #[test]
    fn badges_and_nda_hashes_are_normalised() {
        assert_eq!(
            BadgeId::parse(" b-1042 ").expect("valid").as_str(),
            "B-1042"
        );
        assert!(BadgeId::parse("b 1042").is_err());
        let upper = "AB".repeat(32);
        let hash = NdaHash::parse(&upper).expect("valid");
        assert!(hash.matches(&"ab".repeat(32)));
        assert!(!hash.matches(&"ac".repeat(32)));
        assert!(NdaHash::parse("abc").is_err());
    }
}
