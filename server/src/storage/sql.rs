//! The storage in SQL, shared by SQLite and PostgreSQL through sqlx `Any`.

use super::group_commit::{store_group, DevicePush, GroupCommit};
use super::{Cursor, Enrolment, NewInvitation, Storage};
use crate::error::{Result, ServerError};
use binhan_core::model::DeviceId;
use binhan_core::shelters::roads::ChunkHash;
use binhan_core::shelters::wire::{
    DirectoryResponse, Mail, MailChunk, MailPushResponse, RoadManifestResponse, RoadPublishResponse,
};
use binhan_core::shelters::SignedPublication;
use binhan_core::stats::registry::{ProgrammeRegistries, RegistryCounts};
use binhan_core::stats::school_use::{SchoolInUse, UseMonth};
use binhan_core::stats::sealed::{SealedStat, StatSlot};
use binhan_core::sync::wire::{DeviceQuery, DeviceRecord, PullResponse, PushRequest, PushResponse};
use binhan_core::sync::wire::{OfficeKeyPublish, OfficeKeyResponse};
use binhan_core::sync::{DevicePublic, Revocation};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use std::sync::Arc;
use tokio::sync::OnceCell;

/// Rows per multi-row statement (well under both databases' limits on
/// bound parameters).
pub(super) const INSERT_ROWS: usize = 500;

/// How a generated statement writes its bound parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Params {
    /// `$1, $2, …` (PostgreSQL).
    Numbered,
    /// `?, ?, …`, bound in the order written (SQLite: it looks each `$n`
    /// up in a list, which is quadratic in a statement of many rows).
    InOrder,
}

impl Params {
    /// The style for PostgreSQL (`postgres`) or SQLite.
    pub(super) fn for_postgres(postgres: bool) -> Self {
        if postgres {
            Self::Numbered
        } else {
            Self::InOrder
        }
    }

    /// The style for `conn`'s database.
    pub(super) fn of(conn: &sqlx::AnyConnection) -> Self {
        Self::for_postgres(!conn.backend_name().eq_ignore_ascii_case("sqlite"))
    }

    /// Parameters `first ..= first + count - 1`, comma-separated. With
    /// [`Params::InOrder`] every parameter of the statement must be written
    /// in binding order.
    pub(super) fn list(self, first: usize, count: usize) -> String {
        (first..first + count)
            .map(|i| match self {
                Self::Numbered => format!("${i}"),
                Self::InOrder => "?".to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `head (…), (…) tail` with `rows` tuples of `columns` parameters each.
    pub(super) fn values(self, head: &str, rows: usize, columns: usize, tail: &str) -> String {
        let tuples: Vec<String> = (0..rows)
            .map(|r| format!("({})", self.list(1 + r * columns, columns)))
            .collect();
        format!("{head} {}{tail}", tuples.join(", "))
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The SQL storage.
#[derive(Clone)]
pub struct SqlStorage {
    pool: AnyPool,
    writer: GroupCommit,
    secret: Arc<OnceCell<[u8; 32]>>,
    postgres: bool,
}

pub(super) fn blob(row: &AnyRow, column: &str) -> Result<Vec<u8>> {
    Ok(row.try_get::<Vec<u8>, _>(column)?)
}

pub(super) fn int(row: &AnyRow, column: &str) -> Result<i64> {
    Ok(row.try_get::<i64, _>(column)?)
}

pub(super) fn corrupt(what: &str) -> ServerError {
    tracing::error!(kind = "storage", what, "stored row does not decode");
    ServerError::internal()
}

/// The rows of `select` (a query ending in the column to match) whose
/// column is one of `keys`, a page of keys per `IN (…)` query.
pub(super) async fn select_in(
    conn: &mut sqlx::AnyConnection,
    select: &str,
    keys: Vec<Vec<u8>>,
) -> Result<Vec<AnyRow>> {
    let mut rows = Vec::new();
    for page in keys.chunks(INSERT_ROWS) {
        let list = Params::of(conn).list(1, page.len());
        let mut query = sqlx::query(sqlx::AssertSqlSafe(format!("{select} IN ({list})")));
        for key in page {
            query = query.bind(key.clone());
        }
        rows.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(rows)
}

pub(super) fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    postcard::from_bytes(bytes).map_err(|_| corrupt(what))
}

/// An item of a pull's budgeted query, by its number: its stored size and
/// the item, or `None` past the budget (its body was not read).
pub(super) type Budgeted<T> = (u64, Option<(usize, T)>);

/// Whole items (bundles, team pages) a pull sends for the cases a device
/// joined: rows of `table` numbered in column `number`, kept by `kept` (a
/// condition on the table as `t`), chosen by `chosen` (a subquery of their
/// numbers over `$1` the device, `$2`..`$3` the session's joined range and
/// `$4` the last number sent), at most `limit` at a time.
pub(super) struct JoinedItems {
    pub table: &'static str,
    pub number: &'static str,
    pub kept: &'static str,
    pub chosen: &'static str,
    pub limit: i64,
    /// What an item is, for a decoding error.
    pub what: &'static str,
}

impl JoinedItems {
    /// The next of these items for `device` after `after`, in number order,
    /// with their sizes summed first so that bodies are read only up to
    /// the one that brings the sum to `budget` bytes (those after come
    /// without one).
    pub(super) async fn read<T: serde::de::DeserializeOwned>(
        &self,
        conn: &mut sqlx::AnyConnection,
        device: &[u8],
        (base, high): (u64, u64),
        after: u64,
        budget: usize,
    ) -> Result<Vec<Budgeted<T>>> {
        let Self {
            table,
            number,
            kept,
            chosen,
            limit,
            what,
        } = self;
        let sql = format!(
            "SELECT y.number, t.body FROM (
                 SELECT z.number AS number,
                        SUM(z.len) OVER (ORDER BY z.number ROWS UNBOUNDED PRECEDING) - z.len AS before
                   FROM (
                     SELECT t.{number} AS number, length(t.body) AS len FROM {table} t
                      WHERE {kept} AND t.{number} IN ({chosen})
                      ORDER BY t.{number} LIMIT {limit}
                   ) z
             ) y
               LEFT JOIN {table} t ON t.{number} = y.number AND y.before < $5
             ORDER BY y.number"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(device.to_vec())
            .bind(base as i64)
            .bind(high as i64)
            .bind(after as i64)
            .bind(i64::try_from(budget).unwrap_or(i64::MAX))
            .fetch_all(&mut *conn)
            .await?;
        budgeted(&rows, "number", what)
    }
}

/// Decodes the rows of a pull's budgeted query: the number in column
/// `number`, and `body`, NULL past the budget.
pub(super) fn budgeted<T: serde::de::DeserializeOwned>(
    rows: &[AnyRow],
    number: &str,
    what: &str,
) -> Result<Vec<Budgeted<T>>> {
    rows.iter()
        .map(|row| {
            let body = row.try_get::<Option<Vec<u8>>, _>("body")?;
            let item = body
                .map(|body| Ok::<_, ServerError>((body.len(), decode(&body, what)?)))
                .transpose()?;
            Ok((int(row, number)? as u64, item))
        })
        .collect()
}

pub(super) fn encode<T: serde::Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).unwrap_or_default()
}

impl SqlStorage {
    /// Connects to `url` (`sqlite://path` or `postgres://…`) and migrates.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let postgres = url.starts_with("postgres://") || url.starts_with("postgresql://");
        let pool = AnyPoolOptions::new()
            .max_connections(if postgres { 16 } else { 8 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if !postgres {
                        sqlx::query("PRAGMA busy_timeout = 10000")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA synchronous = FULL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        if postgres {
            POSTGRES_MIGRATIONS.run(&pool).await?;
        } else {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
            SQLITE_MIGRATIONS.run(&pool).await?;
        }
        Ok(Self {
            writer: GroupCommit::start(pool.clone()),
            pool,
            secret: Arc::new(OnceCell::new()),
            postgres,
        })
    }

    /// Opens (creating it) the embedded database in a data folder.
    pub async fn open_folder(folder: &std::path::Path) -> Result<Self> {
        std::fs::create_dir_all(folder).map_err(|e| {
            tracing::error!(error = %e, "cannot create the data folder");
            ServerError::internal()
        })?;
        let path = folder.join("binhan-server.db");
        Self::connect(&format!("sqlite://{}?mode=rwc", path.display())).await
    }

    /// Whether this is PostgreSQL (else SQLite).
    pub fn is_postgres(&self) -> bool {
        self.postgres
    }

    /// Stores `pushes` as the writer stores a group of them: together in one
    /// transaction, each refused or accepted on its own, and each in a
    /// transaction of its own if the group's fails. Returns each push's
    /// outcome, in order, or the error of taking a connection. (The server's
    /// pushes go through its writer task; this is the same path, driven
    /// directly.)
    pub async fn push_together(&self, pushes: &[DevicePush]) -> Result<Vec<Result<PushResponse>>> {
        Ok(store_group(&mut *self.pool.acquire().await?, pushes).await)
    }

    /// The connection pool (for other server modules' tables).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// See [`Storage::server_secret`](super::Storage::server_secret).
    pub(super) async fn load_secret(&self) -> Result<[u8; 32]> {
        let secret = self
            .secret
            .get_or_try_init(|| async {
                let fresh = binhan_core::crypto::random_array::<32>();
                sqlx::query("INSERT INTO server_secrets (name, value) VALUES ('token', $1) ON CONFLICT (name) DO NOTHING")
                    .bind(fresh.to_vec())
                    .execute(self.pool())
                    .await?;
                let row = sqlx::query("SELECT value FROM server_secrets WHERE name = 'token'")
                    .fetch_one(self.pool())
                    .await?;
                blob(&row, "value")?.try_into().map_err(|_| corrupt("server secret"))
            })
            .await?;
        Ok(*secret)
    }
}

/// Each method is written in the module of its concern: devices, push,
/// pull, statistics, registries, shelters.
impl Storage for SqlStorage {
    async fn server_secret(&self) -> Result<[u8; 32]> {
        self.load_secret().await
    }

    async fn create_invitation(&self, invitation: NewInvitation) -> Result<()> {
        self.insert_invitation(invitation).await
    }

    async fn enrol(&self, enrolment: Enrolment, now_ms: u64) -> Result<DeviceRecord> {
        self.enrol_device(enrolment, now_ms).await
    }

    async fn province_root(&self) -> Result<Option<DevicePublic>> {
        self.select_province_root().await
    }

    async fn device(&self, id: DeviceId) -> Result<Option<DeviceRecord>> {
        self.select_device(id).await
    }

    async fn query_devices(&self, query: DeviceQuery) -> Result<Vec<DeviceRecord>> {
        self.select_devices(query).await
    }

    async fn revoke(&self, revocation: &Revocation, now_ms: u64) -> Result<()> {
        self.revoke_device(revocation, now_ms).await
    }

    async fn use_challenge(&self, hash: [u8; 32], expires_at_ms: u64, now_ms: u64) -> Result<bool> {
        self.insert_challenge(hash, expires_at_ms, now_ms).await
    }

    async fn push(
        &self,
        device: DeviceRecord,
        request: PushRequest,
        now_ms: u64,
    ) -> Result<PushResponse> {
        let push = DevicePush {
            device,
            request,
            now_ms,
        };
        self.writer.push(push).await
    }

    async fn push_stats(&self, rows: Vec<SealedStat>) -> Result<u32> {
        self.store_stats(rows).await
    }

    async fn sealed_stats(
        &self,
        after: Option<StatSlot>,
        limit: u32,
    ) -> Result<(Vec<SealedStat>, bool)> {
        self.select_sealed_stats(after, limit).await
    }

    async fn publish_office_key(&self, publish: OfficeKeyPublish) -> Result<()> {
        self.insert_office_key(publish).await
    }

    async fn office_key(&self) -> Result<OfficeKeyResponse> {
        self.select_office_key().await
    }

    async fn record_registries(&self, entries: ProgrammeRegistries) -> Result<RegistryCounts> {
        self.insert_registries(entries).await
    }

    async fn registries(&self) -> Result<ProgrammeRegistries> {
        self.select_registries().await
    }

    async fn record_school_use(&self, device: DeviceId, months: &[UseMonth]) -> Result<()> {
        self.insert_school_use(device, months).await
    }

    async fn school_use(&self) -> Result<Vec<SchoolInUse>> {
        self.select_school_use().await
    }

    async fn publish_directory(
        &self,
        publication: super::NewPublication,
        now_ms: u64,
    ) -> Result<bool> {
        self.insert_publication(publication, now_ms).await
    }

    async fn directory_publications(
        &self,
        held: Option<u64>,
        max_bytes: u32,
    ) -> Result<DirectoryResponse> {
        self.select_publications(held, max_bytes).await
    }

    async fn latest_full_directory(&self) -> Result<Option<SignedPublication>> {
        self.select_latest_full().await
    }

    async fn store_road_chunks(
        &self,
        chunks: Vec<(ChunkHash, Vec<u8>)>,
        now_ms: u64,
    ) -> Result<u32> {
        self.insert_road_chunks(chunks, now_ms).await
    }

    async fn publish_roads(
        &self,
        manifest: super::NewRoadManifest,
        now_ms: u64,
    ) -> Result<RoadPublishResponse> {
        self.insert_road_manifest(manifest, now_ms).await
    }

    async fn store_online_report(
        &self,
        commune: &str,
        sealed: Vec<u8>,
        now_ms: u64,
    ) -> Result<binhan_core::online_report::OnlineReportId> {
        self.insert_online_report(commune, sealed, now_ms).await
    }

    async fn online_reports(
        &self,
        commune: &str,
        after: u64,
        max_bytes: usize,
    ) -> Result<binhan_core::online_report::InboxResponse> {
        self.select_online_reports(commune, after, max_bytes).await
    }

    async fn endorse_key(&self, endorsement: binhan_core::sync::KeyEndorsement) -> Result<()> {
        self.store_endorsement(endorsement).await
    }

    async fn road_manifest(&self, held: Option<u64>) -> Result<RoadManifestResponse> {
        self.select_road_manifest(held).await
    }

    async fn road_chunks(&self, hashes: Vec<ChunkHash>, max_bytes: u32) -> Result<Vec<Vec<u8>>> {
        self.select_road_chunks(hashes, max_bytes).await
    }

    async fn push_mail(&self, mail: Vec<Mail>, now_ms: u64) -> Result<MailPushResponse> {
        self.insert_mail(mail, now_ms).await
    }

    async fn pull_mail(&self, device: DeviceId, after: u64, max_bytes: u32) -> Result<MailChunk> {
        self.select_mail(device, after, max_bytes).await
    }

    async fn pull(
        &self,
        device: DeviceRecord,
        cursor: Cursor,
        max_bytes: u32,
    ) -> Result<PullResponse> {
        self.read_pull(device, cursor, max_bytes).await
    }
}

#[cfg(test)]
mod tests {
    use super::{Params, SQLITE_MIGRATIONS};
    use sqlx::Row;

    /// Migration 6 rebuilds the sync log's tables on SQLite with sequence
    /// numbers as rowids; every row stored before it is kept as it was.
    #[tokio::test]
    async fn sqlite_sequence_numbers_become_rowids_with_every_row_kept() {
        let folder = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", folder.path().join("db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        SQLITE_MIGRATIONS.run_to(5, &pool).await.unwrap();
        let rows = |table: &'static str, author: &'static str| {
            let pool = pool.clone();
            async move {
                let sql =
                    format!("SELECT seq, id, case_id, {author}, body FROM {table} ORDER BY seq");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&pool)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| {
                        let blob = |i| r.get::<Vec<u8>, _>(i);
                        (r.get::<i64, _>(0), blob(1), blob(2), blob(3), blob(4))
                    })
                    .collect::<Vec<_>>()
            }
        };
        for (table, author) in [("events", "author"), ("team_entries", "signer")] {
            for seq in [3_i64, 7, 8] {
                let sql = format!(
                    "INSERT INTO {table} (seq, id, case_id, {author}, body) VALUES (?, ?, ?, ?, ?)"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(seq)
                    .bind(vec![seq as u8; 16])
                    .bind(vec![1u8; 16])
                    .bind(vec![2u8; 16])
                    .bind(format!("synthetic body {seq}").into_bytes())
                    .execute(&pool)
                    .await
                    .unwrap();
            }
        }
        let before = (
            rows("events", "author").await,
            rows("team_entries", "signer").await,
        );
        SQLITE_MIGRATIONS.run(&pool).await.unwrap();
        let after = (
            rows("events", "author").await,
            rows("team_entries", "signer").await,
        );
        assert_eq!(before, after);
        assert_eq!(after.0.len(), 3);
        for table in ["events", "team_entries"] {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE rowid <> seq");
            let aliased: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(aliased, 0, "{table}.seq is the rowid");
        }
    }

    #[test]
    fn parameters_are_numbered_for_postgres_and_in_order_for_sqlite() {
        assert_eq!(Params::Numbered.list(2, 3), "$2, $3, $4");
        assert_eq!(Params::InOrder.list(2, 3), "?, ?, ?");
        assert_eq!(
            Params::Numbered.values(
                "INSERT INTO t (a, b) VALUES",
                2,
                2,
                " ON CONFLICT DO NOTHING"
            ),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING"
        );
        assert_eq!(
            Params::InOrder.values("INSERT INTO t (a, b) VALUES", 2, 2, ""),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
    }
}
