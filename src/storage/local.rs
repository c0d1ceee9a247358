//! Local-files backend: one file per object under the data dir.

use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use futures::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use super::{ByteStream, ObjectStore, StorageError, StoredObject};

const READ_CHUNK: usize = 256 * 1024;

#[derive(Debug, Clone)]
pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }
}

#[async_trait]
impl ObjectStore for LocalStore {
    async fn put(&self, key: &str, body: ByteStream<'_>) -> Result<StoredObject, StorageError> {
        let path = self.path(key);
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        tokio::fs::create_dir_all(&dir).await?;
        let temp = dir.join(format!(".{}.partial", ulid::Ulid::new()));

        let written = async {
            let mut file = tokio::fs::File::create(&temp).await?;
            let object = super::write_measured(body, &mut file).await?;
            file.sync_all().await?;
            Ok::<_, StorageError>(object)
        }
        .await;

        match written {
            Ok(object) => {
                tokio::fs::rename(&temp, &path).await?;
                // The rename is durable only once the directory is synced.
                tokio::fs::File::open(&dir).await?.sync_all().await?;
                Ok(object)
            }
            Err(error) => {
                let _ = tokio::fs::remove_file(&temp).await;
                Err(error)
            }
        }
    }

    async fn get(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> Result<ByteStream<'static>, StorageError> {
        let mut file = tokio::fs::File::open(self.path(key))
            .await
            .map_err(|e| not_found_or_io(e, key))?;
        let stream = match range {
            None => ReaderStream::with_capacity(file, READ_CHUNK).boxed(),
            Some(range) => {
                file.seek(io::SeekFrom::Start(range.start)).await?;
                let limited = file.take(range.end.saturating_sub(range.start));
                ReaderStream::with_capacity(limited, READ_CHUNK).boxed()
            }
        };
        Ok(stream)
    }

    fn open_blocking(&self, key: &str) -> Result<Box<dyn Read + Send>, StorageError> {
        let file = std::fs::File::open(self.path(key)).map_err(|e| not_found_or_io(e, key))?;
        Ok(Box::new(file))
    }

    async fn verify(&self, key: &str, expected: &StoredObject) -> Result<(), StorageError> {
        let path = self.path(key);
        let key = key.to_owned();
        let expected = expected.clone();
        tokio::task::spawn_blocking(move || verify_file(&path, &key, &expected))
            .await
            .map_err(|e| StorageError::Io(io::Error::other(e)))?
    }

    /// One blocking task per batch: hashing small files is cheaper than
    /// handing each of them to the blocking pool on its own.
    async fn verify_batch(
        &self,
        items: Vec<(String, StoredObject)>,
    ) -> Vec<Result<(), StorageError>> {
        let root = self.root.clone();
        let count = items.len();
        let checked = tokio::task::spawn_blocking(move || {
            items
                .iter()
                .map(|(key, expected)| verify_file(&root.join(key), key, expected))
                .collect::<Vec<_>>()
        })
        .await;
        checked.unwrap_or_else(|e| {
            let message = e.to_string();
            (0..count)
                .map(|_| Err(StorageError::Io(io::Error::other(message.clone()))))
                .collect()
        })
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match tokio::fs::remove_file(self.path(key)).await {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }
}

fn verify_file(path: &Path, key: &str, expected: &StoredObject) -> Result<(), StorageError> {
    let mut file = std::fs::File::open(path).map_err(|e| not_found_or_io(e, key))?;
    if file.metadata()?.len() != expected.size_bytes {
        return Err(StorageError::ChecksumMismatch {
            key: key.to_owned(),
        });
    }
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; READ_CHUNK];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    if hex::encode(hasher.finalize()) != expected.sha256 {
        return Err(StorageError::ChecksumMismatch {
            key: key.to_owned(),
        });
    }
    Ok(())
}

fn not_found_or_io(error: io::Error, key: &str) -> StorageError {
    if error.kind() == io::ErrorKind::NotFound {
        StorageError::NotFound(key.to_owned())
    } else {
        StorageError::Io(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn body(parts: &[&'static [u8]]) -> ByteStream<'static> {
        let parts: Vec<io::Result<Bytes>> =
            parts.iter().map(|p| Ok(Bytes::from_static(p))).collect();
        futures::stream::iter(parts).boxed()
    }

    #[tokio::test]
    async fn put_measures_and_get_reads_ranges() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = LocalStore::new(dir.path());

        let stored = store
            .put("d/a", body(&[b"hello ", b"world"]))
            .await
            .expect("put");
        let mut ranged = store.get("d/a", Some(6..11)).await.expect("get");
        let first = ranged.next().await.expect("chunk").expect("read");

        assert_eq!(stored.size_bytes, 11);
        assert_eq!(stored.sha256, hex::encode(Sha256::digest(b"hello world")));
        assert_eq!(&first[..], b"world");
        assert!(store.verify("d/a", &stored).await.is_ok());
    }

    #[tokio::test]
    async fn verify_reports_missing_and_altered_objects() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = LocalStore::new(dir.path());
        let stored = store.put("d/a", body(&[b"hello"])).await.expect("put");

        std::fs::write(dir.path().join("d/a"), b"jello").expect("overwrite");

        assert!(matches!(
            store.verify("d/a", &stored).await,
            Err(StorageError::ChecksumMismatch { .. })
        ));
        assert!(matches!(
            store.verify("d/missing", &stored).await,
            Err(StorageError::NotFound(_))
        ));
    }
}
