//! Bình An server: a blind, durable relay for end-to-end encrypted case
//! events, device enrolment and case teams, the signed shelter directory,
//! and de-identified statistics with the annual report.
//!
//! It never holds a key that opens a case.

pub mod api;
pub mod auth;
pub mod demo;
pub mod error;
pub mod intake;
pub mod storage;

use api::{AppState, RateLimiter};
use std::sync::Arc;
use storage::Storage;

/// Limits and settings of a running server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Requests a device may burst.
    pub rate_burst: u32,
    /// Requests per minute a device may average.
    pub rate_per_minute: u32,
    /// Requests made before a device has a token (enrol, challenge, token)
    /// one client address may burst.
    pub address_rate_burst: u32,
    /// Such requests per minute one client address may average.
    pub address_rate_per_minute: u32,
    /// Proxies in front of the server (terminating TLS) whose
    /// `X-Forwarded-For` names the client; without them, every client
    /// behind a proxy counts as the proxy's address.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Zero bits of the proof of work an online report needs (see
    /// `intake::challenge`).
    pub intake_difficulty: u8,
}

impl Default for ServerConfig {
    /// Per address, as much as per device: a sync session starts with two
    /// requests (challenge, token), and a carrier's NAT may put the phones
    /// of many communes behind one address, so an address's allowance must
    /// carry many devices' sessions (600 a minute is 300 sessions), while
    /// it still stops one address flooding the door. Loopback has no
    /// higher allowance: a TLS proxy on the same machine would share it
    /// (name it in `trusted_proxies` instead); benchmarks that enrol
    /// hundreds of devices from one address raise the limit.
    fn default() -> Self {
        Self {
            rate_burst: 120,
            rate_per_minute: 600,
            address_rate_burst: 120,
            address_rate_per_minute: 600,
            trusted_proxies: Vec::new(),
            intake_difficulty: intake::challenge::DEFAULT_DIFFICULTY,
        }
    }
}

/// Connections the kernel may hold for the server before it accepts them
/// (capped by the system's `somaxconn`).
pub const LISTEN_BACKLOG: u32 = 4096;

/// Listens on `address` (`host:port`) with a backlog of [`LISTEN_BACKLOG`].
/// The usual 128 is too few when a commune's phones come back into coverage
/// together: the kernel drops the connections past it, and each phone tries
/// again only after a second or more.
pub async fn listen(address: &str) -> std::io::Result<tokio::net::TcpListener> {
    let mut last_error = None;
    for candidate in tokio::net::lookup_host(address).await? {
        let socket = if candidate.is_ipv4() {
            tokio::net::TcpSocket::new_v4()?
        } else {
            tokio::net::TcpSocket::new_v6()?
        };
        #[cfg(unix)]
        socket.set_reuseaddr(true)?;
        match socket.bind(candidate) {
            Ok(()) => return socket.listen(LISTEN_BACKLOG),
            Err(error) => last_error = Some(error),
        }
    }
    Err(last_error.unwrap_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the address resolves to nothing",
        )
    }))
}

/// The API over `storage` with the limits of `config`: what [`serve`]
/// serves (tests may also hand requests to it directly).
pub async fn router<S: Storage>(storage: S, config: ServerConfig) -> error::Result<axum::Router> {
    let state = AppState {
        secret: storage.server_secret().await?,
        storage,
        limiter: Arc::new(RateLimiter::new(config.rate_burst, config.rate_per_minute)),
        address_limiter: Arc::new(RateLimiter::new(
            config.address_rate_burst,
            config.address_rate_per_minute,
        )),
        trusted_proxies: config.trusted_proxies.into(),
        intake_difficulty: config
            .intake_difficulty
            .min(intake::challenge::MAX_DIFFICULTY),
        cpu_slots: Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(2, |n| n.get()),
        )),
        enrolled: Arc::default(),
    };
    Ok(api::router(state))
}

/// Serves the API on `listener` until `shutdown` resolves.
pub async fn serve<S: Storage>(
    storage: S,
    listener: tokio::net::TcpListener,
    config: ServerConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> error::Result<()> {
    let router = router(storage, config).await?;
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "server stopped");
            error::ServerError::internal()
        })
}

#[cfg(test)]
mod tests {
    use super::listen;
    use std::time::Duration;

    /// A crowd of phones connecting at once is queued, not dropped: 300
    /// connections complete while the server accepts none of them (past a
    /// full queue the kernel drops the handshake, and the phone's connect
    /// would wait for its retry, a second later).
    #[tokio::test]
    async fn a_crowd_of_connections_waits_in_the_backlog() {
        let listener = listen("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let connected = tokio::task::spawn_blocking(move || {
            (0..300)
                .map(|_| std::net::TcpStream::connect_timeout(&address, Duration::from_millis(500)))
                .collect::<std::io::Result<Vec<_>>>()
        })
        .await
        .unwrap();
        assert_eq!(connected.expect("every connection is queued").len(), 300);
        drop(listener);
    }
}
