//! Walks the whole trail, checks every link of the chain, then checks that
//! the seal is genuine and names the newest record.

use super::{chain_hash, Sealer, GENESIS};
use crate::db::{DbResult, Store};

const PAGE: i64 = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every record links to the one before, and the seal names the last.
    Intact { records: u64, newest_hash: String },
    /// The first record that does not fit the chain, and why.
    Broken { seq: i64, reason: String },
}

pub async fn verify(store: &dyn Store, sealer: &Sealer) -> DbResult<Verification> {
    let (mut prev_hash, mut expected_seq, mut records) = (GENESIS.to_owned(), 1, 0u64);
    loop {
        let page = store.audit_events(expected_seq - 1, PAGE).await?;
        if page.is_empty() {
            break;
        }
        for record in page {
            if record.seq != expected_seq {
                return Ok(broken(
                    expected_seq,
                    format!("record {expected_seq} is missing"),
                ));
            }
            if record.prev_hash != prev_hash {
                return Ok(broken(
                    record.seq,
                    "it does not follow the record before it",
                ));
            }
            if chain_hash(&prev_hash, record.seq, &record.event) != record.hash {
                return Ok(broken(
                    record.seq,
                    "its contents were changed after it was written",
                ));
            }
            prev_hash = record.hash;
            expected_seq += 1;
            records += 1;
        }
    }
    let last_seq = expected_seq - 1;

    let Some(seal) = store.audit_seal().await? else {
        if records == 0 {
            return Ok(intact(0, prev_hash));
        }
        return Ok(broken(
            last_seq,
            "the trail has records but no seal, so its end cannot be vouched for",
        ));
    };
    if !sealer.is_genuine(&seal) {
        return Ok(broken(
            seal.seq,
            "the seal was not made with this server's signing key",
        ));
    }
    if seal.seq > last_seq {
        let reason = format!(
            "the seal names record {}, so records {} to {} were removed from the end",
            seal.seq,
            last_seq + 1,
            seal.seq
        );
        return Ok(broken(last_seq + 1, reason));
    }
    if seal.seq < last_seq {
        return Ok(broken(
            seal.seq + 1,
            "it was added after the seal, outside DocYard",
        ));
    }
    if seal.hash != prev_hash {
        return Ok(broken(
            last_seq,
            "the seal names another hash: the chain was recomputed after an edit",
        ));
    }
    Ok(intact(records, prev_hash))
}

fn broken(seq: i64, reason: impl Into<String>) -> Verification {
    Verification::Broken {
        seq,
        reason: reason.into(),
    }
}

fn intact(records: u64, newest_hash: String) -> Verification {
    Verification::Intact {
        records,
        newest_hash,
    }
}
