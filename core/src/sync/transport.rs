//! How the device reaches the sync server: the [`Transport`] trait that
//! moves request bytes to a path and brings back the answer's bytes, the
//! HTTP one ([`HttpTransport`]: binary bodies, bearer tokens, clear errors)
//! and the counts of round trips and bytes (what a 2G link pays for).

use super::wire::{decode, encode, ErrorBody, CONTENT_TYPE};
use crate::error::Rule;
use crate::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Round trips and bytes moved by one [`Transport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TrafficCounts {
    /// HTTP requests made (each one round trip).
    pub round_trips: u64,
    /// Request bytes (bodies and headers) sent.
    pub bytes_sent: u64,
    /// Response bytes (bodies and headers) received.
    pub bytes_received: u64,
}

impl TrafficCounts {
    /// What was moved since `earlier` counts of the same transport.
    pub fn since(self, earlier: TrafficCounts) -> TrafficCounts {
        TrafficCounts {
            round_trips: self.round_trips.saturating_sub(earlier.round_trips),
            bytes_sent: self.bytes_sent.saturating_sub(earlier.bytes_sent),
            bytes_received: self.bytes_received.saturating_sub(earlier.bytes_received),
        }
    }
}

/// Rough size of HTTP/1.1 request and response headers, counted per trip.
const HEADER_OVERHEAD: u64 = 200;

/// What a [`Transport`] call yields: the answer's body, or why there is none.
pub type TransportFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<u8>>> + Send + 'a>>;

/// A way to the sync server. Every protocol request is a POST of binary
/// bytes to a path under the server's base URL, with a bearer token once
/// the device has one.
pub trait Transport: Send + Sync {
    /// The server's base URL (recorded in the enrolment).
    fn base_url(&self) -> &str;

    /// POSTs `body` to `path` and returns the answer's body as it is; a
    /// refusal is [`Error::Refused`] (see [`TrafficMeter::answer`]), a
    /// broken link [`Error::Network`].
    fn post_bytes<'a>(
        &'a self,
        path: &'a str,
        token: Option<&'a str>,
        body: Vec<u8>,
    ) -> TransportFuture<'a>;

    /// Round trips and bytes so far.
    fn counts(&self) -> TrafficCounts;
}

impl dyn Transport + '_ {
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
        self.post_bytes(path, token, encode(request)).await
    }
}

/// The error of an answer with a failure `status`: [`Error::Refused`] with
/// the body's code and reason (or `http` and `fallback_reason` when the
/// body is not an error). A body saying "revoked, erase" is a refusal like
/// any other: only a signed revocation erases a device (see
/// [`super::revocation`]).
fn refusal(status: u16, fallback_reason: &str, body: &[u8]) -> Error {
    let error: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let (code, reason) = error
        .map(|e| (e.error, e.reason))
        .unwrap_or_else(|| ("http".into(), fallback_reason.into()));
    Error::Refused {
        status,
        code,
        reason,
    }
}

/// Counts round trips and bytes for a [`Transport`], headers included (a
/// rough [`HEADER_OVERHEAD`] a trip each way). Clones share the counts.
#[derive(Debug, Clone, Default)]
pub struct TrafficMeter {
    round_trips: Arc<AtomicU64>,
    sent: Arc<AtomicU64>,
    received: Arc<AtomicU64>,
}

impl TrafficMeter {
    /// Counts a request of `body_len` bytes going out (one round trip).
    pub fn request(&self, body_len: usize) {
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        self.sent
            .fetch_add(body_len as u64 + HEADER_OVERHEAD, Ordering::Relaxed);
    }

    /// Counts an answer with `status` and `body` coming in, and turns it
    /// into the body (a success) or its [`refusal`].
    pub fn answer(&self, status: u16, fallback_reason: &str, body: Vec<u8>) -> Result<Vec<u8>> {
        self.received
            .fetch_add(body.len() as u64 + HEADER_OVERHEAD, Ordering::Relaxed);
        if (200..300).contains(&status) {
            Ok(body)
        } else {
            Err(refusal(status, fallback_reason, &body))
        }
    }

    /// Round trips and bytes so far.
    pub fn counts(&self) -> TrafficCounts {
        TrafficCounts {
            round_trips: self.round_trips.load(Ordering::Relaxed),
            bytes_sent: self.sent.load(Ordering::Relaxed),
            bytes_received: self.received.load(Ordering::Relaxed),
        }
    }
}

/// A connection to one sync server over HTTP(S).
#[derive(Debug, Clone)]
pub struct HttpTransport {
    base: String,
    http: reqwest::Client,
    meter: TrafficMeter,
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

/// Checks that `server_url` may carry this device's tokens and case keys:
/// `https://`, or `http://` to this machine only (`localhost`, 127.0.0.0/8
/// or `[::1]`: tests, a server behind a local TLS terminator). The host is
/// the one the URL parser finds, as the HTTP client does (after any user
/// and password); `field` names what is refused.
pub fn check_server_url(server_url: &str, field: &str) -> Result<()> {
    let url =
        url::Url::parse(server_url).map_err(|_| Error::invalid(field, Rule::NotWebAddress))?;
    match url.scheme() {
        "https" if url.host().is_some() => Ok(()),
        "http" => match url.host() {
            Some(url::Host::Domain(name)) if name.eq_ignore_ascii_case("localhost") => Ok(()),
            Some(url::Host::Ipv4(ip)) if ip.is_loopback() => Ok(()),
            Some(url::Host::Ipv6(ip)) if ip.is_loopback() => Ok(()),
            Some(_) => Err(Error::invalid(field, Rule::PlainHttp)),
            None => Err(Error::invalid(field, Rule::NotWebAddress)),
        },
        _ => Err(Error::invalid(field, Rule::NotWebAddress)),
    }
}

impl HttpTransport {
    /// A transport to `base_url` (e.g. `https://sync.example.vn`).
    pub fn new(base_url: &str) -> Result<Self> {
        // Case keys and tokens cross this link.
        check_server_url(base_url, "server_url")?;
        let base = base_url.trim_end_matches('/').to_string();
        let http = http_client()?;
        Ok(Self {
            base,
            http,
            meter: TrafficMeter::default(),
        })
    }

    async fn post_body(&self, path: &str, token: Option<&str>, body: Vec<u8>) -> Result<Vec<u8>> {
        let mut builder = self
            .http
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::CONTENT_TYPE, CONTENT_TYPE)
            .header(reqwest::header::ACCEPT, CONTENT_TYPE);
        if let Some(token) = token {
            builder = builder.bearer_auth(token);
        }
        self.meter.request(body.len());
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
        let reason = status.canonical_reason().unwrap_or("error");
        self.meter.answer(status.as_u16(), reason, bytes.to_vec())
    }
}

impl Transport for HttpTransport {
    fn base_url(&self) -> &str {
        &self.base
    }

    fn post_bytes<'a>(
        &'a self,
        path: &'a str,
        token: Option<&'a str>,
        body: Vec<u8>,
    ) -> TransportFuture<'a> {
        Box::pin(self.post_body(path, token, body))
    }

    fn counts(&self) -> TrafficCounts {
        self.meter.counts()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Whoever sits on the network between a phone and a server reached by
    /// plain HTTP reads its tokens: only this machine may be reached so.
    #[test]
    fn plain_http_reaches_only_this_machine() {
        for refused in [
            "http://sync.example.vn",
            "http://10.0.0.2:8080/",
            "http://127.0.0.1.example.vn",
            "http://[2001:db8::1]:80",
            "http://sync.example.test",
            // The host is what follows the user and password.
            "http://127.0.0.1:80@sync.example.test/",
            "http://localhost:8080@sync.example.test",
            "http://[::1]@sync.example.test",
            "http://127.0.0.1%2F@sync.example.test",
        ] {
            match HttpTransport::new(refused) {
                Err(Error::Invalid { rule, .. }) => assert_eq!(rule, Rule::PlainHttp, "{refused}"),
                other => panic!("{refused}: {:?}", other.map(|t| t.base)),
            }
        }
        for allowed in [
            "https://sync.example.vn",
            "http://127.0.0.1:43583",
            "http://localhost:8080/",
            "http://[::1]:9000",
            "http://127.8.9.10:8080",
            "http://LOCALHOST:1",
            "http://user@127.0.0.1:8080",
            "https://sync.example.test:8443/base",
        ] {
            assert!(HttpTransport::new(allowed).is_ok(), "{allowed}");
        }
        assert!(matches!(
            HttpTransport::new("ftp://sync.example.vn"),
            Err(Error::Invalid {
                rule: Rule::NotWebAddress,
                ..
            })
        ));
    }
}
