//! The database a test or benchmark server runs on, and how the server is
//! told which. The sync benchmarks include this file too (by path), so that
//! both start servers the same way.

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
