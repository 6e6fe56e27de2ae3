//! `binhan console`: the Bình An screens in a local web browser, over one
//! person's own vault, for commune case managers and the provincial office
//! at a desk (and anyone who wants to click through the app on Linux).
//!
//! The console renders the view models of `binhan-ui` as HTML on the
//! server (this process) and the page sends back what the person did:
//! nothing is decided in the browser. It listens on 127.0.0.1 only, on a
//! free port, and prints a one-time address; the first request with the
//! token gets a session cookie (HttpOnly, SameSite=Strict) and every other
//! request needs it, from the console's own origin. Every asset is served
//! from the binary under a strict Content-Security-Policy. The vault's keys
//! stay in this process; a sync server still sees only ciphertext.
//!
//! See `docs/console.md`.

mod guard;
mod render;
mod routes;
mod shell;

use binhan_ui::{AppCore, Options};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

/// A running console.
pub struct Console {
    /// Where it listens (127.0.0.1 and the port the system gave).
    pub addr: SocketAddr,
    /// The one-time address to open: it carries the token.
    pub url: String,
    server: tokio::task::JoinHandle<()>,
}

impl Console {
    /// Starts a console over the vault directory `dir` on a free port of
    /// 127.0.0.1, in the current tokio runtime.
    pub async fn start(dir: PathBuf, options: Options) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let shell = Arc::new(shell::ConsoleShell::default());
        let core = Arc::new(AppCore::new(dir, options, shell.clone()));
        let state = Arc::new(routes::Console::new(core, shell, addr));
        let url = format!("http://{addr}/open/{}", state.guard.token());
        let app = routes::router(state);
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "the console stopped");
            }
        });
        Ok(Self { addr, url, server })
    }

    /// Serves until the process is stopped.
    pub async fn wait(mut self) {
        let _ = (&mut self.server).await;
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        self.server.abort();
    }
}
