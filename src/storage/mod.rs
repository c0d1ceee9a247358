//! Object storage behind a trait: where artifact bytes live.

mod local;
mod s3;

use std::io;
use std::ops::Range;

use async_trait::async_trait;
use bytes::Bytes;
use futures::stream::BoxStream;

pub use local::LocalStore;
pub use s3::S3Store;

/// The object store `settings` name, not yet contacted: admin commands that
/// never touch an object work while the store is down. `serve` calls
/// `check` before it listens.
pub fn open(settings: &crate::config::Settings) -> std::sync::Arc<dyn ObjectStore> {
    match &settings.objects {
        crate::config::ObjectStoreSettings::Local => {
            std::sync::Arc::new(LocalStore::new(settings.objects_dir()))
        }
        crate::config::ObjectStoreSettings::S3(s3) => {
            std::sync::Arc::new(S3Store::new(s3, settings.data_dir.join("spool")))
        }
    }
}

/// A stream of bytes coming in or going out.
pub type ByteStream<'a> = BoxStream<'a, io::Result<Bytes>>;

/// Writes all of `body` to `file`, measuring its size and SHA-256 on the
/// way, so that no backend reads an upload twice.
async fn write_measured(
    mut body: ByteStream<'_>,
    file: &mut tokio::fs::File,
) -> Result<StoredObject, StorageError> {
    use futures::StreamExt;
    use sha2::{Digest, Sha256};
    use tokio::io::AsyncWriteExt;

    let mut hasher = Sha256::new();
    let mut size = 0u64;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(StorageError::Body)?;
        hasher.update(&chunk);
        size += chunk.len() as u64;
        file.write_all(&chunk).await?;
    }
    file.flush().await?;
    Ok(StoredObject {
        size_bytes: size,
        sha256: hex::encode(hasher.finalize()),
    })
}

/// What the store measured while writing an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    pub size_bytes: u64,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("object {0} does not exist")]
    NotFound(String),
    #[error("object {key} does not match its checksum")]
    ChecksumMismatch { key: String },
    #[error("reading the upload failed")]
    Body(#[source] io::Error),
    #[error("the object store cannot be reached: {0}")]
    Unreachable(String),
    #[error("object store I/O failed: {0}")]
    Io(#[from] io::Error),
}

impl StorageError {
    /// A failure to answer rather than an answer: worth asking again. Each
    /// backend decides which of its failures those are; a local disk's I/O
    /// error is not one of them.
    pub fn is_transient(&self) -> bool {
        matches!(self, StorageError::Unreachable(_))
    }
}

#[async_trait]
pub trait ObjectStore: Send + Sync + 'static {
    /// Writes all of `body` under `key`, atomically: readers see the whole
    /// object or none of it. Returns the size and SHA-256 seen on the way in.
    async fn put(&self, key: &str, body: ByteStream<'_>) -> Result<StoredObject, StorageError>;

    /// Opens `range` of the object (all of it when `None`).
    async fn get(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> Result<ByteStream<'static>, StorageError>;

    /// The whole object as a blocking reader, for writers that run on a
    /// blocking thread (the zip). The default bridges `get`; backends with
    /// a cheaper path override it.
    fn open_blocking(&self, key: &str) -> Result<Box<dyn io::Read + Send>, StorageError> {
        let handle = tokio::runtime::Handle::current();
        let body = handle.block_on(self.get(key, None))?;
        let reader = tokio_util::io::StreamReader::new(body);
        Ok(Box::new(tokio_util::io::SyncIoBridge::new_with_handle(
            reader, handle,
        )))
    }

    /// Checks that the object exists with this size and SHA-256.
    async fn verify(&self, key: &str, expected: &StoredObject) -> Result<(), StorageError>;

    /// Checks many objects; one result per item, in order. The default
    /// checks them one by one; a backend can do better in bulk.
    async fn verify_batch(
        &self,
        items: Vec<(String, StoredObject)>,
    ) -> Vec<Result<(), StorageError>> {
        let mut results = Vec::with_capacity(items.len());
        for (key, expected) in &items {
            results.push(self.verify(key, expected).await);
        }
        results
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError>;

    /// Whether the store answers and lets DocYard in; for readiness and
    /// for `serve`'s start.
    async fn check(&self) -> Result<(), StorageError> {
        Ok(())
    }
}
