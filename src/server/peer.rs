//! Who is on the other end of a connection, for both listeners.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::serve::IncomingStream;
use tokio::net::TcpListener;

/// The peer address and, on the TLS listener, the client certificate (DER)
/// the peer proved it holds.
#[derive(Debug, Clone)]
pub struct PeerInfo {
    pub addr: SocketAddr,
    pub client_cert: Option<Arc<Vec<u8>>>,
}

impl axum::extract::connect_info::Connected<IncomingStream<'_, TcpListener>> for PeerInfo {
    fn connect_info(stream: IncomingStream<'_, TcpListener>) -> Self {
        PeerInfo {
            addr: *stream.remote_addr(),
            client_cert: None,
        }
    }
}
