//! Request plumbing: binary protocol bodies in and out, the authenticated
//! device, and per-device rate limits.

use super::enrolled::active_device;
use super::AppState;
use crate::auth::check_token;
use crate::error::ServerError;
use crate::storage::Storage;
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use binhan_core::sync::wire::{
    decode, encode, DeviceRecord, WireError, CONTENT_TYPE, MAX_REQUEST_BYTES,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

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
    if !state.limiter.allow(device_id) {
        return Err(ServerError::rate_limited());
    }
    tracing::Span::current().record("device", tracing::field::display(device_id));
    Ok(device)
}
