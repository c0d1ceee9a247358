//! The zip writer: entries, manifest and errors read back from its stream.

use std::io::Cursor;

use futures::TryStreamExt;
use zip::ZipArchive;

use std::io::{self, Read};
use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt;
use zip::CompressionMethod;

use super::layout::MANIFEST_NAME;
use super::writer::CHUNK;
use super::{stream_zip, ArchivePlan};
use crate::archive::{plan, PlannedError};
use crate::db::ArtifactRecord;
use crate::domain::Timestamp;
use crate::domain::{ArtifactId, DockId, Metadata};
use crate::storage::LocalStore;
use crate::storage::ObjectStore;

fn artifact(file_name: &str, content_type: &str, size: usize) -> ArtifactRecord {
    ArtifactRecord {
        id: ArtifactId::generate(),
        dock_id: DockId::generate(),
        file_name: file_name.to_owned(),
        content_type: content_type.to_owned(),
        size_bytes: size as i64,
        sha256: String::new(),
        metadata: Metadata::default(),
        created_at: Timestamp::EPOCH,
        withdrawn: false,
    }
}

async fn put_object(
    store: &LocalStore,
    name: &str,
    content_type: &str,
    body: &[u8],
) -> ArtifactRecord {
    let artifact = artifact(name, content_type, body.len());
    let body = Bytes::copy_from_slice(body);
    let stream = futures::stream::once(async move { Ok(body) }).boxed();
    store
        .put(&artifact.object_key(), stream)
        .await
        .expect("stored object");
    artifact
}

async fn zip_of(store: LocalStore, plan: ArchivePlan) -> io::Result<Vec<u8>> {
    let chunks: Vec<Bytes> = stream_zip(Arc::new(store), plan).try_collect().await?;
    Ok(chunks.concat())
}

fn entry(archive: &mut ZipArchive<Cursor<Vec<u8>>>, index: usize) -> (String, bool, Vec<u8>) {
    let mut file = archive.by_index(index).expect("entry");
    let mut body = Vec::new();
    // Reading to the end also checks the entry's CRC.
    file.read_to_end(&mut body).expect("entry body");
    let stored = file.compression() == CompressionMethod::Stored;
    let name = file.name().expect("entry name").into_owned();
    (name, stored, body)
}

#[tokio::test]
async fn stored_and_deflated_entries_and_the_manifest_read_back_intact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = LocalStore::new(dir.path());
    // Not a whole number of chunks, so the last one is short.
    let scan: Vec<u8> = (0..2 * CHUNK + 123).map(|i| (i % 251) as u8).collect();
    let notes = b"policy notes\n".repeat(1000);
    let ready = vec![
        put_object(&store, "Déclaration.pdf", "application/pdf", &scan).await,
        put_object(&store, "notes.txt", "text/plain", &notes).await,
    ];
    let failed = PlannedError {
        artifact_id: "art_failed".to_owned(),
        code: "withdrawn".to_owned(),
        message: "gone".to_owned(),
    };

    let bytes = zip_of(store, plan(ready, vec![failed])).await.expect("zip");

    // The first local header's flags say its name is UTF-8.
    assert_ne!(u16::from_le_bytes([bytes[6], bytes[7]]) & 1 << 11, 0);
    let mut archive = ZipArchive::new(Cursor::new(bytes)).expect("a readable zip");
    assert_eq!(archive.len(), 3);
    let (name, stored, body) = entry(&mut archive, 0);
    assert_eq!(name, "no-policy/other/Déclaration.pdf");
    assert!(stored);
    assert!(body == scan);
    let (name, stored, body) = entry(&mut archive, 1);
    assert_eq!(name, "no-policy/other/notes.txt");
    assert!(!stored);
    assert_eq!(body, notes);
    let (name, _, manifest) = entry(&mut archive, 2);
    assert_eq!(name, MANIFEST_NAME);
    let manifest = String::from_utf8(manifest).expect("UTF-8 manifest");
    assert_eq!(manifest.lines().count(), 4);
    assert!(manifest.contains(",art_failed,,,error,withdrawn,gone"));
}

#[tokio::test]
async fn an_object_that_cannot_be_read_ends_the_stream_with_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = LocalStore::new(dir.path());
    let missing = artifact("missing.pdf", "application/pdf", 10);

    let zipped = zip_of(store, plan(vec![missing], Vec::new())).await;

    assert!(zipped.is_err());
}
