//! A job as one zip: the layout of its entries and the manifest. The bytes
//! are written by `writer` while they are sent.

mod layout;
mod writer;
#[cfg(test)]
mod writer_tests;
#[cfg(test)]
mod zip64_tests;

pub use layout::{plan, ArchivePlan, PlannedEntry, PlannedError};
pub use writer::stream_zip;
