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

/// An entry one byte past 4 GiB needs ZIP64 sizes, and the entry after it
/// starts past 4 GiB, so its offset needs ZIP64 too. The big object is a
/// sparse file, so the test costs time but hardly any disk.
#[tokio::test]
async fn an_entry_past_4_gib_and_one_starting_past_it_make_a_zip64_every_reader_accepts() {
    use std::io::Write;

    const BIG: u64 = (4 << 30) + 1;
    let dir = tempfile::tempdir().expect("temp dir");
    let objects: Arc<dyn ObjectStore> = Arc::new(LocalStore::new(dir.path().join("objects")));
    let dock = DockId::generate();
    let (big, small) = (ArtifactId::generate(), ArtifactId::generate());
    let big_path = dir
        .path()
        .join("objects")
        .join(crate::db::object_key(&dock, &big));
    std::fs::create_dir_all(big_path.parent().expect("a folder")).expect("folder");
    std::fs::File::create(&big_path)
        .and_then(|f| f.set_len(BIG))
        .expect("sparse object");
    let body = futures::stream::once(async { Ok(bytes::Bytes::from_static(b"%PDF-1.7 after")) });
    let key = crate::db::object_key(&dock, &small);
    objects.put(&key, body.boxed()).await.expect("put");
    let record = |id: &ArtifactId, name: &str, size: u64| ArtifactRecord {
        id: id.clone(),
        dock_id: dock.clone(),
        file_name: name.to_owned(),
        content_type: "application/pdf".to_owned(),
        size_bytes: i64::try_from(size).expect("size"),
        sha256: String::new(),
        metadata: Metadata::from_pairs([("policy_number", "P-1")]).expect("metadata"),
        created_at: Timestamp::EPOCH,
        withdrawn: false,
    };
    let artifacts = vec![
        record(&big, "big.pdf", BIG),
        record(&small, "after.pdf", 14),
    ];

    let path = dir.path().join("big.zip");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("zip file"));
    let mut stream = stream_zip(objects, plan(artifacts, Vec::new()));
    while let Some(chunk) = stream.next().await {
        file.write_all(&chunk.expect("zip streamed"))
            .expect("written");
    }
    file.flush().expect("flushed");
    drop(file);

    let checks: [(&str, &[&str]); 3] = [
        ("unzip", &["-tqq"]),
        ("7zz", &["t"]),
        ("python3", &["-c", PYTHON_ZIP64_CHECK]),
    ];
    for (program, args) in checks {
        let output = std::process::Command::new(program)
            .args(args)
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("{program} runs: {e}"));
        assert!(
            output.status.success(),
            "{program}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Python's zipfile reads the sizes and offsets from the ZIP64 records and
/// checks every CRC.
const PYTHON_ZIP64_CHECK: &str = r#"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    big = next(i for i in z.infolist() if i.filename.endswith("big.pdf"))
    after = next(i for i in z.infolist() if i.filename.endswith("after.pdf"))
    assert big.file_size == 4 * 2**30 + 1, big.file_size
    assert after.header_offset > 4 * 2**30, after.header_offset
    assert z.read(after) == b"%PDF-1.7 after"
    assert z.testzip() is None, "a CRC does not match"
"#;
