//! Any S3-compatible store, for deployments that run more than one server
//! or keep documents off the servers' disks.
//!
//! S3 wants an upload's length before its bytes, and an upload arrives as
//! a stream of unknown length, so it is spooled to a local file first,
//! hashed on the way, then sent in one PUT. S3 makes the object visible
//! whole or not at all.

use std::io;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{
    BehaviorVersion, Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
};
use aws_sdk_s3::primitives::ByteStream as S3Body;
use aws_sdk_s3::types::ChecksumMode;
use aws_sdk_s3::Client;
use futures::StreamExt;
use sha2::{Digest, Sha256};
use tokio_util::io::ReaderStream;

use super::{ByteStream, ObjectStore, StorageError, StoredObject};
use crate::config::S3Settings;
use errors::{bucket_refused, other};
use spool::SpoolFile;

mod errors;
mod spool;

const READ_CHUNK: usize = 256 * 1024;

#[derive(Debug, Clone)]
pub struct S3Store {
    client: Client,
    bucket: String,
    /// Where uploads wait while their length is found out.
    spool: PathBuf,
}

impl S3Store {
    pub fn new(settings: &S3Settings, spool: PathBuf) -> Self {
        let credentials = Credentials::new(
            settings.access_key_id.clone(),
            settings.secret_access_key.expose().to_owned(),
            None,
            None,
            "docyard-settings",
        );
        let mut config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(settings.region.clone()))
            .credentials_provider(credentials)
            .force_path_style(settings.path_style)
            // DocYard hashes every object with SHA-256 itself; the SDK's
            // own CRC trailers are not understood by every S3-compatible
            // server.
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
            // A store that takes the connection and never answers must not
            // hold a request, or the server's start, forever.
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .read_timeout(Duration::from_secs(30))
                    .build(),
            );
        if let Some(endpoint) = &settings.endpoint {
            config = config.endpoint_url(endpoint.as_str().trim_end_matches('/'));
        }
        spool::sweep(&spool);
        Self {
            client: Client::from_conf(config.build()),
            bucket: settings.bucket.clone(),
            spool,
        }
    }
}

#[async_trait]
impl ObjectStore for S3Store {
    async fn put(&self, key: &str, body: ByteStream<'_>) -> Result<StoredObject, StorageError> {
        tokio::fs::create_dir_all(&self.spool).await?;
        let spooled = SpoolFile::new(&self.spool);
        let mut file = tokio::fs::File::create(spooled.path()).await?;
        let object = super::write_measured(body, &mut file).await?;
        drop(file);
        let upload = S3Body::from_path(spooled.path())
            .await
            .map_err(|e| StorageError::Io(io::Error::other(e)))?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_length(i64::try_from(object.size_bytes).unwrap_or(i64::MAX))
            // The store checks the bytes against it on arrival and keeps
            // it, so that `verify` need not read the object back.
            .checksum_sha256(base64_of_hex(&object.sha256)?)
            .body(upload)
            .send()
            .await
            .map_err(|e| other(key, "writing", e))?;
        Ok(object)
    }

    async fn get(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> Result<ByteStream<'static>, StorageError> {
        let mut request = self.client.get_object().bucket(&self.bucket).key(key);
        if let Some(range) = range {
            if range.start >= range.end {
                return Ok(futures::stream::empty().boxed());
            }
            request = request.range(format!("bytes={}-{}", range.start, range.end - 1));
        }
        let output = request.send().await.map_err(|e| {
            if e.as_service_error().is_some_and(|s| s.is_no_such_key()) {
                StorageError::NotFound(key.to_owned())
            } else {
                other(key, "reading", e)
            }
        })?;
        let reader = output.body.into_async_read();
        Ok(ReaderStream::with_capacity(reader, READ_CHUNK).boxed())
    }

    async fn verify(&self, key: &str, expected: &StoredObject) -> Result<(), StorageError> {
        let head = self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .checksum_mode(ChecksumMode::Enabled)
            .send()
            .await
            .map_err(|e| {
                if e.as_service_error().is_some_and(|s| s.is_not_found()) {
                    StorageError::NotFound(key.to_owned())
                } else {
                    other(key, "checking", e)
                }
            })?;
        let mismatch = || StorageError::ChecksumMismatch {
            key: key.to_owned(),
        };
        if head.content_length().and_then(|n| u64::try_from(n).ok()) != Some(expected.size_bytes) {
            return Err(mismatch());
        }
        // A multipart upload's checksum ("...-N") covers its parts, not the
        // object: only a whole-object one can be compared.
        if let Some(kept) = head.checksum_sha256().filter(|c| !c.contains('-')) {
            return if kept == base64_of_hex(&expected.sha256)? {
                Ok(())
            } else {
                Err(mismatch())
            };
        }
        // Stored without a checksum (by another tool, say): the ETag is no
        // SHA-256, so the bytes are read and hashed.
        let mut body = self.get(key, None).await?;
        let mut hasher = Sha256::new();
        while let Some(chunk) = body.next().await {
            hasher.update(&chunk?);
        }
        if hex::encode(hasher.finalize()) != expected.sha256 {
            return Err(mismatch());
        }
        Ok(())
    }

    /// Checking objects one after another would cost a round trip each;
    /// a few at a time keeps the order and a big job's check short.
    async fn verify_batch(
        &self,
        items: Vec<(String, StoredObject)>,
    ) -> Vec<Result<(), StorageError>> {
        futures::stream::iter(items)
            .map(|(key, expected)| async move { self.verify(&key, &expected).await })
            .buffered(8)
            .collect()
            .await
    }

    /// The bucket answers and lets these credentials in. `HeadBucket` asks
    /// for the right to list it.
    async fn check(&self) -> Result<(), StorageError> {
        let asked = self.client.head_bucket().bucket(&self.bucket).send();
        match tokio::time::timeout(Duration::from_secs(10), asked).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(bucket_refused(&self.bucket, &e)),
            Err(_) => Err(StorageError::Unreachable(
                "the S3 endpoint did not answer within 10 seconds; check DOCYARD_S3_ENDPOINT"
                    .to_owned(),
            )),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| other(key, "deleting", e))
    }
}

/// S3 spells a SHA-256 in base64; DocYard keeps it in hex.
fn base64_of_hex(sha256: &str) -> Result<String, StorageError> {
    use base64::Engine;
    let digest = hex::decode(sha256).map_err(|e| StorageError::Io(io::Error::other(e)))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(digest))
}
