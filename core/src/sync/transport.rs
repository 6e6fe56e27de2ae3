//! HTTP to the sync server: binary bodies, bearer tokens, clear errors, and
//! counts of round trips and bytes (what a 2G link pays for).

use super::wire::{decode, encode, ErrorBody, CONTENT_TYPE};
use crate::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Round trips and bytes moved by one [`Transport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct TrafficCounts {
    /// HTTP requests made (each one round trip).
    pub round_trips: u64,
    /// Request bytes (bodies and headers) sent.
    pub bytes_sent: u64,
    /// Response bytes (bodies and headers) received.
    pub bytes_received: u64,
}

/// Rough size of HTTP/1.1 request and response headers, counted per trip.
const HEADER_OVERHEAD: u64 = 200;

/// A connection to one sync server.
#[derive(Debug, Clone)]
pub struct Transport {
    base: String,
    http: reqwest::Client,
    round_trips: Arc<AtomicU64>,
    sent: Arc<AtomicU64>,
    received: Arc<AtomicU64>,
}

fn tls_config() -> Result<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Network(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// An HTTP client with rustls (ring) and the Mozilla root certificates,
/// and timeouts that suit a slow mountain link.
pub fn http_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .use_preconfigured_tls(tls_config()?)
        .connect_timeout(Duration::from_secs(20))
        .timeout(Duration::from_secs(120))
        .build()
        .map_err(|e| Error::Network(e.to_string()))
}

impl Transport {
    /// A transport to `base_url` (e.g. `https://sync.example.vn`).
    pub fn new(base_url: &str) -> Result<Self> {
        let base = base_url.trim_end_matches('/').to_string();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(Error::invalid(
                "server_url",
                "must start with https:// or http://",
            ));
        }
        let http = http_client()?;
        Ok(Self {
            base,
            http,
            round_trips: Arc::default(),
            sent: Arc::default(),
            received: Arc::default(),
        })
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Round trips and bytes so far.
    pub fn counts(&self) -> TrafficCounts {
        TrafficCounts {
            round_trips: self.round_trips.load(Ordering::Relaxed),
            bytes_sent: self.sent.load(Ordering::Relaxed),
            bytes_received: self.received.load(Ordering::Relaxed),
        }
    }

    /// POSTs `request` to `path` and decodes the answer.
    pub async fn post<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        request: &Req,
    ) -> Result<Resp> {
        let bytes = self.post_for_bytes(path, token, request).await?;
        decode(&bytes).map_err(|e| Error::Network(format!("bad response: {e}")))
    }

    /// POSTs `request` to `path` and returns the answer's body as it is
    /// (for files, such as a report workbook).
    pub async fn post_for_bytes<Req: Serialize>(
        &self,
        path: &str,
        token: Option<&str>,
        request: &Req,
    ) -> Result<Vec<u8>> {
        let body = encode(request);
        let mut builder = self
            .http
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::CONTENT_TYPE, CONTENT_TYPE)
            .header(reqwest::header::ACCEPT, CONTENT_TYPE);
        if let Some(token) = token {
            builder = builder.bearer_auth(token);
        }
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        self.sent
            .fetch_add(body.len() as u64 + HEADER_OVERHEAD, Ordering::Relaxed);
        let response = builder
            .body(body)
            .send()
            .await
            .map_err(|e| Error::Network(network_reason(&e)))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Error::Network(network_reason(&e)))?;
        self.received
            .fetch_add(bytes.len() as u64 + HEADER_OVERHEAD, Ordering::Relaxed);
        if status.is_success() {
            return Ok(bytes.to_vec());
        }
        let error: Option<ErrorBody> = serde_json::from_slice(&bytes).ok();
        if error.as_ref().is_some_and(|e| e.erase) {
            return Err(Error::Revoked);
        }
        let (code, reason) = error.map(|e| (e.error, e.reason)).unwrap_or_else(|| {
            (
                "http".into(),
                status.canonical_reason().unwrap_or("error").into(),
            )
        });
        Err(Error::Refused {
            status: status.as_u16(),
            code,
            reason,
        })
    }
}

/// A network error's kind, without the URL (which is not secret, but noisy).
fn network_reason(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else if e.is_body() || e.is_decode() {
        "connection broken while reading".into()
    } else {
        "request failed".into()
    }
}
