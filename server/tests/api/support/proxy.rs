//! A TCP proxy on loopback that cuts connections at random points, in
//! either direction, to test that a sync cut anywhere loses nothing.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A running proxy; stops when dropped.
pub struct FaultProxy {
    /// URL to give clients instead of the server's.
    pub url: String,
    faults: Arc<AtomicBool>,
    /// Connections cut so far.
    pub cuts: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

fn next(seed: &AtomicU64) -> u64 {
    let mut x = seed.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

impl FaultProxy {
    /// Proxies to `target` (`http://host:port`).
    pub async fn start(target: &str, seed: u64) -> Self {
        let target = target.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let faults = Arc::new(AtomicBool::new(false));
        let cuts = Arc::new(AtomicU64::new(0));
        let rng = Arc::new(AtomicU64::new(seed));
        let (f, c) = (faults.clone(), cuts.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let target = target.clone();
                // Cut after a random number of bytes in one direction. Kept-alive
                // connections carry several requests, so some syncs finish and
                // most are cut somewhere.
                let plan = if f.load(Ordering::Relaxed) {
                    let r = next(&rng);
                    if r % 2 == 0 {
                        Some((true, r / 2 % 4_000))
                    } else {
                        Some((false, r / 2 % 40_000))
                    }
                } else {
                    None
                };
                let cuts = c.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(&target).await else {
                        return;
                    };
                    let (mut cr, mut cw) = client.into_split();
                    let (mut sr, mut sw) = server.into_split();
                    let up_limit = match plan {
                        Some((true, n)) => n,
                        _ => u64::MAX,
                    };
                    let down_limit = match plan {
                        Some((false, n)) => n,
                        _ => u64::MAX,
                    };
                    let up = async move {
                        let _ = pipe(&mut cr, &mut sw, up_limit).await;
                    };
                    let down = async move {
                        let _ = pipe(&mut sr, &mut cw, down_limit).await;
                    };
                    tokio::select! { _ = up => {}, _ = down => {} }
                    if plan.is_some() {
                        cuts.fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
        });
        Self {
            url,
            faults,
            cuts,
            task,
        }
    }

    /// Starts or stops cutting connections.
    pub fn set_faults(&self, on: bool) {
        self.faults.store(on, Ordering::Relaxed);
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Copies until EOF or `limit` bytes, then stops (dropping both halves
/// closes the connection abruptly).
async fn pipe(
    from: &mut tokio::net::tcp::OwnedReadHalf,
    to: &mut tokio::net::tcp::OwnedWriteHalf,
    limit: u64,
) -> std::io::Result<()> {
    let mut buf = vec![0u8; 16 * 1024];
    let mut sent = 0u64;
    loop {
        let n = from.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        let allowed = (limit - sent).min(n as u64) as usize;
        to.write_all(&buf[..allowed]).await?;
        sent += allowed as u64;
        if sent >= limit {
            return Ok(());
        }
    }
}
