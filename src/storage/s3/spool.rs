//! Local files where uploads wait while S3 is told their length.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Spooled files older than this belong to no upload still running.
const ABANDONED_AFTER: Duration = Duration::from_secs(3600);

/// One upload's spooled bytes, removed however the upload ends: sent,
/// failed, or dropped halfway because its client went away.
pub struct SpoolFile(PathBuf);

impl SpoolFile {
    pub fn new(spool: &Path) -> Self {
        Self(spool.join(format!("{}.partial", ulid::Ulid::new())))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for SpoolFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Removes what a crash or a killed server left behind. Only old files go:
/// another process on the same data dir (an `ingest`, say) may be
/// spooling right now.
pub fn sweep(spool: &Path) {
    let Ok(entries) = std::fs::read_dir(spool) else {
        return;
    };
    let cutoff = SystemTime::now() - ABANDONED_AFTER;
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|modified| modified < cutoff);
        let spooled = entry.file_name().to_string_lossy().ends_with(".partial");
        if old && spooled && std::fs::remove_file(entry.path()).is_ok() {
            tracing::info!(file = %entry.path().display(), "removed an abandoned upload spool");
        }
    }
}
