//! `binhan-server`: the Bình An sync and reporting server.

use binhan_server::api::{bootstrap_invitation, PROVINCE};
use binhan_server::storage::SqlStorage;
use binhan_server::ServerConfig;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::sync::Arc;
use tracing_subscriber::fmt::MakeWriter;

/// Bình An server: blind sync relay, device enrolment, reports.
#[derive(Parser)]
#[command(name = "binhan-server", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Database {
    /// Data folder for the embedded SQLite database (the default).
    #[arg(long, env = "BINHAN_DATA", default_value = "binhan-data")]
    data: PathBuf,
    /// PostgreSQL URL (postgres://…); when set, used instead of --data.
    #[arg(long, env = "BINHAN_DATABASE_URL")]
    database_url: Option<String>,
}

impl Database {
    async fn open(&self) -> Result<SqlStorage, String> {
        let result = match &self.database_url {
            Some(url) => SqlStorage::connect(url).await,
            None => SqlStorage::open_folder(&self.data).await,
        };
        result.map_err(|e| format!("cannot open the database: {}", e.reason))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API.
    Serve {
        #[command(flatten)]
        database: Database,
        /// Address to listen on.
        #[arg(long, env = "BINHAN_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Requests a device may burst.
        #[arg(long, default_value_t = ServerConfig::default().rate_burst)]
        rate_burst: u32,
        /// Requests per minute a device may average.
        #[arg(long, default_value_t = ServerConfig::default().rate_per_minute)]
        rate_per_minute: u32,
        /// Requests before a token (enrol, challenge, token) one client
        /// address may burst.
        #[arg(long, default_value_t = ServerConfig::default().address_rate_burst)]
        address_rate_burst: u32,
        /// Requests before a token per minute one client address may average.
        #[arg(long, default_value_t = ServerConfig::default().address_rate_per_minute)]
        address_rate_per_minute: u32,
        /// A proxy in front of the server (e.g. terminating TLS) whose
        /// X-Forwarded-For names the client (repeat for several).
        #[arg(long = "trusted-proxy")]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// Zero bits of the proof of work an online report needs (each
        /// bit doubles a submission's cost in the browser).
        #[arg(long, default_value_t = ServerConfig::default().intake_difficulty,
              value_parser = clap::value_parser!(u8).range(0..=32))]
        intake_difficulty: u8,
    },
    /// Run the whole system on this machine with synthetic data: a server
    /// with embedded SQLite, several phones enrolling, recording and editing
    /// cases offline, syncing and converging; ends by writing the annual
    /// report workbook (kept in the demo folder, whose path it prints).
    Demo {
        /// Keep the demo's data in this folder (default: a temporary one).
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// Print a one-time invitation code for the first provincial officer.
    BootstrapOfficer {
        #[command(flatten)]
        database: Database,
        /// Hours the code stays valid.
        #[arg(long, default_value_t = 24)]
        valid_hours: u32,
        /// Replace the province's root: devices enrolled under the old one
        /// will trust no device of the new one, and the new officer will
        /// read nothing recorded before.
        #[arg(long)]
        replace_root: bool,
    },
}

/// Logs to `writer`: standard error when serving, a file for the demo (then
/// without colour codes).
fn init_logs<W>(writer: W, to_file: bool)
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let json = std::env::var("BINHAN_LOG_FORMAT").is_ok_and(|f| f == "json");
    let mut builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    if to_file {
        builder = builder.with_ansi(false);
    }
    if json {
        builder.json().init();
    } else {
        builder.compact().init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

async fn run(command: Command) -> Result<(), String> {
    // The demo logs to a file in its folder (see `demo`).
    if !matches!(command, Command::Demo { .. }) {
        init_logs(std::io::stderr, false);
    }
    match command {
        Command::Serve {
            database,
            listen,
            rate_burst,
            rate_per_minute,
            address_rate_burst,
            address_rate_per_minute,
            trusted_proxies,
            intake_difficulty,
        } => {
            let storage = database.open().await?;
            let listener = binhan_server::listen(&listen)
                .await
                .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
            let address = listener.local_addr().map_err(|e| e.to_string())?;
            tracing::info!(%address, postgres = storage.is_postgres(), "serving");
            // Tests and scripts read the bound address from the first line.
            println!("listening on http://{address}");
            // What the public intake page (/r) serves, to compare with what
            // was published and audited (docs/security.md). In the log only:
            // a reader of the first line may close standard output.
            let [page, script, style] = binhan_server::intake::page::fingerprints();
            tracing::info!(%page, %script, %style, "online intake page (/r) SHA-256");
            binhan_server::serve(
                storage,
                listener,
                ServerConfig {
                    rate_burst,
                    rate_per_minute,
                    address_rate_burst,
                    address_rate_per_minute,
                    trusted_proxies,
                    intake_difficulty,
                },
                shutdown_signal(),
            )
            .await
            .map_err(|e| e.reason)
        }
        Command::Demo { keep } => demo(keep).await,
        Command::BootstrapOfficer {
            database,
            valid_hours,
            replace_root,
        } => {
            let storage = database.open().await?;
            let invitation = bootstrap_invitation(&storage, valid_hours, replace_root)
                .await
                .map_err(|e| e.reason)?;
            println!(
                "{}",
                serde_json::json!({"code": invitation.code, "role": "provincial_officer", "commune": PROVINCE, "expires_at_ms": invitation.expires_at.timestamp_millis()})
            );
            Ok(())
        }
    }
}

/// Runs the demo in `keep` (default: a temporary folder), its logs in a
/// file there, keeps its whole report there as JSON, and prints a summary.
async fn demo(keep: Option<PathBuf>) -> Result<(), String> {
    let temp = std::env::temp_dir().join(format!("binhan-demo-{}", std::process::id()));
    let dir = keep.clone().unwrap_or(temp);
    let log = dir.join("server.log");
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::File::create(&log))
        .map(|file| init_logs(Arc::new(file), true))
        .map_err(|e| format!("cannot create the demo's log {}: {e}", log.display()))?;
    let result = binhan_server::demo::run(&dir).await;
    if keep.is_none() {
        binhan_server::demo::remove_data(&dir);
    }
    let report = result.map_err(|e| format!("{e} (its log: {})", log.display()))?;
    let details = dir.join("demo.json");
    let json = serde_json::to_string_pretty(&report).unwrap_or_default();
    std::fs::write(&details, json)
        .map_err(|e| format!("cannot write {}: {e}", details.display()))?;
    print!("{}", binhan_server::demo::summary(&report, &details, &log));
    Ok(())
}

#[tokio::main]
async fn main() {
    if let Err(message) = run(Cli::parse().command).await {
        eprintln!("binhan-server: {message}");
        std::process::exit(1);
    }
}
