//! Pushes in SQL (SQLite and PostgreSQL alike), inside the writer's
//! transaction: team entries and team pages (stored in
//! [`super::team_pages`]) with the cases' teams and members, then events and
//! snapshots checked against the teams, numbered, staged and written
//! together, then bundles.

use super::group_commit::DevicePush;
use super::sql::{blob, corrupt, decode, encode, int, select_in, Params, INSERT_ROWS};
use super::SqlStorage;
use crate::error::{Result, ServerError};
use binhan_core::error::Refusal;
use binhan_core::events::Hlc;
use binhan_core::model::{CaseId, Coded, DeviceId, EventId, Role};
use binhan_core::sync::wire::{
    DeviceRecord, PushRequest, PushResponse, Sequenced, TeamEntry, WireEvent, WireSnapshot,
};
use binhan_core::sync::{TeamChange, TeamState};
use std::collections::{BTreeSet, HashMap};

/// How far ahead of the server's clock an event's clock may be.
const MAX_CLOCK_AHEAD_MS: u64 = 24 * 3600 * 1000;

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

/// Events and snapshots of one or more pushes, checked and numbered, to be
/// written together: new events in sequence order, and the newest fresh
/// snapshot of each case.
#[derive(Default)]
struct StagedWrites<'a> {
    events: Vec<(u64, &'a WireEvent)>,
    snapshots: HashMap<CaseId, &'a WireSnapshot>,
}

impl SqlStorage {
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
    /// Stores one push inside the writing transaction `tx`, which holds the
    /// sequence lock: its team entries and team pages, then its events and
    /// snapshots, then its bundles. New items are numbered after `seq`,
    /// which ends at the last number taken. On an error the caller rolls
    /// back what was written.
    pub(super) async fn store_push(
        tx: &mut sqlx::AnyConnection,
        push: &DevicePush,
        seq: &mut u64,
    ) -> Result<PushResponse> {
        let (team, pages) = Self::store_team_changes(tx, &push.device, &push.request, seq).await?;
        let mut response = Self::store_items(tx, &[push], seq, StoredCheck::LookUp)
            .await?
            .pop()
            .unwrap_or_else(|| Err(ServerError::internal()))?;
        response.team = team;
        response.pages = pages;
        let bundled = push.request.bundles.iter().flat_map(|b| &b.cases);
        let mut teams = HashMap::new();
        Self::load_teams(tx, &mut teams, bundled.map(|c| c.case_id)).await?;
        let me = push.device.public.device_id;
        response.bundles = Self::store_bundles(tx, me, &push.request.bundles, &teams, seq).await?;
        Ok(response)
    }

    /// Stores a push's team entries, then its team pages, with the teams of
    /// their cases read once. Returns how many of each were accepted.
    async fn store_team_changes(
        tx: &mut sqlx::AnyConnection,
        device: &DeviceRecord,
        request: &PushRequest,
        seq: &mut u64,
    ) -> Result<(u32, u32)> {
        let mut teams = HashMap::new();
        let entry_cases = request.team.iter().map(|e| e.case_id);
        let page_cases = request.pages.iter().flat_map(|p| &p.changes);
        let cases = entry_cases.chain(page_cases.map(|c| c.case_id));
        Self::load_teams(tx, &mut teams, cases).await?;
        let entries = Self::store_team_entries(tx, device, &request.team, &mut teams, seq).await?;
        let pages = Self::store_team_pages(tx, device, &request.pages, &mut teams, seq).await?;
        Ok((entries, pages))
    }

    /// Refuses a team change that takes an active commune case manager off
    /// the team (setting it to `members`): the managers are on a case's
    /// team by right, and only a commune case manager takes one off (after
    /// a transfer; a revoked manager's device may go by anyone's hand). The
    /// caller checks the signer's role.
    async fn check_keeps_managers(
        tx: &mut sqlx::AnyConnection,
        team: &TeamState,
        members: &[DeviceId],
    ) -> Result<()> {
        let removed = team.members().iter().filter(|m| !members.contains(m));
        for member in removed {
            let manager = sqlx::query(
                "SELECT 1 AS found FROM devices WHERE device_id = $1 AND role = $2 AND active = 1",
            )
            .bind(member.as_bytes().to_vec())
            .bind(Role::CommuneCaseManager.code())
            .fetch_optional(&mut *tx)
            .await?;
            if manager.is_some() {
                let refusal = Refusal::TeamRemovalNeedsManager;
                return Err(ServerError::forbidden(refusal.code(), refusal.text_en()));
            }
        }
        Ok(())
    }

    /// Stores `device`'s team entries (each once, by id), each taking the
    /// next sequence number, and keeps the cases' teams (in `teams`, every
    /// case's loaded) and member rows in step. Returns how many were
    /// accepted (stored now or before).
    async fn store_team_entries(
        tx: &mut sqlx::AnyConnection,
        device: &DeviceRecord,
        entries: &[TeamEntry],
        teams: &mut HashMap<CaseId, TeamState>,
        seq: &mut u64,
    ) -> Result<u32> {
        for entry in entries {
            let known = sqlx::query("SELECT seq FROM team_entries WHERE id = $1")
                .bind(entry.id.as_bytes().to_vec())
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_some() {
                continue;
            }
            let number = *seq + 1;
            Self::change_team(tx, device, teams, entry.case_id, entry.change(), number).await?;
            sqlx::query("INSERT INTO team_entries (seq, id, case_id, signer, body) VALUES ($1, $2, $3, $4, $5)")
                .bind(number as i64)
                .bind(entry.id.as_bytes().to_vec())
                .bind(entry.case_id.as_bytes().to_vec())
                .bind(entry.signer.as_bytes().to_vec())
                .bind(encode(entry))
                .execute(&mut *tx)
                .await?;
            *seq = number;
        }
        Ok(entries.len() as u32)
    }

    /// Applies one case's team change, made by `device` and stored under
    /// sequence number `number`, by the team rules (a change that breaks
    /// them refuses the push): the case's team (in `teams`, loaded) and its
    /// row, and its member rows (who joins, joins at `number`; who leaves
    /// is no longer served the case's bundles). The same for a team entry
    /// and for each change of a team page.
    pub(super) async fn change_team(
        tx: &mut sqlx::AnyConnection,
        device: &DeviceRecord,
        teams: &mut HashMap<CaseId, TeamState>,
        case_id: CaseId,
        change: TeamChange<'_>,
        number: u64,
    ) -> Result<()> {
        if change.signer != device.public.device_id {
            return Err(ServerError::forbidden(
                "not_signer",
                "a team change must be signed by the device pushing it",
            ));
        }
        let team = teams.entry(case_id).or_default();
        let previous_epoch = team.epoch();
        if device.role != Role::CommuneCaseManager {
            Self::check_keeps_managers(tx, team, change.members).await?;
        }
        team.accept(change, device.role)
            .map_err(|e| ServerError::conflict("team_conflict", e.to_string()))?;
        let case = case_id.as_bytes().to_vec();
        let rotated = previous_epoch.is_some_and(|e| e < change.epoch);
        sqlx::query(
            "INSERT INTO teams (case_id, state, rotate_pending) VALUES ($1, $2, 0)
             ON CONFLICT (case_id) DO UPDATE SET state = excluded.state,
                 rotate_pending = CASE WHEN $3 = 1 THEN 0 ELSE teams.rotate_pending END",
        )
        .bind(case.clone())
        .bind(encode(&*team))
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
        let wanted: BTreeSet<Vec<u8>> = change
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
        let joined: Vec<&Vec<u8>> = wanted.difference(&current).collect();
        Self::insert_members(tx, &case, &joined, number).await
    }

    /// Adds `devices` to the members of `case`, joined at `seq`, in one
    /// statement per [`INSERT_ROWS`] (so in one, as a team has at most
    /// `MAX_TEAM_MEMBERS`): a team change costs the writer a few statements
    /// however many members it adds.
    async fn insert_members(
        tx: &mut sqlx::AnyConnection,
        case: &[u8],
        devices: &[&Vec<u8>],
        seq: u64,
    ) -> Result<()> {
        for rows in devices.chunks(INSERT_ROWS) {
            let mut insert = sqlx::query(sqlx::AssertSqlSafe(Params::of(tx).values(
                "INSERT INTO members (case_id, device_id, joined_seq) VALUES",
                rows.len(),
                3,
                "",
            )));
            for device in rows {
                insert = insert
                    .bind(case.to_vec())
                    .bind((*device).clone())
                    .bind(seq as i64);
            }
            insert.execute(&mut *tx).await?;
        }
        Ok(())
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
        // skipped as stale; a fresh one is of the current epoch, whose
        // members include its author (`me`, checked with its signature
        // before the push reached the writer).
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
