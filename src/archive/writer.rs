//! Writes the zip on a blocking thread while the response streams it out.
//! Memory stays flat: objects are read in fixed-size chunks and at most a
//! few chunks wait in the channel; a slow client slows the writer down.
//!
//! Stored entries, most of an archive, are not copied on the way: each
//! chunk is read into a pooled buffer and that buffer is what the response
//! sends. The zip writer still sees every byte, to count it and compute the
//! CRC, but the sink recognises the chunk and passes it on (see `Handoff`).
//! Everything else the zip writer produces (headers, small files, deflated
//! entries, the central directory) is gathered in a staging buffer.

use std::cell::Cell;
use std::io::{self, Read, Write};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

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

/// Large enough that passing chunks between threads costs little next to
/// copying them; small enough that the chunks in flight stay far below the
/// 32 MiB the server may grow by while streaming.
pub(super) const CHUNK: usize = 1 << 20;
const CHANNEL_CHUNKS: usize = 4;
/// Buffers kept for reuse: those in the channel, the one the response is
/// sending and the one being read.
const POOLED_BUFFERS: usize = CHANNEL_CHUNKS + 2;
/// Stored chunks smaller than this are copied into the staging buffer
/// with the rest: sending each on its own would cost more than the copy.
const HANDOFF_MIN: usize = CHUNK / 4;

/// The zip of `plan` as a byte stream. An object that cannot be read ends
/// the stream with an error, so the client sees a broken download rather
/// than a silently incomplete archive.
pub fn stream_zip(objects: Arc<dyn ObjectStore>, plan: ArchivePlan) -> ByteStream<'static> {
    let (tx, mut rx) = mpsc::channel::<io::Result<Bytes>>(CHANNEL_CHUNKS);
    let handle = Handle::current();
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        let handoff = Handoff::default();
        let sink = ChannelWriter {
            tx: tx.clone(),
            staged: BytesMut::with_capacity(CHUNK),
            handoff: handoff.clone(),
        };
        // The store's blocking reader may need the runtime.
        let _runtime = handle.enter();
        match write_zip(objects.as_ref(), plan, sink, &handoff) {
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

fn write_zip(
    objects: &dyn ObjectStore,
    plan: ArchivePlan,
    sink: ChannelWriter,
    handoff: &Handoff,
) -> io::Result<()> {
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
    let buffers = BufferPool::default();

    for entry in &plan.entries {
        let mut reader = objects
            .open_blocking(&entry.artifact.object_key())
            .map_err(|e| io::Error::other(format!("{}: {e}", entry.artifact.id)))?;
        let method = compression_for(&entry.artifact.content_type);
        zip.start_file(entry.path.as_str(), options_for(entry, method))
            .map_err(io::Error::other)?;
        loop {
            let chunk = buffers.read_chunk(reader.as_mut())?;
            if chunk.is_empty() {
                break;
            }
            if method == CompressionMethod::Stored && chunk.len() >= HANDOFF_MIN {
                handoff.offer(chunk.clone());
            }
            zip.write_all(&chunk)?;
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

fn options_for(entry: &PlannedEntry, method: CompressionMethod) -> SimpleFileOptions {
    let artifact = &entry.artifact;
    let size = u64::try_from(artifact.size_bytes).unwrap_or(u64::MAX);
    SimpleFileOptions::default()
        .compression_method(method)
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

/// Read buffers come back here once the response has sent them, so chunks
/// are read into memory that is already allocated and likely still cached.
#[derive(Clone, Default)]
struct BufferPool(Arc<Mutex<Vec<Vec<u8>>>>);

impl BufferPool {
    /// Up to `CHUNK` bytes of `reader`, fewer only at its end; empty after.
    fn read_chunk(&self, reader: &mut dyn Read) -> io::Result<Bytes> {
        let reused = self.0.lock().ok().and_then(|mut free| free.pop());
        let mut buffer = reused.unwrap_or_else(|| vec![0; CHUNK]);
        let mut len = 0;
        while len < buffer.len() {
            match reader.read(&mut buffer[len..]) {
                Ok(0) => break,
                Ok(read) => len += read,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Bytes::from_owner(Pooled {
            buffer,
            len,
            pool: self.clone(),
        }))
    }
}

/// A chunk's bytes; dropping them returns the buffer to its pool.
struct Pooled {
    buffer: Vec<u8>,
    len: usize,
    pool: BufferPool,
}

impl AsRef<[u8]> for Pooled {
    fn as_ref(&self) -> &[u8] {
        &self.buffer[..self.len]
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        if let Ok(mut free) = self.pool.0.lock() {
            if free.len() < POOLED_BUFFERS {
                free.push(std::mem::take(&mut self.buffer));
            }
        }
    }
}

/// The chunk about to go through the zip writer, so the sink can send it
/// as it is instead of copying it. The sink takes it only when it is asked
/// to write exactly these bytes (same address and length); a deflated
/// entry's output never matches and is staged like any other write.
#[derive(Clone, Default)]
struct Handoff(Rc<Cell<Option<Bytes>>>);

impl Handoff {
    fn offer(&self, chunk: Bytes) {
        self.0.set(Some(chunk));
    }

    fn claim(&self, data: &[u8]) -> Option<Bytes> {
        let chunk = self.0.take()?;
        let same = chunk.as_ptr() == data.as_ptr() && chunk.len() == data.len();
        same.then_some(chunk)
    }
}

/// Hands the zip's bytes to the async side.
struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    staged: BytesMut,
    handoff: Handoff,
}

impl ChannelWriter {
    fn send(&self, chunk: Bytes) -> io::Result<()> {
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }

    fn send_staged(&mut self) -> io::Result<()> {
        if self.staged.is_empty() {
            return Ok(());
        }
        let chunk = self.staged.split().freeze();
        self.send(chunk)
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if let Some(chunk) = self.handoff.claim(data) {
            // The entry's header, staged before it, goes first.
            self.send_staged()?;
            self.send(chunk)?;
        } else {
            // Room for a whole chunk, so gathering one never regrows the buffer.
            if self.staged.capacity() - self.staged.len() < data.len() {
                self.staged.reserve(CHUNK);
            }
            self.staged.extend_from_slice(data);
            if self.staged.len() >= CHUNK {
                self.send_staged()?;
            }
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send_staged()
    }
}
