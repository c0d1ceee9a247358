//! Walks the whole trail and checks every link of the chain.

use super::{chain_hash, GENESIS};
use crate::db::{DbResult, Store};

const PAGE: i64 = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact {
        records: u64,
    },
    /// The first record that does not fit the chain, and why.
    Broken {
        seq: i64,
        reason: String,
    },
}

pub async fn verify(store: &dyn Store) -> DbResult<Verification> {
    let (mut prev_hash, mut expected_seq, mut records) = (GENESIS.to_owned(), 1, 0u64);
    loop {
        let page = store.audit_events(expected_seq - 1, PAGE).await?;
        if page.is_empty() {
            return Ok(Verification::Intact { records });
        }
        for record in page {
            if record.seq != expected_seq {
                return Ok(Verification::Broken {
                    seq: expected_seq,
                    reason: format!("record {expected_seq} is missing"),
                });
            }
            if record.prev_hash != prev_hash {
                return Ok(Verification::Broken {
                    seq: record.seq,
                    reason: "it does not follow the record before it".to_owned(),
                });
            }
            if chain_hash(&prev_hash, record.seq, &record.event) != record.hash {
                return Ok(Verification::Broken {
                    seq: record.seq,
                    reason: "its contents were changed after it was written".to_owned(),
                });
            }
            prev_hash = record.hash;
            expected_seq += 1;
            records += 1;
        }
    }
}
