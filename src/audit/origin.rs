//! Where a request came from, for the audit trail.

use std::net::IpAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::server::PeerInfo;

/// The client's address and the request's ID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOrigin {
    pub ip: Option<IpAddr>,
    pub request_id: Option<String>,
}

/// The client's address as `client_address` worked it out for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The address a request came from: the connection's peer, or, when the
/// peer is a listed proxy, the nearest address in `X-Forwarded-For` that is
/// not itself a listed proxy. Anyone else's `X-Forwarded-For` is ignored,
/// so a client cannot pick the address it is counted and recorded under.
pub fn client_address(parts: &Parts, trusted_proxies: &[IpAddr]) -> Option<IpAddr> {
    let ConnectInfo(peer) = parts.extensions.get::<ConnectInfo<PeerInfo>>()?;
    let peer = peer.addr.ip();
    if !trusted_proxies.contains(&peer) {
        return Some(peer);
    }
    let forwarded = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let nearest_client = forwarded
        .iter()
        .rev()
        .map_while(|raw| raw.parse::<IpAddr>().ok())
        .find(|ip| !trusted_proxies.contains(ip));
    Some(nearest_client.unwrap_or(peer))
}

impl RequestOrigin {
    pub fn from_parts(parts: &Parts) -> Self {
        let client = parts.extensions.get::<ClientIp>().map(|ClientIp(ip)| *ip);
        let peer = || {
            parts
                .extensions
                .get::<ConnectInfo<PeerInfo>>()
                .map(|ConnectInfo(peer)| peer.addr.ip())
        };
        RequestOrigin {
            ip: client.or_else(peer),
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
