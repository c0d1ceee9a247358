//! Where each artifact goes inside the zip: `<policy>/<document type>/<file>`,
//! with names made safe and duplicates numbered predictably.

use std::collections::HashSet;

use crate::db::ArtifactRecord;

/// One file to write.
#[derive(Debug, Clone)]
pub struct PlannedEntry {
    pub path: String,
    pub artifact: ArtifactRecord,
}

/// A job item that failed, listed in the manifest rather than dropped.
#[derive(Debug, Clone)]
pub struct PlannedError {
    pub artifact_id: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct ArchivePlan {
    pub entries: Vec<PlannedEntry>,
    pub errors: Vec<PlannedError>,
}

pub const MANIFEST_NAME: &str = "manifest.csv";

/// Lays out `ready` artifacts in job order; the first of two equal names
/// keeps it, later ones become `name (2).pdf`, `name (3).pdf`, ...
pub fn plan(ready: Vec<ArtifactRecord>, errors: Vec<PlannedError>) -> ArchivePlan {
    // Compared without case: Windows and macOS would overwrite otherwise.
    let mut taken: HashSet<String> = HashSet::from([MANIFEST_NAME.to_owned()]);
    let entries = ready
        .into_iter()
        .map(|artifact| {
            let folder = format!(
                "{}/{}",
                component(artifact.metadata.get("policy_number"), "no-policy"),
                component(artifact.metadata.get("document_type"), "other"),
            );
            let name = component(Some(&artifact.file_name), "file");
            let path = unique(&mut taken, &folder, &name);
            PlannedEntry { path, artifact }
        })
        .collect();
    ArchivePlan { entries, errors }
}

fn unique(taken: &mut HashSet<String>, folder: &str, name: &str) -> String {
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    let mut candidate = format!("{folder}/{name}");
    let mut n = 2;
    while !taken.insert(candidate.to_lowercase()) {
        candidate = format!("{folder}/{stem} ({n}){extension}");
        n += 1;
    }
    candidate
}

/// One path component: no separators, no `..`, no control characters, and
/// short enough for every file system.
fn component(raw: Option<&str>, fallback: &str) -> String {
    let cleaned: String = raw
        .unwrap_or_default()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(120)
        .collect();
    let trimmed = cleaned.trim().trim_matches('.');
    if trimmed.is_empty() {
        fallback.to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ArtifactId, DockId, Metadata, Timestamp};

    fn artifact(name: &str, policy: &str) -> ArtifactRecord {
        ArtifactRecord {
            id: ArtifactId::generate(),
            dock_id: DockId::generate(),
            file_name: name.to_owned(),
            content_type: "application/pdf".to_owned(),
            size_bytes: 1,
            sha256: String::new(),
            metadata: Metadata::from_pairs([
                ("policy_number", policy),
                ("document_type", "declaration-page"),
            ])
            .expect("metadata"),
            created_at: Timestamp::EPOCH,
            withdrawn: false,
        }
    }

    #[test]
    fn entries_go_under_policy_and_document_type_with_duplicates_numbered() {
        let plan = plan(
            vec![
                artifact("Dec.pdf", "POL-1"),
                artifact("Dec.pdf", "POL-2"),
                artifact("Dec.pdf", "POL-1"),
                artifact("DEC.pdf", "POL-1"),
            ],
            Vec::new(),
        );

        let paths: Vec<&str> = plan.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "POL-1/declaration-page/Dec.pdf",
                "POL-2/declaration-page/Dec.pdf",
                "POL-1/declaration-page/Dec (2).pdf",
                "POL-1/declaration-page/DEC (3).pdf",
            ]
        );
    }

    #[test]
    fn hostile_names_cannot_escape_their_folder() {
        let plan = plan(
            vec![artifact("../../etc/passwd", ".."), artifact("", "POL/1")],
            Vec::new(),
        );

        assert_eq!(
            plan.entries[0].path,
            "no-policy/declaration-page/_.._etc_passwd"
        );
        assert_eq!(plan.entries[1].path, "POL_1/declaration-page/file");
    }
}
