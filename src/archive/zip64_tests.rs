//! The zip past the classic format's limits.

use std::io::Cursor;
use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};

use super::{plan, stream_zip};
use crate::db::ArtifactRecord;
use crate::domain::{ArtifactId, DockId, Metadata, Timestamp};
use crate::storage::{LocalStore, ObjectStore};

/// The classic zip format counts entries in 16 bits.
const PAST_CLASSIC_LIMIT: usize = 65_535 + 10;

#[tokio::test]
async fn more_entries_than_the_classic_format_holds_make_a_readable_zip64() {
    let dir = tempfile::tempdir().expect("temp dir");
    let objects: Arc<dyn ObjectStore> = Arc::new(LocalStore::new(dir.path()));
    // Every entry reads the same small object, so the test stays light.
    let (dock, id) = (DockId::generate(), ArtifactId::generate());
    let body = futures::stream::once(async { Ok(bytes::Bytes::from_static(b"%PDF-1.7 tiny")) });
    let key = crate::db::object_key(&dock, &id);
    objects.put(&key, body.boxed()).await.expect("put");
    let metadata = Metadata::from_pairs([("policy_number", "P-1")]).expect("metadata");
    let artifacts = (0..PAST_CLASSIC_LIMIT)
        .map(|n| ArtifactRecord {
            id: id.clone(),
            dock_id: dock.clone(),
            file_name: format!("doc-{n}.pdf"),
            content_type: "application/pdf".to_owned(),
            size_bytes: 13,
            sha256: String::new(),
            metadata: metadata.clone(),
            created_at: Timestamp::EPOCH,
            withdrawn: false,
        })
        .collect();

    let bytes: Vec<u8> = stream_zip(objects, plan(artifacts, Vec::new()))
        .map_ok(|chunk| chunk.to_vec())
        .try_concat()
        .await
        .expect("zip streamed");

    let archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a readable zip");
    assert_eq!(
        archive.len(),
        PAST_CLASSIC_LIMIT + 1,
        "every entry and the manifest"
    );
    let last = format!("doc-{}.pdf", PAST_CLASSIC_LIMIT - 1);
    assert!(archive
        .file_names()
        .any(|n| n.is_ok_and(|n| n.ends_with(&last))));
}
