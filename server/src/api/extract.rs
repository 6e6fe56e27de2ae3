//! Request plumbing: binary protocol bodies in and out, the authenticated
//! device, and rate limits per device and per client address.

use super::enrolled::active_device;
use super::AppState;
use crate::auth::check_token;
use crate::error::ServerError;
use crate::storage::Storage;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use binhan_core::sync::wire::{
    decode, encode, DeviceRecord, WireError, CONTENT_TYPE, MAX_REQUEST_BYTES,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// A protocol message in a request or response body.
pub struct Wire<T>(pub T);

impl<S: Storage, T: DeserializeOwned> FromRequest<AppState<S>> for Wire<T> {
    type Rejection = ServerError;

    async fn from_request(request: Request, _: &AppState<S>) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::to_bytes(request.into_body(), MAX_REQUEST_BYTES)
            .await
            .map_err(|_| {
                ServerError::too_large(format!("the body exceeds {MAX_REQUEST_BYTES} bytes"))
            })?;
        decode(&bytes).map(Wire).map_err(|e| match e {
            WireError::Version(v) => ServerError::bad_request(
                "unsupported_version",
                format!("protocol version {v} is not supported"),
            ),
            WireError::Empty => ServerError::bad_request("empty_body", "the body is empty"),
            WireError::Malformed => {
                ServerError::bad_request("malformed", "the body is not a well-formed message")
            }
        })
    }
}

impl<T: Serialize> IntoResponse for Wire<T> {
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::from(encode(&self.0)));
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        response
    }
}

/// The enrolled, active device a request's token belongs to.
pub struct Authenticated(pub DeviceRecord);

impl<S: Storage> FromRequestParts<AppState<S>> for Authenticated {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState<S>,
    ) -> Result<Self, Self::Rejection> {
        let device_id = token_device(parts, state)?;
        let device = active_device(state.storage.device(device_id).await?)?;
        admit(state, device).map(Self)
    }
}

/// The enrolled device a push or pull's token belongs to, from the
/// enrolment cache: the storage refuses it there if it is no longer active.
pub struct Syncing(pub DeviceRecord);

impl<S: Storage> FromRequestParts<AppState<S>> for Syncing {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState<S>,
    ) -> Result<Self, Self::Rejection> {
        let device_id = token_device(parts, state)?;
        let device = state.enrolled.get(&state.storage, device_id).await?;
        admit(state, device).map(Self)
    }
}

/// The device a request's bearer token was issued to (genuine, unexpired).
fn token_device<S: Storage>(
    parts: &Parts,
    state: &AppState<S>,
) -> Result<binhan_core::model::DeviceId, ServerError> {
    let token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| ServerError::unauthorized("no_token", "a bearer token is required"))?;
    check_token(&state.secret, token, super::now_ms())
        .ok_or_else(|| ServerError::unauthorized("bad_token", "the token is invalid or expired"))
}

/// Lets `device`'s request through its rate limit, naming it in the span.
fn admit<S: Storage>(
    state: &AppState<S>,
    device: DeviceRecord,
) -> Result<DeviceRecord, ServerError> {
    let device_id = device.public.device_id;
    state
        .limiter
        .take(device_id)
        .map_err(ServerError::rate_limited)?;
    tracing::Span::current().record("device", tracing::field::display(device_id));
    Ok(device)
}

/// A request made before a device has a token (enrol, challenge, token),
/// let through its client address's rate limit before anything else is
/// done with it. Requests handed to the router directly, with no
/// connection (the in-process test transport), carry no address and are
/// not limited.
pub struct AddressLimited;

impl<S: Storage> FromRequestParts<AppState<S>> for AddressLimited {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState<S>,
    ) -> Result<Self, Self::Rejection> {
        if let Some(address) = client_address(parts, &state.trusted_proxies) {
            state
                .address_limiter
                .take(address)
                .map_err(ServerError::rate_limited)?;
        }
        Ok(Self)
    }
}

/// The client a request comes from, as the key of its rate limit: the
/// connection's peer or, if that is a trusted proxy (one terminating TLS in
/// front of the server), the address the proxy appended last to
/// `X-Forwarded-For`. An IPv6 client counts by its /64 (one subscriber's
/// network), an IPv4-mapped one as IPv4.
fn client_address(parts: &Parts, trusted_proxies: &[IpAddr]) -> Option<IpAddr> {
    let ConnectInfo(peer) = parts.extensions.get::<ConnectInfo<SocketAddr>>()?;
    let peer = peer.ip().to_canonical();
    let client = if trusted_proxies.contains(&peer) {
        parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok()?.rsplit(',').next()?.trim().parse().ok())
            .map_or(peer, |a: IpAddr| a.to_canonical())
    } else {
        peer
    };
    Some(match client {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & !u128::from(u64::MAX))),
        v4 => v4,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(peer: &str, forwarded: &[&str]) -> Parts {
        let mut request = axum::http::Request::new(());
        for value in forwarded {
            let value = HeaderValue::from_str(value).unwrap();
            request.headers_mut().append("x-forwarded-for", value);
        }
        let peer: SocketAddr = peer.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
        request.into_parts().0
    }

    /// `X-Forwarded-For` counts only from a trusted proxy, and then its last
    /// address (the one the proxy added); IPv6 clients count by their /64.
    #[test]
    fn the_client_address_of_a_request() {
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        let forged = parts("203.0.113.9:5000", &["198.51.100.1"]);
        assert_eq!(client_address(&forged, &[proxy]), ip("203.0.113.9"));
        let proxied = parts("127.0.0.1:5000", &["198.51.100.1", "10.0.0.1, 203.0.113.7"]);
        assert_eq!(client_address(&proxied, &[proxy]), ip("203.0.113.7"));
        assert_eq!(client_address(&proxied, &[]), ip("127.0.0.1"));
        let v6 = parts("[2001:db8:1:2:3:4:5:6]:5000", &[]);
        assert_eq!(client_address(&v6, &[]), ip("2001:db8:1:2::"));
        let mapped = parts("[::ffff:203.0.113.9]:5000", &[]);
        assert_eq!(client_address(&mapped, &[]), ip("203.0.113.9"));
        let direct = axum::http::Request::new(()).into_parts().0;
        assert_eq!(client_address(&direct, &[proxy]), None);
    }
}
