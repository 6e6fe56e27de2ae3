//! The server inside the test process: binhan-server's real router over
//! SQLite in a temporary folder, and a [`Transport`] that hands each request
//! straight to it with `tower::ServiceExt::oneshot` (no socket, no HTTP).

use super::Phone;
use axum::body::Body;
use axum::http::{header, Request};
use binhan_core::sync::wire::CONTENT_TYPE;
use binhan_core::sync::{TrafficCounts, TrafficMeter, Transport, TransportFuture};
use binhan_core::{Error, Result};
use binhan_server::api::bootstrap_invitation;
use binhan_server::storage::SqlStorage;
use binhan_server::ServerConfig;
use std::sync::Arc;
use tower::ServiceExt;

/// Rate limits no test's syncs reach (as for the server processes).
const UNLIMITED: u32 = 100_000;

/// The base URL in-process phones record as their server.
pub const IN_PROCESS_URL: &str = "http://in-process.test";

/// A server state on a temporary SQLite folder, served in process.
pub struct InProcessServer {
    router: axum::Router,
    storage: SqlStorage,
    _dir: tempfile::TempDir,
}

impl InProcessServer {
    /// Opens a fresh SQLite folder and builds the router over it, with rate
    /// limits no test reaches.
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqlStorage::open_folder(dir.path()).await.unwrap();
        let config = ServerConfig {
            rate_burst: UNLIMITED,
            rate_per_minute: UNLIMITED,
            ..ServerConfig::default()
        };
        let router = binhan_server::router(storage.clone(), config)
            .await
            .unwrap();
        Self {
            router,
            storage,
            _dir: dir,
        }
    }

    /// A one-time code for the first provincial officer (what
    /// `binhan-server bootstrap-officer` prints).
    pub async fn bootstrap_officer(&self) -> String {
        bootstrap_invitation(&self.storage, 24, false)
            .await
            .unwrap()
            .code
    }

    /// A new transport to this server, with its own traffic counts.
    pub fn transport(&self) -> Arc<InProcessTransport> {
        Arc::new(InProcessTransport {
            router: self.router.clone(),
            meter: TrafficMeter::default(),
        })
    }

    /// A new phone whose every sync step goes to this server, enrolled
    /// with `code`; and its transport, to read the counts.
    pub async fn phone(&self, code: &str) -> (Phone, Arc<InProcessTransport>) {
        let phone = Phone::new();
        let transport = self.transport();
        phone.app.set_transport(Some(transport.clone()));
        phone
            .app
            .enrol(IN_PROCESS_URL, code, "synthetic in-process phone")
            .await
            .unwrap();
        (phone, transport)
    }
}

/// Requests handed to a server's router in the same process.
pub struct InProcessTransport {
    router: axum::Router,
    meter: TrafficMeter,
}

impl InProcessTransport {
    async fn handle(&self, path: &str, token: Option<&str>, body: Vec<u8>) -> Result<Vec<u8>> {
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, CONTENT_TYPE)
            .header(header::ACCEPT, CONTENT_TYPE);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.meter.request(body.len());
        let request = request
            .body(Body::from(body))
            .map_err(|_| Error::Network("request failed".into()))?;
        let response = match self.router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .map_err(|_| Error::Network("connection broken while reading".into()))?;
        let reason = status.canonical_reason().unwrap_or("error");
        self.meter.answer(status.as_u16(), reason, bytes.to_vec())
    }
}

impl Transport for InProcessTransport {
    fn base_url(&self) -> &str {
        IN_PROCESS_URL
    }

    fn post_bytes<'a>(
        &'a self,
        path: &'a str,
        token: Option<&'a str>,
        body: Vec<u8>,
    ) -> TransportFuture<'a> {
        Box::pin(self.handle(path, token, body))
    }

    fn counts(&self) -> TrafficCounts {
        self.meter.counts()
    }
}
