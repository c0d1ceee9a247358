//! The client certificate behind a request: the TLS connection's own, or
//! the one a listed proxy forwards. Certificate headers from anyone else
//! are ignored, so a client cannot claim a certificate by sending a header.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use percent_encoding::percent_decode_str;

use crate::certs::pem_cert;
use crate::server::PeerInfo;

/// Envoy's header: `By=...;Hash=...;Cert="<URL-encoded PEM>"`, one element
/// per proxy hop, comma-separated.
const ENVOY_HEADER: &str = "x-forwarded-client-cert";
/// nginx's `$ssl_client_escaped_cert`: the URL-encoded PEM.
const NGINX_HEADER: &str = "x-ssl-client-cert";

pub fn presented_cert(parts: &Parts, trusted_proxies: &[IpAddr]) -> Option<Arc<Vec<u8>>> {
    let ConnectInfo(peer) = parts.extensions.get::<ConnectInfo<PeerInfo>>()?;
    if let Some(cert) = &peer.client_cert {
        return Some(cert.clone());
    }
    if !trusted_proxies.contains(&peer.addr.ip()) {
        return None;
    }
    forwarded_cert(&parts.headers).map(Arc::new)
}

fn forwarded_cert(headers: &HeaderMap) -> Option<Vec<u8>> {
    if let Some(value) = headers.get(ENVOY_HEADER).and_then(|v| v.to_str().ok()) {
        // The last element is the hop nearest to us: the proxy we trust.
        let element = value.rsplit(',').next()?;
        let cert = element
            .split(';')
            .find_map(|field| field.trim().strip_prefix("Cert="))?;
        return decode_pem(cert.trim_matches('"'));
    }
    let value = headers.get(NGINX_HEADER)?.to_str().ok()?;
    decode_pem(value)
}

fn decode_pem(escaped: &str) -> Option<Vec<u8>> {
    let pem = percent_decode_str(escaped).decode_utf8().ok()?;
    pem_cert(&pem)
}
