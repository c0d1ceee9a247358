//! Where a request came from, for the audit trail.

use std::net::IpAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::server::PeerInfo;

/// The client's address and the request's ID. The address is the
/// connection's peer: a proxy's forwarding headers are not trusted here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOrigin {
    pub ip: Option<IpAddr>,
    pub request_id: Option<String>,
}

impl RequestOrigin {
    pub fn from_parts(parts: &Parts) -> Self {
        RequestOrigin {
            ip: parts
                .extensions
                .get::<ConnectInfo<PeerInfo>>()
                .map(|ConnectInfo(peer)| peer.addr.ip()),
            request_id: parts
                .headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        }
    }

    /// An admin command run on the server itself.
    pub fn command_line() -> Self {
        RequestOrigin::default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestOrigin {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestOrigin::from_parts(parts))
    }
}
