//! The HTTP API: a binary protocol (see `binhan_core::sync::wire`) under
//! `/v1`, JSON errors, structured logs without bodies.

mod devices;
mod enrolled;
mod extract;
mod inbox;
mod rate_limit;
mod registries;
mod roads;
mod shelters;
mod stats;
mod sync;

pub use devices::{bootstrap_invitation, issuers_of, PROVINCE};
pub use enrolled::EnrolledDevices;
pub use extract::{AddressLimited, Authenticated, Syncing, Wire};
pub use rate_limit::RateLimiter;

use crate::error::ServerError;
use crate::storage::Storage;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use std::net::IpAddr;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState<S: Storage> {
    /// Durable state.
    pub storage: S,
    /// Secret for tokens and challenges (from storage).
    pub secret: [u8; 32],
    /// Per-device rate limits.
    pub limiter: Arc<RateLimiter>,
    /// Per-address rate limits of the requests made before a device has a
    /// token (enrol, challenge, token).
    pub address_limiter: Arc<RateLimiter<IpAddr>>,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Arc<[IpAddr]>,
    /// Zero bits of the proof of work an online report needs.
    pub intake_difficulty: u8,
    /// One slot per core for CPU-heavy checks run off the async workers.
    pub cpu_slots: Arc<Semaphore>,
    /// Enrolment records of the devices this process has served.
    pub enrolled: Arc<EnrolledDevices>,
}

impl<S: Storage> AppState<S> {
    /// Runs `work` (a CPU-heavy check, such as a push's signatures) on the
    /// blocking pool, at most one per core at a time: the async workers stay
    /// free to serve requests and to drive the writer, and checks queue
    /// instead of crowding the cores.
    pub async fn off_workers<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ServerError> {
        let _slot = self
            .cpu_slots
            .acquire()
            .await
            .map_err(|_| ServerError::internal())?;
        tokio::task::spawn_blocking(work).await.map_err(|_| {
            tracing::error!(kind = "check", "a check off the async workers stopped");
            ServerError::internal()
        })
    }
}

/// Refuses every device but a provincial officer's; `what` says what only
/// officers do ("publish the road network").
pub(crate) fn officer_only(
    me: &binhan_core::sync::wire::DeviceRecord,
    what: &str,
) -> Result<(), ServerError> {
    if me.role == binhan_core::model::Role::ProvincialOfficer {
        Ok(())
    } else {
        Err(ServerError::forbidden(
            "not_provincial_officer",
            format!("only provincial officers {what}"),
        ))
    }
}

/// Milliseconds since 1970.
pub fn now_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0)
}

/// Logs method, path, status, device and time of every request; never a
/// body.
async fn log_request(request: Request, next: Next) -> Response {
    use tracing::Instrument;
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = std::time::Instant::now();
    let span = tracing::info_span!("request", %method, %path, device = tracing::field::Empty);
    let response = next.run(request).instrument(span.clone()).await;
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "handled"
        )
    });
    response
}

/// The router with every route.
pub fn router<S: Storage>(state: AppState<S>) -> Router {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/v1/enrol", post(devices::enrol::<S>))
        .route("/v1/auth/challenge", post(devices::challenge::<S>))
        .route("/v1/auth/token", post(devices::token::<S>))
        .route("/v1/invitations", post(devices::invite::<S>))
        .route("/v1/devices/query", post(devices::query::<S>))
        .route("/v1/devices/revoke", post(devices::revoke::<S>))
        .route("/v1/devices/revocation", post(devices::revocation::<S>))
        .route("/v1/sync/push", post(sync::push::<S>))
        .route("/v1/sync/pull", post(sync::pull::<S>))
        .route("/v1/stats/push", post(stats::push::<S>))
        .route("/v1/stats/school-use", post(stats::school_use::<S>))
        .route("/v1/stats/sealed", post(stats::sealed::<S>))
        .route("/v1/stats/office-key", post(stats::office_key::<S>))
        .route(
            "/v1/province/office-key",
            post(stats::publish_office_key::<S>),
        )
        .route("/v1/province/key", post(shelters::endorse_key::<S>))
        .route("/v1/intake/inbox", post(inbox::inbox::<S>))
        .route("/v1/shelters/publish", post(shelters::publish::<S>))
        .route("/v1/shelters/directory", post(shelters::directory::<S>))
        .route("/v1/shelters/send", post(shelters::send::<S>))
        .route("/v1/shelters/mailbox", post(shelters::mailbox::<S>))
        .route("/v1/roads/upload", post(roads::upload::<S>))
        .route("/v1/roads/publish", post(roads::publish::<S>))
        .route("/v1/roads/manifest", post(roads::manifest::<S>))
        .route("/v1/roads/chunks", post(roads::chunks::<S>))
        .route(
            "/v1/registries/record",
            post(registries::record_registries::<S>),
        )
        .route(
            "/v1/registries/list",
            post(registries::list_registries::<S>),
        )
        .route("/r", get(crate::intake::page::page))
        .route("/r/app.js", get(crate::intake::page::script))
        .route("/r/app.css", get(crate::intake::page::style))
        .route(
            "/v1/intake/recipients",
            post(crate::intake::recipients::<S>),
        )
        .route("/v1/intake/submit", post(crate::intake::submit::<S>))
        .layer(axum::extract::DefaultBodyLimit::max(
            binhan_core::sync::wire::MAX_REQUEST_BYTES,
        ))
        .layer(axum::middleware::from_fn(log_request))
        .with_state(state)
}
