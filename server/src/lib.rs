//! Bình An server: a blind, durable relay for end-to-end encrypted case
//! events, device enrolment and case teams, the signed shelter directory,
//! and de-identified statistics with the annual report.
//!
//! It never holds a key that opens a case.

pub mod api;
pub mod auth;
pub mod demo;
pub mod error;
pub mod report;
pub mod storage;

use api::{AppState, RateLimiter};
use std::sync::Arc;
use storage::Storage;

/// Limits and settings of a running server.
#[derive(Debug, Clone, Copy)]
pub struct ServerConfig {
    /// Requests a device may burst.
    pub rate_burst: u32,
    /// Requests per minute a device may average.
    pub rate_per_minute: u32,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            rate_burst: 120,
            rate_per_minute: 600,
        }
    }
}

/// Serves the API on `listener` until `shutdown` resolves.
pub async fn serve<S: Storage>(
    storage: S,
    listener: tokio::net::TcpListener,
    config: ServerConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> error::Result<()> {
    let state = AppState {
        secret: storage.server_secret().await?,
        storage,
        limiter: Arc::new(RateLimiter::new(config.rate_burst, config.rate_per_minute)),
        cpu_slots: Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(2, |n| n.get()),
        )),
    };
    axum::serve(listener, api::router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "server stopped");
            error::ServerError::internal()
        })
}
