//! The trail's seal: one keyed MAC over the newest record's number and
//! hash, rewritten in the same transaction as every append.
//!
//! The chain alone shows a record edited or removed in the middle. It
//! cannot show records cut off the end, nor a chain recomputed from an
//! edited record onwards, because anyone can compute SHA-256. The seal can:
//! it must name the newest record, and only the holder of the signing key
//! can make one.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::SigningKey;

type HmacSha256 = Hmac<Sha256>;

/// Keeps seals apart from every other use of the signing key.
const PURPOSE: &[u8] = b"docyard audit seal v1";

/// The seal as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditSeal {
    pub seq: i64,
    pub hash: String,
    pub mac: String,
}

#[derive(Clone)]
pub struct Sealer {
    key: Vec<u8>,
}

impl Sealer {
    pub fn new(signing_key: &SigningKey) -> Self {
        let mut derive = keyed(signing_key.bytes());
        derive.update(PURPOSE);
        Self {
            key: derive.finalize().into_bytes().to_vec(),
        }
    }

    /// The seal for a trail whose newest record is `seq` with `hash`.
    pub fn seal(&self, seq: i64, hash: &str) -> AuditSeal {
        let mac = self.mac(seq, hash).finalize().into_bytes();
        AuditSeal {
            seq,
            hash: hash.to_owned(),
            mac: hex::encode(mac),
        }
    }

    /// Whether `seal` was made with this key; compared in constant time.
    pub fn is_genuine(&self, seal: &AuditSeal) -> bool {
        let Ok(mac) = hex::decode(&seal.mac) else {
            return false;
        };
        self.mac(seal.seq, &seal.hash).verify_slice(&mac).is_ok()
    }

    fn mac(&self, seq: i64, hash: &str) -> HmacSha256 {
        let mut mac = keyed(&self.key);
        mac.update(&seq.to_be_bytes());
        mac.update(hash.as_bytes());
        mac
    }
}

fn keyed(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer(key: &[u8]) -> Sealer {
        Sealer::new(&SigningKey::from_bytes(key.to_vec()))
    }

    #[test]
    fn a_seal_is_genuine_only_for_its_own_record_and_key() {
        let sealer = sealer(b"key one, thirty-two bytes long!!");
        let seal = sealer.seal(7, "abc");

        assert!(sealer.is_genuine(&seal));
        assert!(!sealer.is_genuine(&AuditSeal {
            seq: 6,
            ..seal.clone()
        }));
        let rehashed = AuditSeal {
            hash: "abd".to_owned(),
            ..seal.clone()
        };
        assert!(!sealer.is_genuine(&rehashed));
        assert!(!self::sealer(b"another key entirely, 32 bytes!!").is_genuine(&seal));
    }
}
