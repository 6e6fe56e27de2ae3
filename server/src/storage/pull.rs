//! Pulls in SQL (SQLite and PostgreSQL alike): a device's next chunk of
//! what it should receive, cases joined since its last session first (their
//! teams, bundles, snapshots and events), then the tail in sequence order.
//!
//! Team pages are served whole to a device on the team of any of their
//! cases (see [`super::team_pages`]): a page may reach a device both while
//! it joins one of its cases and in the tail for another (devices apply
//! them idempotently), but never twice in one response.

use super::sql::{blob, corrupt, decode, int, Budgeted};
use super::{still_active, Cursor, Phase, SqlStorage};
use crate::error::{Result, ServerError};
use binhan_core::model::CaseId;
use binhan_core::sync::wire::{
    DeviceRecord, PullResponse, Sequenced, TeamEntry, TeamPage, WireEvent, WireSnapshot,
};
use binhan_core::sync::TeamState;
use sqlx::Row;
use std::collections::BTreeSet;

/// Cases sent whole per page while a device joins them.
///
/// Page sizes are written into the SQL text, never bound: SQLite plans a
/// statement again each time it runs with a new value bound to its LIMIT.
const JOIN_PAGE: i64 = 200;
/// Items per tail query, and events per query of a joined case (in the
/// SQL text, as [`JOIN_PAGE`]).
const TAIL_PAGE: i64 = 2_000;

/// Kinds of row of [`SqlStorage::tail_page`]'s statement.
const EVENT: i64 = 0;
const TEAM_ENTRY: i64 = 1;
const COUNTER: i64 = 2;
const ROTATE: i64 = 3;
const JOINED: i64 = 4;
const DEVICE: i64 = 5;
const TEAM_PAGE: i64 = 6;

/// A page of a pull's tail, with what was read beside it.
#[derive(Default)]
struct TailPage {
    /// The newest sequence number when the page was read.
    now: u64,
    /// Events, team entries and team pages, in sequence order (at most
    /// [`TAIL_PAGE`]), with bodies up to the first that reaches the budget.
    items: Vec<TailItem>,
    /// The device's cases waiting for a key rotation, with their team
    /// states (encoded).
    rotate: Vec<(CaseId, Vec<u8>)>,
    /// At a session's start, the first page of cases joined since the last
    /// session, in id order; if there are any, `items` must be read again
    /// after them.
    joined: Vec<CaseId>,
}

/// An event, team entry or team page of a pull's tail, encoded; its body
/// is read only while the page's bodies before it are within the pull's
/// budget.
struct TailItem {
    seq: u64,
    /// [`EVENT`], [`TEAM_ENTRY`] or [`TEAM_PAGE`].
    kind: i64,
    body: Option<Vec<u8>>,
}

impl SqlStorage {
    /// Reads a page of a pull's tail and what the pull needs beside it, in
    /// one statement (each statement costs PostgreSQL more than the rows of
    /// a common pull do). The page's bodies are read only up to the first
    /// that brings their sum to `budget` bytes (the statement sums their
    /// lengths first), so a pull never holds much more than it sends,
    /// however large the page's items. `start` says whether this starts a
    /// session: then `cursor` is the finished session's, the page runs to
    /// the newest sequence number, and the cases joined since come too. The
    /// device must still be active, and the cursor not ahead of the newest
    /// sequence number.
    async fn tail_page(
        conn: &mut sqlx::AnyConnection,
        device: &[u8],
        cursor: &Cursor,
        start: bool,
        budget: usize,
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
            "SELECT y.seq, y.kind, y.case_id, COALESCE(e.body, t.body, p.body) AS body FROM (
                 SELECT z.seq AS seq, z.kind AS kind, z.case_id AS case_id,
                        SUM(z.len) OVER (ORDER BY z.seq ROWS UNBOUNDED PRECEDING) - z.len AS before
                   FROM (
                     SELECT e.seq AS seq, {EVENT} AS kind, e.case_id AS case_id, length(e.body) AS len FROM events e
                       JOIN members m ON m.case_id = e.case_id AND m.device_id = $1
                      WHERE e.seq > $2 AND e.author <> $1
                        AND m.joined_seq <= $4 AND NOT (m.joined_seq > $3 AND e.seq <= $4)
                     UNION ALL
                     SELECT t.seq AS seq, {TEAM_ENTRY} AS kind, t.case_id AS case_id, length(t.body) AS len FROM team_entries t
                       JOIN members m ON m.case_id = t.case_id AND m.device_id = $1
                      WHERE t.seq > $2 AND t.signer <> $1
                        AND m.joined_seq <= $4 AND NOT (m.joined_seq > $3 AND t.seq <= $4)
                     UNION ALL
                     SELECT p.seq AS seq, {TEAM_PAGE} AS kind, NULL AS case_id, length(p.body) AS len FROM team_pages p
                      WHERE p.seq > $2 AND p.signer <> $1 AND EXISTS (
                          SELECT 1 FROM team_page_cases c
                            JOIN members m ON m.case_id = c.case_id AND m.device_id = $1
                           WHERE c.page_seq = p.seq
                             AND m.joined_seq <= $4 AND NOT (m.joined_seq > $3 AND p.seq <= $4))
                     ORDER BY seq LIMIT {TAIL_PAGE}
                   ) z
             ) y
               LEFT JOIN events e ON y.kind = {EVENT} AND e.seq = y.seq AND y.before < $6
               LEFT JOIN team_entries t ON y.kind = {TEAM_ENTRY} AND t.seq = y.seq AND y.before < $6
               LEFT JOIN team_pages p ON y.kind = {TEAM_PAGE} AND p.seq = y.seq AND y.before < $6
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
        .bind(i64::try_from(budget).unwrap_or(i64::MAX))
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
                kind @ (EVENT | TEAM_ENTRY | TEAM_PAGE) => page.items.push(TailItem {
                    seq: int(row, "seq")? as u64,
                    kind,
                    body: row.try_get::<Option<Vec<u8>>, _>("body")?,
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
    /// See [`Storage::pull`](super::Storage::pull).
    pub(super) async fn read_pull(
        &self,
        device: DeviceRecord,
        cursor: Cursor,
        max_bytes: u32,
    ) -> Result<PullResponse> {
        let me = device.public.device_id.as_bytes().to_vec();
        let budget = max_bytes.clamp(16 * 1024, 8 * 1024 * 1024) as usize;
        let mut conn = self.pool().acquire().await?;
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
        let cursor = match cursor.phase {
            Phase::Done => {
                let page = Self::tail_page(&mut conn, &me, &cursor, true, budget).await?;
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
        let mut chunk = Chunk {
            response: PullResponse::default(),
            cursor,
            bytes: 0,
            budget,
        };

        // Phase 1: cases joined since the last session: first their teams
        // (team entries, then team pages), then bundles of their states,
        // then each case's own snapshot (if newer than its bundle) and the
        // events after.
        if let Phase::JoinTeamEntries { case, after_seq } = chunk.cursor.phase {
            if Self::send_case_items(
                &mut conn,
                &me,
                Joined::TeamEntries,
                case,
                after_seq,
                &mut chunk,
            )
            .await?
            {
                return Ok(chunk.response);
            }
            chunk.cursor.phase = Phase::JoinTeams {
                after_case: Some(case),
            };
        }
        while let Phase::JoinTeams { after_case } = chunk.cursor.phase {
            let cases = match joined_first.take() {
                Some(cases) => cases,
                None => Self::joined_cases(&mut conn, &me, &chunk.cursor, after_case).await?,
            };
            if cases.is_empty() {
                chunk.cursor.phase = match after_case {
                    None => Phase::Tail, // joined nothing
                    Some(_) => Phase::JoinPages { after: 0 },
                };
                break;
            }
            for case_id in cases {
                let entries = Joined::TeamEntries;
                if Self::send_case_items(&mut conn, &me, entries, case_id, 0, &mut chunk).await? {
                    return Ok(chunk.response);
                }
                chunk.cursor.phase = Phase::JoinTeams {
                    after_case: Some(case_id),
                };
            }
        }
        while let Phase::JoinPages { after } = chunk.cursor.phase {
            let range = (chunk.cursor.base, chunk.cursor.high);
            let left = chunk.left();
            let pages = Self::joined_pages(&mut conn, &me, range, after, left).await?;
            if pages.is_empty() {
                chunk.cursor.phase = Phase::JoinBundles { after: 0 };
                break;
            }
            let full = chunk.add_budgeted(pages, |response, seq, item| {
                response.pages.push(Sequenced { seq, item });
                Phase::JoinPages { after: seq }
            });
            if full {
                return Ok(chunk.response);
            }
        }
        while let Phase::JoinBundles { after } = chunk.cursor.phase {
            let range = (chunk.cursor.base, chunk.cursor.high);
            let left = chunk.left();
            let bundles = Self::joined_bundles(&mut conn, &me, range, after, left).await?;
            if bundles.is_empty() {
                chunk.cursor.phase = Phase::Join { after_case: None };
                break;
            }
            let full = chunk.add_budgeted(bundles, |response, number, bundle| {
                response.bundles.push(bundle);
                Phase::JoinBundles { after: number }
            });
            if full {
                return Ok(chunk.response);
            }
        }
        if let Phase::JoinEvents { case, after_seq } = chunk.cursor.phase {
            if Self::send_case_items(&mut conn, &me, Joined::Events, case, after_seq, &mut chunk)
                .await?
            {
                return Ok(chunk.response);
            }
            chunk.cursor.phase = Phase::Join {
                after_case: Some(case),
            };
        }
        while let Phase::Join { after_case } = chunk.cursor.phase {
            let cases = Self::joined_cases(&mut conn, &me, &chunk.cursor, after_case).await?;
            if cases.is_empty() {
                chunk.cursor.phase = Phase::Tail;
                break;
            }
            for case_id in cases {
                let case = case_id.as_bytes().to_vec();
                let high = chunk.cursor.high;
                let mut covered = Self::bundle_cover(&mut conn, &me, &case, high)
                    .await?
                    .unwrap_or(0);
                let snapshot = sqlx::query("SELECT covers_seq, body FROM snapshots WHERE case_id = $1 AND covers_seq <= $2 AND covers_seq > $3")
                    .bind(case)
                    .bind(high as i64)
                    .bind(covered as i64)
                    .fetch_optional(&mut *conn)
                    .await?;
                if let Some(row) = snapshot {
                    covered = int(&row, "covers_seq")? as u64;
                    let body = blob(&row, "body")?;
                    chunk.bytes += body.len();
                    chunk
                        .response
                        .snapshots
                        .push(decode::<WireSnapshot>(&body, "snapshot")?);
                    chunk.cursor.phase = Phase::JoinEvents {
                        case: case_id,
                        after_seq: covered,
                    };
                    if chunk.full() {
                        return Ok(chunk.response);
                    }
                }
                let events = Joined::Events;
                if Self::send_case_items(&mut conn, &me, events, case_id, covered, &mut chunk)
                    .await?
                {
                    return Ok(chunk.response);
                }
                chunk.cursor.phase = Phase::Join {
                    after_case: Some(case_id),
                };
            }
        }

        // Phase 2: everything newer, in sequence order, for cases already held
        // (a team page sent while joining one of its cases is not sent again).
        let joined_pages: BTreeSet<u64> = chunk.response.pages.iter().map(|p| p.seq).collect();
        let rotate = loop {
            let page = match first_page.take() {
                Some(page) => page,
                None => Self::tail_page(&mut conn, &me, &chunk.cursor, false, chunk.left()).await?,
            };
            let exhausted = (page.items.len() as i64) < TAIL_PAGE;
            for item in page.items {
                // Past the budget the statement read no body (the pull
                // ends before, at the item that reached it): go on from here
                // next time.
                let Some(body) = item.body else {
                    chunk.end_early();
                    return Ok(chunk.response);
                };
                chunk.bytes += body.len();
                let seq = item.seq;
                match item.kind {
                    TEAM_ENTRY => chunk.response.team.push(Sequenced {
                        seq,
                        item: decode::<TeamEntry>(&body, "team entry")?,
                    }),
                    TEAM_PAGE if joined_pages.contains(&seq) => {}
                    TEAM_PAGE => chunk.response.pages.push(Sequenced {
                        seq,
                        item: decode::<TeamPage>(&body, "team page")?,
                    }),
                    _ => chunk.response.events.push(Sequenced {
                        seq,
                        item: decode::<WireEvent>(&body, "event")?,
                    }),
                }
                chunk.cursor.tail_after = item.seq;
                if chunk.full() {
                    return Ok(chunk.response);
                }
            }
            if exhausted {
                // Cases joined after `high` are sent whole by the next session.
                chunk.cursor.tail_after = chunk.cursor.tail_after.max(page.now);
                break page.rotate;
            }
        };

        let Chunk {
            mut response,
            mut cursor,
            ..
        } = chunk;
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

    /// Sends the events or the team entries (`what`) of `case`, a case
    /// joined in the chunk's session, after sequence number `after` (up to
    /// the session's high mark; events of `me`'s own are not sent back), a
    /// page per statement whose bodies are read only up to the one that
    /// reaches the budget (as [`Self::tail_page`] does), moving the cursor
    /// along. Returns whether the chunk is full (it then says where to go
    /// on).
    async fn send_case_items(
        conn: &mut sqlx::AnyConnection,
        me: &[u8],
        what: Joined,
        case: CaseId,
        mut after: u64,
        chunk: &mut Chunk,
    ) -> Result<bool> {
        let (table, not_mine) = match what {
            Joined::Events => ("events", "AND author <> $5"),
            Joined::TeamEntries => ("team_entries", ""),
        };
        loop {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT y.seq, i.body FROM (
                     SELECT z.seq AS seq, SUM(z.len) OVER (ORDER BY z.seq ROWS UNBOUNDED PRECEDING) - z.len AS before
                       FROM (
                         SELECT seq, length(body) AS len FROM {table}
                          WHERE case_id = $1 AND seq > $2 AND seq <= $3 {not_mine}
                          ORDER BY seq LIMIT {TAIL_PAGE}
                       ) z
                 ) y
                   LEFT JOIN {table} i ON i.seq = y.seq AND y.before < $4
                 ORDER BY y.seq",
            )))
            .bind(case.as_bytes().to_vec())
            .bind(after as i64)
            .bind(chunk.cursor.high as i64)
            .bind(i64::try_from(chunk.left()).unwrap_or(i64::MAX));
            if what == Joined::Events {
                query = query.bind(me.to_vec());
            }
            let rows = query.fetch_all(&mut *conn).await?;
            let exhausted = (rows.len() as i64) < TAIL_PAGE;
            for row in &rows {
                let Some(body) = row.try_get::<Option<Vec<u8>>, _>("body")? else {
                    chunk.end_early();
                    return Ok(true);
                };
                after = int(row, "seq")? as u64;
                chunk.bytes += body.len();
                chunk.cursor.phase = match what {
                    Joined::Events => {
                        let item = decode::<WireEvent>(&body, "event")?;
                        chunk.response.events.push(Sequenced { seq: after, item });
                        Phase::JoinEvents {
                            case,
                            after_seq: after,
                        }
                    }
                    Joined::TeamEntries => {
                        let item = decode::<TeamEntry>(&body, "team entry")?;
                        chunk.response.team.push(Sequenced { seq: after, item });
                        Phase::JoinTeamEntries {
                            case,
                            after_seq: after,
                        }
                    }
                };
                if chunk.full() {
                    return Ok(true);
                }
            }
            if exhausted {
                return Ok(false);
            }
        }
    }
}

/// What of a joined case [`SqlStorage::send_case_items`] sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Joined {
    Events,
    TeamEntries,
}

/// A pull's response as it fills, and where the pull stands.
struct Chunk {
    response: PullResponse,
    cursor: Cursor,
    /// Bytes of the items in `response`.
    bytes: usize,
    /// Bytes the pull may send (its last item may go past).
    budget: usize,
}

impl Chunk {
    /// Whether the items so far reached the budget; then the response says
    /// more is waiting, from the cursor as it stands.
    fn full(&mut self) -> bool {
        let full = self.bytes >= self.budget;
        if full {
            self.end_early();
        }
        full
    }

    /// Ends the response before its session's end: more is waiting, from
    /// the cursor as it stands.
    fn end_early(&mut self) {
        self.response.more = true;
        self.response.cursor = self.cursor.encode();
    }

    /// Bytes left of the budget.
    fn left(&self) -> usize {
        self.budget.saturating_sub(self.bytes)
    }

    /// Adds `items` of a budgeted query (joined cases' pages or bundles), in
    /// order, each by `add`, which answers the phase that goes on after it.
    /// Returns whether the chunk ended: it is full, or an item's body was
    /// not read (past the budget, as in the tail).
    fn add_budgeted<T>(
        &mut self,
        items: Vec<Budgeted<T>>,
        mut add: impl FnMut(&mut PullResponse, u64, T) -> Phase,
    ) -> bool {
        for (number, item) in items {
            let Some((size, item)) = item else {
                self.end_early();
                return true;
            };
            self.bytes += size;
            self.cursor.phase = add(&mut self.response, number, item);
            if self.full() {
                return true;
            }
        }
        false
    }
}
