//! Shared by the sync benchmarks: a real `binhan-server` process on
//! loopback (SQLite or PostgreSQL), phones with fast vaults, a counting TCP
//! proxy that measures what crosses the wire, and small statistics helpers.
//! Synthetic data only.
#![allow(dead_code)]

use binhan_core::app::Vault;
use binhan_core::sync::wire::{decode, encode, CONTENT_TYPE};
use binhan_testkit::vault::fast_vault;
use std::collections::BTreeMap;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[path = "../../tests/api/support/backend.rs"]
mod backend;
pub use backend::Backend;

impl Backend {
    /// A fresh database on the cluster whose admin URL is `admin`.
    pub async fn postgres(admin: &str) -> Self {
        Self::postgres_on(admin, "binhan_bench").await
    }

    /// Short name for reports.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// A sqlx URL for reading the server's tables directly (read-only on
    /// SQLite).
    pub fn sqlx_url(&self) -> String {
        match self {
            Self::Sqlite(_) => format!("{}?mode=ro", self.database_url()),
            Self::Postgres(url) => url.clone(),
        }
    }
}

/// Runs a benchmark to the end on a runtime with two worker threads, the
/// same for both sync benchmarks so that their timings compare.
pub fn block_on(benchmark: impl std::future::Future<Output = ()>) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(benchmark);
}

/// A running server process, killed when dropped.
pub struct Server {
    child: Child,
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    /// The database it runs on.
    pub backend: Backend,
}

/// Rate limits high enough that a benchmark never meets them.
pub const NO_RATE_LIMIT: &[&str] = &[
    "--rate-burst",
    "1000000",
    "--rate-per-minute",
    "100000000",
    "--address-rate-burst",
    "1000000",
    "--address-rate-per-minute",
    "100000000",
];

impl Server {
    /// Starts `binhan-server serve` on a free loopback port.
    pub fn start(backend: Backend, extra: &[&str]) -> Self {
        let level = std::env::var("BINHAN_BENCH_SERVER_LOG").unwrap_or_else(|_| "warn".into());
        let (child, url) = backend.serve(
            "127.0.0.1:0",
            extra,
            &[("RUST_LOG", level)],
            Stdio::inherit(),
        );
        Self {
            child,
            url,
            backend,
        }
    }

    /// A one-time code for the first provincial officer.
    pub fn bootstrap_officer(&self) -> String {
        self.backend.bootstrap_officer()
    }

    /// The server's process id (to read its CPU time).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU seconds (user + system) a process has used so far, from /proc.
pub fn process_cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// CPU seconds used so far by every running process named `name` (such as
/// `postgres`: its server and each connection's backend).
pub fn named_processes_cpu_seconds(name: &str) -> f64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|comm| comm.trim_end() == name)
        })
        .filter_map(process_cpu_seconds)
        .sum()
}

/// A phone: a vault in a temporary folder.
pub struct Phone {
    /// The app core.
    pub app: Vault,
    _dir: tempfile::TempDir,
}

impl Phone {
    /// A new phone with an empty vault.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let app =
            Vault::create(&dir.path().join("vault"), "493817", fast_vault()).expect("a vault");
        Self { app, _dir: dir }
    }

    /// A new phone enrolled at `url` with `code`.
    pub async fn enrolled(url: &str, code: &str) -> Self {
        let phone = Self::new();
        phone
            .app
            .enrol(url, code, "synthetic bench phone")
            .await
            .expect("enrolment");
        phone
    }
}

/// Round trips and bytes of one endpoint, as seen on the wire.
#[derive(Debug, Clone, Copy, Default)]
pub struct WireCounts {
    /// HTTP requests.
    pub requests: u64,
    /// Bytes from client to server (request lines, headers and bodies).
    pub sent: u64,
    /// Bytes from server to client.
    pub received: u64,
}

#[derive(Default)]
struct ProxyState {
    by_path: BTreeMap<String, WireCounts>,
}

/// A TCP proxy on loopback that forwards to a server and counts every byte
/// each way, attributed to the request path that was last seen on the
/// connection (HTTP/1.1 without pipelining: one request at a time).
#[derive(Clone)]
pub struct CountingProxy {
    /// Base URL to give clients.
    pub url: String,
    state: Arc<Mutex<ProxyState>>,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

impl CountingProxy {
    /// Starts a proxy in front of `upstream` (`http://127.0.0.1:PORT`).
    pub async fn start(upstream: &str) -> Self {
        let target = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let state = Arc::new(Mutex::new(ProxyState::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = tokio::net::TcpStream::connect(&target).await else {
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                tokio::spawn(Self::relay(client, server, shared.clone()));
            }
        });
        Self { url, state }
    }

    async fn relay(
        client: tokio::net::TcpStream,
        server: tokio::net::TcpStream,
        state: Arc<Mutex<ProxyState>>,
    ) {
        let path = Arc::new(Mutex::new(String::from("(connect)")));
        let (mut client_read, mut client_write) = client.into_split();
        let (mut server_read, mut server_write) = server.into_split();
        let (up_state, up_path) = (state.clone(), path.clone());
        let upstream = async move {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match client_read.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let chunk = &buf[..n];
                // A new request starts with its request line.
                for method in [&b"POST /"[..], &b"GET /"[..], &b"PUT /"[..]] {
                    if chunk.starts_with(method) {
                        let line_end = find(chunk, b" HTTP/").unwrap_or(chunk.len().min(80));
                        let line = String::from_utf8_lossy(&chunk[..line_end]).to_string();
                        *up_path.lock().unwrap() = line.clone();
                        up_state
                            .lock()
                            .unwrap()
                            .by_path
                            .entry(line)
                            .or_default()
                            .requests += 1;
                    }
                }
                let key = up_path.lock().unwrap().clone();
                up_state
                    .lock()
                    .unwrap()
                    .by_path
                    .entry(key)
                    .or_default()
                    .sent += n as u64;
                if server_write.write_all(chunk).await.is_err() {
                    break;
                }
            }
            let _ = server_write.shutdown().await;
        };
        let downstream = async move {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match server_read.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let key = path.lock().unwrap().clone();
                state
                    .lock()
                    .unwrap()
                    .by_path
                    .entry(key)
                    .or_default()
                    .received += n as u64;
                if client_write.write_all(&buf[..n]).await.is_err() {
                    break;
                }
            }
            let _ = client_write.shutdown().await;
        };
        tokio::join!(upstream, downstream);
    }

    /// Forgets everything counted so far.
    pub fn reset(&self) {
        self.state.lock().unwrap().by_path.clear();
    }

    /// Counts by request line (`POST /v1/sync/pull`).
    pub fn by_path(&self) -> BTreeMap<String, WireCounts> {
        self.state.lock().unwrap().by_path.clone()
    }

    /// Totals over every path.
    pub fn total(&self) -> WireCounts {
        self.by_path()
            .values()
            .fold(WireCounts::default(), |a, c| WireCounts {
                requests: a.requests + c.requests,
                sent: a.sent + c.sent,
                received: a.received + c.received,
            })
    }
}

/// The `q`-quantile (0..=1) of `sorted` values (nearest rank).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

#[allow(unused_imports)] // (not every benchmark draws random numbers)
pub use binhan_testkit::Rng;

/// Arguments after the benchmark name, without the `--bench` flag that
/// `cargo bench` adds.
pub fn args() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect()
}

/// The value of `--name VALUE` in `args`, if given.
pub fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// One HTTP call of the protocol; returns the decoded answer.
pub async fn call<Req: serde::Serialize, Resp: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
    path: &str,
    token: Option<&str>,
    request: &Req,
) -> Result<Resp, String> {
    let mut builder = http
        .post(format!("{url}{path}"))
        .header(reqwest::header::CONTENT_TYPE, CONTENT_TYPE)
        .header(reqwest::header::ACCEPT, CONTENT_TYPE)
        .body(encode(request));
    if let Some(token) = token {
        builder = builder.bearer_auth(token);
    }
    let response = builder
        .send()
        .await
        .map_err(|e| format!("{path}: network: {e}"))?;
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| format!("{path}: body: {e}"))?;
    if !status.is_success() {
        return Err(format!(
            "{path}: HTTP {status}: {}",
            String::from_utf8_lossy(&bytes)
        ));
    }
    decode(&bytes).map_err(|e| format!("{path}: {e}"))
}

/// Enrols a new simulated device (fresh keys) with invitation `code`: its
/// keys, the server's answer, and the province's root it was certified
/// under (checked as the app checks it).
pub async fn enrol_new(
    url: &str,
    code: &str,
) -> (
    binhan_core::sync::DeviceIdentity,
    binhan_core::sync::wire::Enrolled,
    [u8; 32],
) {
    let identity =
        binhan_core::sync::DeviceIdentity::generate(binhan_core::model::DeviceId::random());
    let request = binhan_core::sync::enrol_request(&identity, code, "simulated bench device");
    let enrolled: binhan_core::sync::wire::Enrolled =
        call(&client(), url, "/v1/enrol", None, &request)
            .await
            .expect("enrolment");
    let root = binhan_core::sync::check_enrolled(code, &request.device, &enrolled)
        .expect("a certificate back to the root");
    (identity, enrolled, root)
}

/// Registers an invitation made by a simulated device (`by`, with its
/// token and root) and returns its code.
pub async fn invite_with(
    url: &str,
    by: &binhan_core::sync::DeviceIdentity,
    token: &str,
    root: [u8; 32],
    role: binhan_core::model::Role,
    commune: &str,
) -> String {
    let (invitation, request) =
        binhan_core::sync::invitation_request(by, root, role, commune, None, 24)
            .expect("an invitation");
    let () = call(&client(), url, "/v1/invitations", Some(token), &request)
        .await
        .expect("invitation");
    invitation.code
}

/// An HTTP client as the app's.
pub fn client() -> reqwest::Client {
    binhan_core::sync::http_client().expect("an HTTP client")
}
