//! What one loopback TCP connection carries on this machine with no HTTP,
//! no zip and no server in the way: the ceiling for any download here.
//! The receiver reads into a 1 MiB buffer and throws the bytes away, as
//! the zip bench's client does.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::thread;
use std::time::Instant;

use crate::common::Result;

/// Seconds for `bytes` when the sender writes one 1 MiB buffer over and
/// over: the bytes are copied once on each side of the socket.
pub fn from_memory(bytes: u64) -> Result<f64> {
    timed(move |socket| {
        let block = vec![7u8; 1 << 20];
        let mut sent = 0u64;
        while sent < bytes {
            socket.write_all(&block)?;
            sent += block.len() as u64;
        }
        Ok(())
    })
}

/// Seconds for all of `files` when the kernel moves them from the page
/// cache to the socket itself (sendfile(2)): no copy in the sender at all,
/// which no HTTP server on hyper can do.
pub fn by_sendfile(files: Vec<PathBuf>) -> Result<f64> {
    timed(move |socket| {
        for path in &files {
            let file = File::open(path)?;
            while rustix::fs::sendfile(&*socket, &file, None, 1 << 30)? > 0 {}
        }
        Ok(())
    })
}

fn timed(send: impl FnOnce(&mut TcpStream) -> std::io::Result<()>) -> Result<f64> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    let receiver = thread::spawn(move || {
        let (mut socket, _) = listener.accept()?;
        let mut buffer = vec![0u8; 1 << 20];
        while socket.read(&mut buffer)? > 0 {}
        Ok::<_, std::io::Error>(())
    });
    let mut sender = TcpStream::connect(address)?;
    let started = Instant::now();
    send(&mut sender)?;
    sender.shutdown(Shutdown::Write)?;
    receiver.join().map_err(|_| "the receiver panicked")??;
    Ok(started.elapsed().as_secs_f64())
}
