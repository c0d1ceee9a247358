//! Writes the zip on a blocking thread while the response streams it out.
//! Memory stays flat: objects are copied in fixed-size chunks and at most a
//! few chunks wait in the channel; a slow client slows the writer down.

use std::io::{self, Read, Write};
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use chrono::{Datelike, Timelike};
use futures::StreamExt;
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::layout::{ArchivePlan, PlannedEntry, MANIFEST_NAME};
use crate::domain::Timestamp;
use crate::storage::{ByteStream, ObjectStore};

const CHUNK: usize = 1 << 20;
const CHANNEL_CHUNKS: usize = 4;

/// The zip of `plan` as a byte stream. An object that cannot be read ends
/// the stream with an error, so the client sees a broken download rather
/// than a silently incomplete archive.
pub fn stream_zip(objects: Arc<dyn ObjectStore>, plan: ArchivePlan) -> ByteStream<'static> {
    let (tx, mut rx) = mpsc::channel::<io::Result<Bytes>>(CHANNEL_CHUNKS);
    let handle = Handle::current();
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        let sink = ChannelWriter {
            tx: tx.clone(),
            buffer: BytesMut::with_capacity(CHUNK),
        };
        // The store's blocking reader may need the runtime.
        let _runtime = handle.enter();
        match write_zip(objects.as_ref(), plan, sink) {
            Ok(()) => tracing::info!("archive streamed"),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                tracing::info!("the client stopped reading the archive")
            }
            Err(e) => {
                tracing::error!(error = %e, "writing the archive failed");
                let _ = tx.blocking_send(Err(e));
            }
        }
    });
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx)).boxed()
}

fn write_zip(objects: &dyn ObjectStore, plan: ArchivePlan, sink: ChannelWriter) -> io::Result<()> {
    let mut zip = ZipWriter::new_stream(sink);
    let mut manifest = csv::Writer::from_writer(Vec::new());
    manifest.write_record([
        "path",
        "artifact_id",
        "sha256",
        "size_bytes",
        "status",
        "error_code",
        "error_message",
    ])?;
    let mut buffer = vec![0u8; CHUNK];

    for entry in &plan.entries {
        let mut reader = objects
            .open_blocking(&entry.artifact.object_key())
            .map_err(|e| io::Error::other(format!("{}: {e}", entry.artifact.id)))?;
        zip.start_file(entry.path.as_str(), options_for(entry))
            .map_err(io::Error::other)?;
        loop {
            let read = reader.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            zip.write_all(&buffer[..read])?;
        }
        let artifact = &entry.artifact;
        manifest.write_record([
            entry.path.as_str(),
            artifact.id.as_str(),
            artifact.sha256.as_str(),
            &artifact.size_bytes.to_string(),
            "ok",
            "",
            "",
        ])?;
    }
    for error in &plan.errors {
        manifest.write_record([
            "",
            error.artifact_id.as_str(),
            "",
            "",
            "error",
            error.code.as_str(),
            error.message.as_str(),
        ])?;
    }

    let manifest = manifest
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file(MANIFEST_NAME, options)
        .map_err(io::Error::other)?;
    zip.write_all(&manifest)?;
    let mut sink = zip.finish().map_err(io::Error::other)?.into_inner();
    sink.flush()
}

fn options_for(entry: &PlannedEntry) -> SimpleFileOptions {
    let artifact = &entry.artifact;
    let size = u64::try_from(artifact.size_bytes).unwrap_or(u64::MAX);
    SimpleFileOptions::default()
        .compression_method(compression_for(&artifact.content_type))
        .large_file(size >= zip::ZIP64_BYTES_THR)
        .last_modified_time(zip_time(artifact.created_at))
}

/// PDFs, images and archives are compressed already; deflating them again
/// costs time and gains nothing.
fn compression_for(content_type: &str) -> CompressionMethod {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let compressible = essence.starts_with("text/")
        || matches!(
            essence,
            "application/json" | "application/xml" | "image/svg+xml"
        );
    if compressible {
        CompressionMethod::Deflated
    } else {
        CompressionMethod::Stored
    }
}

fn zip_time(at: Timestamp) -> zip::DateTime {
    let at = at.to_datetime();
    let date_time = zip::DateTime::from_date_and_time(
        u16::try_from(at.year()).unwrap_or(1980),
        at.month() as u8,
        at.day() as u8,
        at.hour() as u8,
        at.minute() as u8,
        at.second() as u8,
    );
    date_time.unwrap_or_default()
}

/// Hands the zip's bytes to the async side in chunks.
struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buffer: BytesMut,
}

impl ChannelWriter {
    fn send_buffer(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = self.buffer.split().freeze();
        self.buffer.reserve(CHUNK);
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buffer.is_empty() && data.len() >= CHUNK {
            self.tx
                .blocking_send(Ok(Bytes::copy_from_slice(data)))
                .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))?;
            return Ok(data.len());
        }
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send_buffer()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send_buffer()
    }
}
