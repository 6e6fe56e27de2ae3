//! Errors the server answers with: a status, a stable code and a reason,
//! as JSON. Reasons name rules and ids, never case content (the server has
//! none to name).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use binhan_core::sync::wire::ErrorBody;

/// A refused or failed request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {code}: {reason}")]
pub struct ServerError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code, e.g. `bad_signature`.
    pub code: &'static str,
    /// A sentence saying why.
    pub reason: String,
    /// The device must erase itself (revoked).
    pub erase: bool,
    /// Seconds to wait before trying again (sent as `Retry-After`).
    pub retry_after: Option<u64>,
}

impl ServerError {
    fn new(status: StatusCode, code: &'static str, reason: impl Into<String>) -> Self {
        Self {
            status,
            code,
            reason: reason.into(),
            erase: false,
            retry_after: None,
        }
    }

    /// 400: the request is malformed.
    pub fn bad_request(code: &'static str, reason: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, reason)
    }

    /// 401: no valid token or proof.
    pub fn unauthorized(code: &'static str, reason: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, reason)
    }

    /// 403: authenticated but not allowed.
    pub fn forbidden(code: &'static str, reason: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, reason)
    }

    /// 404: nothing there.
    pub fn not_found(code: &'static str, reason: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, reason)
    }

    /// 409: conflicts with what is stored (e.g. a replayed challenge).
    pub fn conflict(code: &'static str, reason: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, reason)
    }

    /// 401: the token's device is not enrolled here.
    pub fn unknown_device() -> Self {
        Self::unauthorized("unknown_device", "the device is not enrolled")
    }

    /// 410: the device was revoked. `erase` is a hint: the device erases
    /// itself only once the signed revocation it then asks for checks.
    pub fn revoked() -> Self {
        Self {
            erase: true,
            ..Self::new(
                StatusCode::GONE,
                "revoked",
                "this device was revoked; erase its data",
            )
        }
    }

    /// 413: too large.
    pub fn too_large(reason: impl Into<String>) -> Self {
        Self::too_large_as("too_large", reason)
    }

    /// 413: too large, with a code naming the limit (e.g. `team_too_large`).
    pub fn too_large_as(code: &'static str, reason: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, code, reason)
    }

    /// 422: well-formed but invalid (bad signature, impossible clock…).
    pub fn unprocessable(code: &'static str, reason: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, reason)
    }

    /// 429: rate limited (by device or by client address); try again after
    /// `retry_after` seconds.
    pub fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many requests; retry in {retry_after} s"),
            )
        }
    }

    /// 500: the server failed; details are logged, not returned.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; try again",
        )
    }
}

impl From<sqlx::Error> for ServerError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(kind = "storage", error = %e, "storage error");
        Self::internal()
    }
}

impl From<sqlx::migrate::MigrateError> for ServerError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        tracing::error!(kind = "migration", error = %e, "migration error");
        Self::internal()
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.code.to_string(),
            reason: self.reason,
            erase: self.erase,
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        if let Some(seconds) = self.retry_after {
            headers.insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// Result with a [`ServerError`].
pub type Result<T, E = ServerError> = std::result::Result<T, E>;
