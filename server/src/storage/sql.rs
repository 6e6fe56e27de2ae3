//! The storage in SQL, shared by SQLite and PostgreSQL through sqlx `Any`.

use super::group_commit::{store_group, DevicePush, GroupCommit};
use super::{still_active, Cursor, NewInvitation, Phase, Storage};
use crate::error::{Result, ServerError};
use binhan_core::events::Hlc;
use binhan_core::model::{CaseId, Coded, DeviceId, EventId, Role};
use binhan_core::stats::{StatRecord, StatUpdate};
use binhan_core::sync::wire::{
    DeviceQuery, DeviceRecord, PullResponse, PushRequest, PushResponse, Sequenced, TeamEntry,
    WireEvent, WireSnapshot,
};
use binhan_core::sync::{DevicePublic, TeamState};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use tokio::sync::OnceCell;

/// How far ahead of the server's clock an event's clock may be.
const MAX_CLOCK_AHEAD_MS: u64 = 24 * 3600 * 1000;
/// Cases sent whole per page while a device joins them.
///
/// Page sizes are written into the SQL text, never bound: SQLite plans a
/// statement again each time it runs with a new value bound to its LIMIT.
const JOIN_PAGE: i64 = 200;
/// Items per tail query (in the SQL text, as [`JOIN_PAGE`]).
const TAIL_PAGE: i64 = 2_000;
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
    fn for_postgres(postgres: bool) -> Self {
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

/// How the writer learns which of a group's events are stored already
/// (pushes are idempotent: a repeated event is answered with the number it
/// was stored under).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StoredCheck {
    /// Look their ids up before writing (a query per page of ids).
    LookUp,
    /// Assume none is, which is nearly always so, and write without a
    /// lookup; if one was stored after all, the writing fails with
    /// [`ALREADY_STORED`] and nothing of it may be kept.
    AssumeNew,
}

/// The error code of a write under [`StoredCheck::AssumeNew`] that met an
/// event stored already; the caller rolls back and writes again with
/// [`StoredCheck::LookUp`]. It never reaches a device.
pub(super) const ALREADY_STORED: &str = "already_stored";

/// Kinds of row of [`SqlStorage::tail_page`]'s statement.
const EVENT: i64 = 0;
const TEAM_ENTRY: i64 = 1;
const COUNTER: i64 = 2;
const ROTATE: i64 = 3;
const JOINED: i64 = 4;
const DEVICE: i64 = 5;

/// A page of a pull's tail, with what was read beside it.
#[derive(Default)]
struct TailPage {
    /// The newest sequence number when the page was read.
    now: u64,
    /// Events and team entries, in sequence order (at most [`TAIL_PAGE`]).
    items: Vec<TailItem>,
    /// The device's cases waiting for a key rotation, with their team
    /// states (encoded).
    rotate: Vec<(CaseId, Vec<u8>)>,
    /// At a session's start, the first page of cases joined since the last
    /// session, in id order; if there are any, `items` must be read again
    /// after them.
    joined: Vec<CaseId>,
}

/// An event or team entry of a pull's tail, encoded.
struct TailItem {
    seq: u64,
    team: bool,
    body: Vec<u8>,
}

/// Events and snapshots of one or more pushes, checked and numbered, to be
/// written together: new events in sequence order, and the newest fresh
/// snapshot of each case.
#[derive(Default)]
struct StagedWrites<'a> {
    events: Vec<(u64, &'a WireEvent)>,
    snapshots: HashMap<CaseId, &'a WireSnapshot>,
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
async fn select_in(
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

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    postcard::from_bytes(bytes).map_err(|_| corrupt(what))
}

fn encode<T: serde::Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).unwrap_or_default()
}

fn device_record(row: &AnyRow) -> Result<DeviceRecord> {
    let id = DeviceId::from_slice(&blob(row, "device_id")?).ok_or_else(|| corrupt("device id"))?;
    let key = |c: &str| -> Result<[u8; 32]> {
        blob(row, c)?.try_into().map_err(|_| corrupt("device key"))
    };
    let role: String = row.try_get("role")?;
    Ok(DeviceRecord {
        public: DevicePublic {
            device_id: id,
            sign_key: key("sign_key")?,
            exchange_key: key("exchange_key")?,
        },
        role: Role::from_code(&role).ok_or_else(|| corrupt("role"))?,
        commune: row.try_get("commune")?,
        label: row.try_get("label")?,
        active: int(row, "active")? != 0,
    })
}

/// `SELECT` of a device row, followed by the given condition.
macro_rules! select_devices {
    ($condition:literal) => {
        concat!(
            "SELECT device_id, sign_key, exchange_key, role, commune, label, active FROM devices WHERE ",
            $condition
        )
    };
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

    async fn team_state(
        tx: &mut sqlx::AnyConnection,
        case_id: CaseId,
    ) -> Result<Option<TeamState>> {
        let row = sqlx::query("SELECT state FROM teams WHERE case_id = $1")
            .bind(case_id.as_bytes().to_vec())
            .fetch_optional(&mut *tx)
            .await?;
        row.map(|r| decode(&blob(&r, "state")?, "team state"))
            .transpose()
    }

    /// Reads the teams of `cases` not in `teams` yet, a page of cases per
    /// query (unknown cases get an empty team).
    async fn load_teams(
        tx: &mut sqlx::AnyConnection,
        teams: &mut HashMap<CaseId, TeamState>,
        cases: impl Iterator<Item = CaseId>,
    ) -> Result<()> {
        let missing: BTreeSet<CaseId> = cases.filter(|c| !teams.contains_key(c)).collect();
        let keys = missing.iter().map(|c| c.as_bytes().to_vec()).collect();
        let rows = select_in(tx, "SELECT case_id, state FROM teams WHERE case_id", keys).await?;
        teams.extend(missing.into_iter().map(|c| (c, TeamState::default())));
        for row in rows {
            let case_id =
                CaseId::from_slice(&blob(&row, "case_id")?).ok_or_else(|| corrupt("case id"))?;
            teams.insert(case_id, decode(&blob(&row, "state")?, "team state")?);
        }
        Ok(())
    }

    /// Sequence numbers of those of `events` already stored, a page per query.
    async fn stored_events(
        tx: &mut sqlx::AnyConnection,
        events: impl IntoIterator<Item = &WireEvent>,
    ) -> Result<HashMap<EventId, u64>> {
        let keys = events
            .into_iter()
            .map(|e| e.id.as_bytes().to_vec())
            .collect();
        let rows = select_in(tx, "SELECT id, seq FROM events WHERE id", keys).await?;
        rows.iter()
            .map(|row| {
                let id =
                    EventId::from_slice(&blob(row, "id")?).ok_or_else(|| corrupt("event id"))?;
                Ok((id, int(row, "seq")? as u64))
            })
            .collect()
    }

    /// Reads a page of a pull's tail and what the pull needs beside it, in
    /// one statement (each statement costs PostgreSQL more than the rows of
    /// a common pull do). `start` says whether this starts a session: then
    /// `cursor` is the finished session's, the page runs to the newest
    /// sequence number, and the cases joined since come too. The device
    /// must still be active, and the cursor not ahead of the newest
    /// sequence number.
    async fn tail_page(
        conn: &mut sqlx::AnyConnection,
        device: &[u8],
        cursor: &Cursor,
        start: bool,
    ) -> Result<TailPage> {
        // Starting a session, `high` is the counter read by this very
        // statement. With no case joined since the last session (else the
        // items are set aside), every membership is older than the last
        // `high`, and binding "no bound" gives the same rows.
        let (base, high, joined_after) = if start {
            (cursor.high, i64::MAX, cursor.high as i64)
        } else {
            (cursor.base, cursor.high as i64, i64::MAX)
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT x.seq, x.kind, x.case_id, x.body FROM (
                 SELECT e.seq AS seq, {EVENT} AS kind, e.case_id AS case_id, e.body AS body FROM events e
                   JOIN members m ON m.case_id = e.case_id AND m.device_id = $1
                  WHERE e.seq > $2 AND e.author <> $1
                    AND m.joined_seq <= $4 AND NOT (m.joined_seq > $3 AND e.seq <= $4)
                 UNION ALL
                 SELECT t.seq AS seq, {TEAM_ENTRY} AS kind, t.case_id AS case_id, t.body AS body FROM team_entries t
                   JOIN members m ON m.case_id = t.case_id AND m.device_id = $1
                  WHERE t.seq > $2 AND t.signer <> $1
                    AND m.joined_seq <= $4 AND NOT (m.joined_seq > $3 AND t.seq <= $4)
                 ORDER BY seq LIMIT {TAIL_PAGE}
             ) x
             UNION ALL
             SELECT value, {COUNTER}, NULL, NULL FROM counters WHERE name = 'seq'
             UNION ALL
             SELECT 0, {ROTATE}, t.case_id, t.state FROM teams t
               JOIN members m ON m.case_id = t.case_id AND m.device_id = $1
              WHERE t.rotate_pending = 1
             UNION ALL
             SELECT 0, {JOINED}, j.case_id, j.case_id FROM (
                 SELECT case_id FROM members WHERE device_id = $1 AND joined_seq > $5
                  ORDER BY case_id LIMIT {JOIN_PAGE}
             ) j
             UNION ALL
             SELECT active, {DEVICE}, device_id, device_id FROM devices WHERE device_id = $1",
        )))
        .bind(device.to_vec())
        .bind(cursor.tail_after as i64)
        .bind(base as i64)
        .bind(high)
        .bind(joined_after)
        .fetch_all(&mut *conn)
        .await?;
        let mut page = TailPage::default();
        let mut now = None;
        let mut active = None;
        for row in &rows {
            let case_id = || {
                blob(row, "case_id")
                    .and_then(|b| CaseId::from_slice(&b).ok_or_else(|| corrupt("case id")))
            };
            match int(row, "kind")? {
                kind @ (EVENT | TEAM_ENTRY) => page.items.push(TailItem {
                    seq: int(row, "seq")? as u64,
                    team: kind == TEAM_ENTRY,
                    body: blob(row, "body")?,
                }),
                COUNTER => now = Some(int(row, "seq")? as u64),
                ROTATE => page.rotate.push((case_id()?, blob(row, "body")?)),
                JOINED => page.joined.push(case_id()?),
                DEVICE => active = Some(int(row, "seq")? != 0),
                _ => return Err(corrupt("row kind")),
            }
        }
        still_active(active)?;
        page.now = now.ok_or_else(|| corrupt("sequence counter"))?;
        // A cursor past the newest sequence number was not issued by this
        // database as it is now: it was restored from an older backup (the
        // device would skip whatever is stored again under those numbers).
        if cursor.high.max(cursor.tail_after) > page.now {
            return Err(ServerError::bad_request(
                "bad_cursor",
                "the cursor is ahead of this server (restored from a backup?); pull again from the start",
            ));
        }
        page.items.sort_by_key(|item| item.seq);
        page.joined.sort();
        Ok(page)
    }

    /// Whether each of `devices` is active (`false`: revoked); a device not
    /// enrolled is missing.
    pub(super) async fn standing(
        conn: &mut sqlx::AnyConnection,
        devices: &[DeviceId],
    ) -> Result<HashMap<DeviceId, bool>> {
        let ids: BTreeSet<DeviceId> = devices.iter().copied().collect();
        let keys = ids.iter().map(|d| d.as_bytes().to_vec()).collect();
        let select = "SELECT device_id, active FROM devices WHERE device_id";
        let rows = select_in(conn, select, keys).await?;
        rows.iter()
            .map(|row| {
                let id = DeviceId::from_slice(&blob(row, "device_id")?)
                    .ok_or_else(|| corrupt("device id"))?;
                Ok((id, int(row, "active")? != 0))
            })
            .collect()
    }

    /// The next page of cases `device` joined in the cursor's session
    /// (sequence numbers in `(base, high]`), in case-id order after `after`.
    async fn joined_cases(
        conn: &mut sqlx::AnyConnection,
        device: &[u8],
        cursor: &Cursor,
        after: Option<CaseId>,
    ) -> Result<Vec<CaseId>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT case_id FROM members WHERE device_id = $1 AND joined_seq > $2 AND joined_seq <= $3 AND case_id > $4
             ORDER BY case_id LIMIT {JOIN_PAGE}",
        )))
        .bind(device.to_vec())
        .bind(cursor.base as i64)
        .bind(cursor.high as i64)
        .bind(after.map(|c| c.as_bytes().to_vec()).unwrap_or_default())
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|r| {
                blob(r, "case_id")
                    .and_then(|b| CaseId::from_slice(&b).ok_or_else(|| corrupt("case id")))
            })
            .collect()
    }

    /// Stores one push inside the writing transaction `tx`, which holds the
    /// sequence lock: its team entries, then its events and snapshots, then
    /// its bundles. New items are numbered after `seq`, which ends at the
    /// last number taken. On an error the caller rolls back what was written.
    pub(super) async fn store_push(
        tx: &mut sqlx::AnyConnection,
        push: &DevicePush,
        seq: &mut u64,
    ) -> Result<PushResponse> {
        let team = Self::store_team_entries(tx, &push.device, &push.request.team, seq).await?;
        let mut response = Self::store_items(tx, &[push], seq, StoredCheck::LookUp)
            .await?
            .pop()
            .unwrap_or_else(|| Err(ServerError::internal()))?;
        response.team = team;
        let bundled = push.request.bundles.iter().flat_map(|b| &b.cases);
        let mut teams = HashMap::new();
        Self::load_teams(tx, &mut teams, bundled.map(|c| c.case_id)).await?;
        let me = push.device.public.device_id;
        response.bundles = Self::store_bundles(tx, me, &push.request.bundles, &teams, seq).await?;
        Ok(response)
    }

    /// Stores `me`'s team entries (each once, by id), each taking the next
    /// sequence number, and keeps the cases' teams and member rows in step.
    /// Returns how many were accepted (stored now or before).
    async fn store_team_entries(
        tx: &mut sqlx::AnyConnection,
        device: &DeviceRecord,
        entries: &[TeamEntry],
        seq: &mut u64,
    ) -> Result<u32> {
        let me = device.public.device_id;
        let mut accepted = 0;
        let mut teams: HashMap<CaseId, TeamState> = HashMap::new();
        for entry in entries {
            let known = sqlx::query("SELECT seq FROM team_entries WHERE id = $1")
                .bind(entry.id.as_bytes().to_vec())
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_some() {
                accepted += 1;
                continue;
            }
            if entry.signer != me {
                return Err(ServerError::forbidden(
                    "not_signer",
                    "a team change must be signed by the device pushing it",
                ));
            }
            let mut team = match teams.remove(&entry.case_id) {
                Some(team) => team,
                None => Self::team_state(tx, entry.case_id)
                    .await?
                    .unwrap_or_default(),
            };
            let previous_epoch = team.epoch();
            team.accept(entry, device.role)
                .map_err(|e| ServerError::conflict("team_conflict", e.to_string()))?;
            *seq += 1;
            let case = entry.case_id.as_bytes().to_vec();
            sqlx::query("INSERT INTO team_entries (seq, id, case_id, signer, body) VALUES ($1, $2, $3, $4, $5)")
                .bind(*seq as i64)
                .bind(entry.id.as_bytes().to_vec())
                .bind(case.clone())
                .bind(me.as_bytes().to_vec())
                .bind(encode(entry))
                .execute(&mut *tx)
                .await?;
            let rotated = previous_epoch.is_some_and(|e| e < entry.epoch);
            sqlx::query(
                "INSERT INTO teams (case_id, state, rotate_pending) VALUES ($1, $2, 0)
                 ON CONFLICT (case_id) DO UPDATE SET state = excluded.state,
                     rotate_pending = CASE WHEN $3 = 1 THEN 0 ELSE teams.rotate_pending END",
            )
            .bind(case.clone())
            .bind(encode(&team))
            .bind(i64::from(rotated))
            .execute(&mut *tx)
            .await?;
            let current: BTreeSet<Vec<u8>> =
                sqlx::query("SELECT device_id FROM members WHERE case_id = $1")
                    .bind(case.clone())
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|r| blob(r, "device_id"))
                    .collect::<Result<_>>()?;
            let wanted: BTreeSet<Vec<u8>> = entry
                .members
                .iter()
                .map(|m| m.as_bytes().to_vec())
                .collect();
            for gone in current.difference(&wanted) {
                sqlx::query("DELETE FROM members WHERE case_id = $1 AND device_id = $2")
                    .bind(case.clone())
                    .bind(gone.clone())
                    .execute(&mut *tx)
                    .await?;
                Self::forget_bundles_of_case(tx, gone, &case).await?;
            }
            for new in wanted.difference(&current) {
                sqlx::query(
                    "INSERT INTO members (case_id, device_id, joined_seq) VALUES ($1, $2, $3)",
                )
                .bind(case.clone())
                .bind(new.clone())
                .bind(*seq as i64)
                .execute(&mut *tx)
                .await?;
            }
            teams.insert(entry.case_id, team);
            accepted += 1;
        }
        Ok(accepted)
    }

    /// The cases of a push's events and snapshots.
    fn cases_of(request: &PushRequest) -> impl Iterator<Item = CaseId> + '_ {
        let cases = request.events.iter().map(|e| e.case_id);
        cases.chain(request.snapshots.iter().map(|s| s.case_id))
    }

    /// Stores the events and snapshots of `pushes` (consecutive in a group)
    /// inside the writing transaction `tx`: their teams and (as `check`
    /// says) already stored events read once, each push checked on its own
    /// (a refused one gets its error and writes nothing), and every accepted
    /// item written together. Returns each push's outcome, in order.
    pub(super) async fn store_items(
        tx: &mut sqlx::AnyConnection,
        pushes: &[&DevicePush],
        seq: &mut u64,
        check: StoredCheck,
    ) -> Result<Vec<Result<PushResponse>>> {
        if pushes.is_empty() {
            return Ok(Vec::new());
        }
        let mut teams = HashMap::new();
        let cases = pushes.iter().flat_map(|p| Self::cases_of(&p.request));
        Self::load_teams(tx, &mut teams, cases).await?;
        let mut stored = match check {
            StoredCheck::LookUp => {
                Self::stored_events(tx, pushes.iter().flat_map(|p| &p.request.events)).await?
            }
            StoredCheck::AssumeNew => HashMap::new(),
        };
        let mut staged = StagedWrites::default();
        let outcomes = pushes
            .iter()
            .map(|push| {
                let mut response = PushResponse::default();
                Self::stage_items(push, &teams, &mut stored, seq, &mut staged, &mut response)
                    .map(|()| response)
            })
            .collect();
        Self::write_staged(tx, staged, check).await?;
        Ok(outcomes)
    }

    /// Checks a push's events and snapshots against the case teams (all
    /// loaded) and the events already stored, numbers the new events after
    /// `seq`, and stages them for [`Self::write_staged`], answering in
    /// `response`. A refused push changes nothing: not `stored`, `seq`,
    /// `staged` nor `response`.
    fn stage_items<'a>(
        push: &'a DevicePush,
        teams: &HashMap<CaseId, TeamState>,
        stored: &mut HashMap<EventId, u64>,
        seq: &mut u64,
        staged: &mut StagedWrites<'a>,
        response: &mut PushResponse,
    ) -> Result<()> {
        let (request, now_ms) = (&push.request, push.now_ms);
        let me = push.device.public.device_id;
        let no_team = TeamState::default();
        let team_of = |case_id: &CaseId| teams.get(case_id).unwrap_or(&no_team);
        let mut last = *seq;
        let mut numbered: HashMap<EventId, u64> = HashMap::new();
        let mut acknowledged = Vec::with_capacity(request.events.len());
        for event in &request.events {
            if let Some(&seq) = stored.get(&event.id).or(numbered.get(&event.id)) {
                acknowledged.push(Sequenced {
                    seq,
                    item: event.id,
                });
                continue;
            }
            if event.author != me {
                return Err(ServerError::forbidden(
                    "not_author",
                    "devices push only the events they wrote",
                ));
            }
            if Hlc(event.hlc).wall_ms() > now_ms + MAX_CLOCK_AHEAD_MS {
                return Err(ServerError::unprocessable(
                    "clock_ahead",
                    "the event's clock is more than a day ahead of the server's",
                ));
            }
            let team = team_of(&event.case_id);
            if !(team.was_member(me, event.epoch) && team.members().contains(&me)) {
                return Err(ServerError::forbidden(
                    "not_a_member",
                    format!("device is not on the team of case {}", event.case_id),
                ));
            }
            last += 1;
            numbered.insert(event.id, last);
            acknowledged.push(Sequenced {
                seq: last,
                item: event.id,
            });
        }
        // A snapshot for an older epoch or a future sequence number is
        // skipped as stale.
        let mut fresh = Vec::new();
        for snapshot in &request.snapshots {
            let team = team_of(&snapshot.case_id);
            if !team.members().contains(&me) {
                return Err(ServerError::forbidden(
                    "not_a_member",
                    format!("device is not on the team of case {}", snapshot.case_id),
                ));
            }
            if team.epoch() == Some(snapshot.epoch) && snapshot.covers_seq <= last {
                fresh.push(snapshot);
            }
        }

        let new_events = request.events.iter().filter_map(|e| {
            let seq = numbered.get(&e.id)?;
            (stored.insert(e.id, *seq).is_none()).then_some((*seq, e))
        });
        staged.events.extend(new_events);
        for snapshot in &fresh {
            let newest = staged.snapshots.entry(snapshot.case_id).or_insert(snapshot);
            if newest.covers_seq < snapshot.covers_seq {
                *newest = snapshot;
            }
        }
        *seq = last;
        response.events = acknowledged;
        response.snapshots += fresh.len() as u32;
        Ok(())
    }

    /// Writes staged events and snapshots (a case's snapshot replaces the
    /// stored one only if it covers more). Under [`StoredCheck::AssumeNew`],
    /// fails with [`ALREADY_STORED`] if an event's id is stored already (the
    /// transaction must then be rolled back); after a lookup that is a
    /// database failure.
    async fn write_staged(
        tx: &mut sqlx::AnyConnection,
        staged: StagedWrites<'_>,
        check: StoredCheck,
    ) -> Result<()> {
        for rows in staged.events.chunks(INSERT_ROWS) {
            let mut insert = sqlx::query(sqlx::AssertSqlSafe(Params::of(tx).values(
                "INSERT INTO events (seq, id, case_id, author, body) VALUES",
                rows.len(),
                5,
                "",
            )));
            for (seq, event) in rows {
                insert = insert
                    .bind(*seq as i64)
                    .bind(event.id.as_bytes().to_vec())
                    .bind(event.case_id.as_bytes().to_vec())
                    .bind(event.author.as_bytes().to_vec())
                    .bind(encode(*event));
            }
            // A plain insert: `ON CONFLICT` costs PostgreSQL a speculative
            // insertion per row. A stored id fails the transaction instead.
            match insert.execute(&mut *tx).await {
                Ok(_) => {}
                Err(sqlx::Error::Database(error))
                    if check == StoredCheck::AssumeNew && error.is_unique_violation() =>
                {
                    return Err(ServerError::conflict(
                        ALREADY_STORED,
                        "an event was stored already",
                    ));
                }
                Err(error) => return Err(error.into()),
            }
        }
        let snapshots: Vec<&WireSnapshot> = staged.snapshots.into_values().collect();
        for rows in snapshots.chunks(INSERT_ROWS) {
            let mut upsert = sqlx::query(sqlx::AssertSqlSafe(Params::of(tx).values(
                "INSERT INTO snapshots (case_id, epoch, covers_seq, body) VALUES",
                rows.len(),
                4,
                " ON CONFLICT (case_id) DO UPDATE SET epoch = excluded.epoch, covers_seq = excluded.covers_seq, body = excluded.body
                  WHERE snapshots.covers_seq < excluded.covers_seq",
            )));
            for snapshot in rows {
                upsert = upsert
                    .bind(snapshot.case_id.as_bytes().to_vec())
                    .bind(i64::from(snapshot.epoch))
                    .bind(snapshot.covers_seq as i64)
                    .bind(encode(*snapshot));
            }
            upsert.execute(&mut *tx).await?;
        }
        Ok(())
    }
}

impl Storage for SqlStorage {
    async fn server_secret(&self) -> Result<[u8; 32]> {
        let secret = self
            .secret
            .get_or_try_init(|| async {
                let fresh = binhan_core::crypto::random_array::<32>();
                sqlx::query("INSERT INTO server_secrets (name, value) VALUES ('token', $1) ON CONFLICT (name) DO NOTHING")
                    .bind(fresh.to_vec())
                    .execute(&self.pool)
                    .await?;
                let row = sqlx::query("SELECT value FROM server_secrets WHERE name = 'token'")
                    .fetch_one(&self.pool)
                    .await?;
                blob(&row, "value")?.try_into().map_err(|_| corrupt("server secret"))
            })
            .await?;
        Ok(*secret)
    }

    async fn create_invitation(&self, inv: NewInvitation) -> Result<()> {
        sqlx::query("INSERT INTO invitations (code_hash, role, commune, expires_at, issued_by) VALUES ($1, $2, $3, $4, $5)")
            .bind(inv.code_hash.to_vec())
            .bind(inv.role.code())
            .bind(inv.commune)
            .bind(inv.expires_at_ms as i64)
            .bind(inv.issued_by.map(|d| d.as_bytes().to_vec()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn enrol(
        &self,
        code_hash: [u8; 32],
        device: DevicePublic,
        label: String,
        now_ms: u64,
    ) -> Result<DeviceRecord> {
        let mut tx = self.pool.begin().await?;
        let used = sqlx::query(
            "UPDATE invitations SET used_at = $1, used_by = $2
             WHERE code_hash = $3 AND used_at IS NULL AND expires_at > $1
             RETURNING role, commune",
        )
        .bind(now_ms as i64)
        .bind(device.device_id.as_bytes().to_vec())
        .bind(code_hash.to_vec())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = used else {
            return Err(ServerError::forbidden(
                "invalid_invitation",
                "the invitation code is unknown, used or expired",
            ));
        };
        let role: String = row.try_get("role")?;
        let role = Role::from_code(&role).ok_or_else(|| corrupt("role"))?;
        let commune: String = row.try_get("commune")?;
        let inserted = sqlx::query(
            "INSERT INTO devices (device_id, sign_key, exchange_key, role, commune, label, active, enrolled_at)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7) ON CONFLICT (device_id) DO NOTHING",
        )
        .bind(device.device_id.as_bytes().to_vec())
        .bind(device.sign_key.to_vec())
        .bind(device.exchange_key.to_vec())
        .bind(role.code())
        .bind(commune.clone())
        .bind(label.clone())
        .bind(now_ms as i64)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() != 1 {
            return Err(ServerError::conflict(
                "already_enrolled",
                "this device id is already enrolled",
            ));
        }
        tx.commit().await?;
        Ok(DeviceRecord {
            public: device,
            role,
            commune,
            label,
            active: true,
        })
    }

    async fn device(&self, id: DeviceId) -> Result<Option<DeviceRecord>> {
        let row = sqlx::query(select_devices!("device_id = $1"))
            .bind(id.as_bytes().to_vec())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(device_record).transpose()
    }

    async fn query_devices(&self, query: DeviceQuery) -> Result<Vec<DeviceRecord>> {
        let mut found = Vec::new();
        let params = Params::for_postgres(self.postgres);
        for chunk in query.ids.chunks(INSERT_ROWS) {
            // Only placeholders are spliced in; every value is bound.
            let sql = format!(
                concat!(select_devices!("device_id IN "), "({})"),
                params.list(1, chunk.len())
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id.as_bytes().to_vec());
            }
            for row in q.fetch_all(&self.pool).await? {
                found.push(device_record(&row)?);
            }
        }
        if let Some(commune) = query.commune {
            let rows = sqlx::query(select_devices!(
                "commune = $1 AND active = 1 AND ($2 = '' OR role = $2)"
            ))
            .bind(commune)
            .bind(query.role.map(|r| r.code()).unwrap_or(""))
            .fetch_all(&self.pool)
            .await?;
            for row in rows {
                found.push(device_record(&row)?);
            }
        }
        Ok(found)
    }

    async fn revoke(&self, id: DeviceId, now_ms: u64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let device = id.as_bytes().to_vec();
        sqlx::query("UPDATE devices SET active = 0, revoked_at = $1 WHERE device_id = $2")
            .bind(now_ms as i64)
            .bind(device.clone())
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE teams SET rotate_pending = 1 WHERE case_id IN (SELECT case_id FROM members WHERE device_id = $1)")
            .bind(device.clone())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM members WHERE device_id = $1")
            .bind(device.clone())
            .execute(&mut *tx)
            .await?;
        Self::forget_bundles_of_device(&mut tx, &device).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn use_challenge(&self, hash: [u8; 32], expires_at_ms: u64, now_ms: u64) -> Result<bool> {
        sqlx::query("DELETE FROM used_challenges WHERE expires_at < $1")
            .bind(now_ms as i64)
            .execute(&self.pool)
            .await?;
        let inserted = sqlx::query("INSERT INTO used_challenges (hash, expires_at) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING")
            .bind(hash.to_vec())
            .bind(expires_at_ms as i64)
            .execute(&self.pool)
            .await?;
        Ok(inserted.rows_affected() == 1)
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

    async fn push_stats(&self, updates: Vec<StatUpdate>) -> Result<u32> {
        let mut tx = self.pool.begin().await?;
        let mut applied = 0;
        for update in updates {
            let (year, body) = match &update {
                StatUpdate::Record(record) => (Some(i64::from(record.year)), Some(record.encode())),
                StatUpdate::Withdraw(_) => (None, None),
            };
            let result = sqlx::query(
                "INSERT INTO stat_records (statistics_id, revision, year, body) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (statistics_id) DO UPDATE SET revision = excluded.revision,
                     year = excluded.year, body = excluded.body
                 WHERE stat_records.revision < excluded.revision",
            )
            .bind(update.statistics_id().as_bytes().to_vec())
            .bind(update.revision() as i64)
            .bind(year)
            .bind(body)
            .execute(&mut *tx)
            .await?;
            applied += result.rows_affected() as u32;
        }
        tx.commit().await?;
        Ok(applied)
    }

    async fn stat_records(&self, year: u16) -> Result<Vec<StatRecord>> {
        let rows =
            sqlx::query("SELECT body FROM stat_records WHERE year = $1 AND body IS NOT NULL")
                .bind(i64::from(year))
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|row| {
                StatRecord::decode(&blob(row, "body")?).map_err(|_| corrupt("statistics record"))
            })
            .collect()
    }

    async fn tally_stats(&self, builder: &mut crate::report::ReportBuilder) -> Result<()> {
        self.stream_stats(builder).await
    }

    async fn record_registries(
        &self,
        entries: binhan_core::stats::registry::ProgrammeRegistries,
    ) -> Result<binhan_core::stats::registry::RegistryCounts> {
        self.insert_registries(entries).await
    }

    async fn registries(&self) -> Result<binhan_core::stats::registry::ProgrammeRegistries> {
        self.select_registries().await
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
    ) -> Result<binhan_core::shelters::wire::DirectoryResponse> {
        self.select_publications(held, max_bytes).await
    }

    async fn latest_full_directory(
        &self,
    ) -> Result<Option<binhan_core::shelters::SignedPublication>> {
        self.select_latest_full().await
    }

    async fn push_mail(
        &self,
        mail: Vec<binhan_core::shelters::wire::Mail>,
        now_ms: u64,
    ) -> Result<binhan_core::shelters::wire::MailPushResponse> {
        self.insert_mail(mail, now_ms).await
    }

    async fn pull_mail(
        &self,
        device: DeviceId,
        after: u64,
        max_bytes: u32,
    ) -> Result<binhan_core::shelters::wire::MailChunk> {
        self.select_mail(device, after, max_bytes).await
    }

    async fn pull(
        &self,
        device: DeviceRecord,
        cursor: Cursor,
        max_bytes: u32,
    ) -> Result<PullResponse> {
        let me = device.public.device_id.as_bytes().to_vec();
        let budget = max_bytes.clamp(16 * 1024, 8 * 1024 * 1024) as usize;
        let mut conn = self.pool.acquire().await?;
        if !matches!(cursor.phase, Phase::Done | Phase::Tail) {
            // (The tail page checks this itself.)
            let standing = Self::standing(&mut conn, &[device.public.device_id]).await?;
            still_active(standing.get(&device.public.device_id).copied())?;
        }
        // A common pull is one statement: its tail page, read from where
        // the last session ended, with the newest sequence number as the new
        // session's high mark. Cases joined since come first, and the tail
        // is read again after them.
        let mut first_page = None;
        let mut joined_first = None;
        let mut cursor = match cursor.phase {
            Phase::Done => {
                let page = Self::tail_page(&mut conn, &me, &cursor, true).await?;
                let mut next = Cursor {
                    base: cursor.high,
                    high: page.now,
                    tail_after: cursor.tail_after,
                    phase: Phase::Tail,
                };
                if page.joined.is_empty() {
                    first_page = Some(page);
                } else {
                    next.phase = Phase::JoinTeams { after_case: None };
                    joined_first = Some(page.joined);
                }
                next
            }
            _ => cursor,
        };
        let mut response = PullResponse::default();
        let mut bytes = 0usize;
        let full = |response: &mut PullResponse, cursor: &Cursor, bytes: usize| {
            response.more = bytes >= budget;
            if response.more {
                response.cursor = cursor.encode();
            }
            response.more
        };

        // Phase 1: cases joined since the last session: first their teams,
        // then bundles of their states, then each case's own snapshot (if
        // newer than its bundle) and the events after.
        while let Phase::JoinTeams { after_case } = cursor.phase {
            let cases = match joined_first.take() {
                Some(cases) => cases,
                None => Self::joined_cases(&mut conn, &me, &cursor, after_case).await?,
            };
            if cases.is_empty() {
                cursor.phase = match after_case {
                    None => Phase::Tail, // joined nothing
                    Some(_) => Phase::JoinBundles { after: 0 },
                };
                break;
            }
            for case_id in cases {
                for row in sqlx::query("SELECT seq, body FROM team_entries WHERE case_id = $1 AND seq <= $2 ORDER BY seq")
                    .bind(case_id.as_bytes().to_vec())
                    .bind(cursor.high as i64)
                    .fetch_all(&mut *conn)
                    .await?
                {
                    let body = blob(&row, "body")?;
                    bytes += body.len();
                    response.team.push(Sequenced { seq: int(&row, "seq")? as u64, item: decode::<TeamEntry>(&body, "team entry")? });
                }
                cursor.phase = Phase::JoinTeams {
                    after_case: Some(case_id),
                };
                if full(&mut response, &cursor, bytes) {
                    return Ok(response);
                }
            }
        }
        while let Phase::JoinBundles { after } = cursor.phase {
            let range = (cursor.base, cursor.high);
            let bundles = Self::joined_bundles(&mut conn, &me, range, after).await?;
            if bundles.is_empty() {
                cursor.phase = Phase::Join { after_case: None };
                break;
            }
            for (number, bundle) in bundles {
                bytes += bundle.ciphertext.len() + bundle.cases.len() * 24;
                response.bundles.push(bundle);
                cursor.phase = Phase::JoinBundles { after: number };
                if full(&mut response, &cursor, bytes) {
                    return Ok(response);
                }
            }
        }
        while let Phase::Join { after_case } = cursor.phase {
            let cases = Self::joined_cases(&mut conn, &me, &cursor, after_case).await?;
            if cases.is_empty() {
                cursor.phase = Phase::Tail;
                break;
            }
            for case_id in cases {
                let case = case_id.as_bytes().to_vec();
                let mut covered = Self::bundle_cover(&mut conn, &me, &case, cursor.high)
                    .await?
                    .unwrap_or(0);
                let snapshot = sqlx::query("SELECT covers_seq, body FROM snapshots WHERE case_id = $1 AND covers_seq <= $2 AND covers_seq > $3")
                    .bind(case.clone())
                    .bind(cursor.high as i64)
                    .bind(covered as i64)
                    .fetch_optional(&mut *conn)
                    .await?;
                if let Some(row) = snapshot {
                    covered = int(&row, "covers_seq")? as u64;
                    let body = blob(&row, "body")?;
                    bytes += body.len();
                    response
                        .snapshots
                        .push(decode::<WireSnapshot>(&body, "snapshot")?);
                }
                for row in sqlx::query(
                    "SELECT seq, body FROM events WHERE case_id = $1 AND seq > $2 AND seq <= $3 AND author <> $4 ORDER BY seq",
                )
                .bind(case.clone())
                .bind(covered as i64)
                .bind(cursor.high as i64)
                .bind(me.clone())
                .fetch_all(&mut *conn)
                .await?
                {
                    let body = blob(&row, "body")?;
                    bytes += body.len();
                    response.events.push(Sequenced { seq: int(&row, "seq")? as u64, item: decode::<WireEvent>(&body, "event")? });
                }
                cursor.phase = Phase::Join {
                    after_case: Some(case_id),
                };
                if full(&mut response, &cursor, bytes) {
                    return Ok(response);
                }
            }
        }

        // Phase 2: everything newer, in sequence order, for cases already held.
        let rotate = loop {
            let page = match first_page.take() {
                Some(page) => page,
                None => Self::tail_page(&mut conn, &me, &cursor, false).await?,
            };
            let exhausted = (page.items.len() as i64) < TAIL_PAGE;
            for item in page.items {
                bytes += item.body.len();
                if item.team {
                    response.team.push(Sequenced {
                        seq: item.seq,
                        item: decode::<TeamEntry>(&item.body, "team entry")?,
                    });
                } else {
                    response.events.push(Sequenced {
                        seq: item.seq,
                        item: decode::<WireEvent>(&item.body, "event")?,
                    });
                }
                cursor.tail_after = item.seq;
                if full(&mut response, &cursor, bytes) {
                    return Ok(response);
                }
            }
            if exhausted {
                // Cases joined after `high` are sent whole by the next session.
                cursor.tail_after = cursor.tail_after.max(page.now);
                break page.rotate;
            }
        };

        let may_rotate = device.role.manages_commune();
        for (case, state) in rotate {
            let team: TeamState = decode(&state, "team state")?;
            if may_rotate || team.creator == Some(device.public.device_id) {
                response.rotate.push(case);
            }
        }
        response.complete_through = cursor.tail_after;
        cursor.phase = Phase::Done;
        response.cursor = cursor.encode();
        Ok(response)
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
