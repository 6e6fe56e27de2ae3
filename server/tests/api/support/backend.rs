//! The database a test or benchmark server runs on, how the server is told
//! which, and how its process is started. The sync benchmarks include this
//! file too (by path), so that both start servers the same way.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Which database the server runs on.
pub enum Backend {
    /// Embedded SQLite in a data folder.
    Sqlite(tempfile::TempDir),
    /// A fresh database on a PostgreSQL cluster.
    Postgres(String),
}

impl Backend {
    /// A fresh SQLite data folder.
    pub fn sqlite() -> Self {
        Self::Sqlite(tempfile::tempdir().expect("a temporary folder"))
    }

    /// A fresh database, named `prefix` and a random suffix, on the cluster
    /// whose admin URL is `admin`.
    pub async fn postgres_on(admin: &str, prefix: &str) -> Self {
        use sqlx::Connection;
        let name = format!("{prefix}_{}", binhan_core::model::EventId::random());
        let mut conn = sqlx::PgConnection::connect(admin)
            .await
            .expect("PostgreSQL answers");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("CREATE DATABASE");
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
        Self::Postgres(format!("{base}/{name}"))
    }

    /// Command-line arguments selecting this database.
    pub fn args(&self) -> Vec<String> {
        match self {
            Self::Sqlite(dir) => vec!["--data".into(), dir.path().display().to_string()],
            Self::Postgres(url) => vec!["--database-url".into(), url.clone()],
        }
    }

    /// The server database's URL, for reading or altering it directly.
    pub fn database_url(&self) -> String {
        match self {
            Self::Sqlite(dir) => {
                format!("sqlite://{}", dir.path().join("binhan-server.db").display())
            }
            Self::Postgres(url) => url.clone(),
        }
    }
}

impl Backend {
    /// Starts `binhan-server serve` on this database, listening on `listen`
    /// with `extra` arguments and `env`, its log (stderr) going to `log`;
    /// returns the process and its base URL, read from the first line it
    /// prints.
    pub fn serve(
        &self,
        listen: &str,
        extra: &[&str],
        env: &[(&str, String)],
        log: Stdio,
    ) -> (Child, String) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_binhan-server"))
            .arg("serve")
            .args(self.args())
            .args(["--listen", listen])
            .args(extra)
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the server prints its address");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .expect("the server prints its address")
            .to_string();
        (child, url)
    }

    /// A one-time code for the first provincial officer on this database.
    pub fn bootstrap_officer(&self) -> String {
        self.bootstrap(&[]).expect("bootstrap-officer failed")
    }

    /// Runs `binhan-server bootstrap-officer` with `extra` arguments: the
    /// code it prints, or what it said on standard error.
    pub fn bootstrap(&self, extra: &[&str]) -> Result<String, String> {
        let output = Command::new(env!("CARGO_BIN_EXE_binhan-server"))
            .arg("bootstrap-officer")
            .args(self.args())
            .args(extra)
            .env("RUST_LOG", "warn")
            .output()
            .expect("bootstrap-officer runs");
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned());
        }
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        Ok(json["code"].as_str().expect("a code").to_string())
    }
}
