//! What sync keeps on the device besides events: which events are pushed
//! and their server sequence numbers, case keys per epoch, team state,
//! the device directory cache, and the outbox of team changes. All values
//! are sealed like the rest of the store.

use super::{binding, tampered, Store};
use crate::crypto::{open, seal, SecretKey};
use crate::events::Event;
use crate::model::{CaseId, DeviceId, EventId};
use crate::Result;
use rusqlite::{params, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// What an outbox row holds, queued for the next push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxKind {
    /// One case's signed team change, as devices queued them before team
    /// pages (pushed until none is left).
    TeamEntry = 0,
    /// A signed team page.
    TeamPage = 1,
}

impl Store {
    /// Events this device made that the server has not acknowledged,
    /// oldest first.
    pub fn unpushed_events(&self, limit: usize) -> Result<Vec<Event>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, body FROM events WHERE pushed = 0 ORDER BY hlc, id LIMIT ?1",
        )?;
        let mut rows = stmt.query([limit as i64])?;
        let mut events = Vec::new();
        while let Some(row) = rows.next()? {
            let id: Vec<u8> = row.get(0)?;
            let body: Vec<u8> = row.get(1)?;
            let record = || format!("event {}", EventId::from_slice(&id).unwrap_or_default());
            let bytes = open(&self.key, binding("events", &id, "body"), &body)
                .map_err(|_| tampered(record()))?;
            let event = Event::decode(&bytes).map_err(|_| tampered(record()))?;
            if event.id.as_bytes().as_slice() != id.as_slice() {
                return Err(tampered(record()));
            }
            events.push(event);
        }
        Ok(events)
    }

    /// Number of events not yet pushed.
    pub fn unpushed_count(&self) -> Result<u64> {
        let n: i64 =
            self.conn()
                .query_row("SELECT count(*) FROM events WHERE pushed = 0", [], |r| {
                    r.get(0)
                })?;
        Ok(n as u64)
    }

    /// Records the server's acknowledgement of pushed events.
    pub fn mark_pushed(&self, acks: &[(EventId, u64)]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for (id, seq) in acks {
            tx.execute(
                "UPDATE events SET pushed = 1, seq = ?2 WHERE id = ?1",
                params![id.as_bytes().as_slice(), *seq as i64],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Whether a case has events not yet pushed.
    pub fn has_unpushed(&self, case_id: CaseId) -> Result<bool> {
        let n: i64 = self.conn().query_row(
            "SELECT count(*) FROM events WHERE case_id = ?1 AND pushed = 0",
            [case_id.as_bytes().as_slice()],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// Ids of every case with a stored state.
    pub fn case_ids(&self) -> Result<Vec<CaseId>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT id FROM cases")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, Vec<u8>>(0))?
            .filter_map(|r| r.ok().and_then(|b| CaseId::from_slice(&b)))
            .collect();
        Ok(ids)
    }

    /// The case key of `epoch`, if this device holds it.
    pub fn case_key(&self, case_id: CaseId, epoch: u32) -> Result<Option<SecretKey>> {
        let row = key_row(case_id, epoch);
        let sealed: Option<Vec<u8>> = self
            .conn()
            .query_row(
                "SELECT key FROM case_keys WHERE case_id = ?1 AND epoch = ?2",
                params![case_id.as_bytes().as_slice(), epoch],
                |r| r.get(0),
            )
            .optional()?;
        let Some(sealed) = sealed else {
            return Ok(None);
        };
        let bytes = open(&self.key, binding("case_keys", &row, "key"), &sealed)
            .map_err(|_| tampered(format!("key of case {case_id}")))?;
        let key: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| tampered(format!("key of case {case_id}")))?;
        Ok(Some(SecretKey::from_bytes(key)))
    }

    /// Keeps the case key of `epoch`.
    pub fn put_case_key(&self, case_id: CaseId, epoch: u32, key: &SecretKey) -> Result<()> {
        let row = key_row(case_id, epoch);
        let sealed = seal(&self.key, binding("case_keys", &row, "key"), key.as_bytes());
        self.conn().execute(
            "INSERT INTO case_keys (case_id, epoch, key) VALUES (?1, ?2, ?3)
             ON CONFLICT (case_id, epoch) DO NOTHING",
            params![case_id.as_bytes().as_slice(), epoch, sealed],
        )?;
        Ok(())
    }

    fn get_sealed<T: DeserializeOwned>(
        &self,
        table: &str,
        column: &str,
        key: &[u8],
    ) -> Result<Option<T>> {
        let sql = format!(
            "SELECT {column} FROM {table} WHERE {} = ?1",
            key_column(table)
        );
        let sealed: Option<Vec<u8>> = self
            .conn()
            .query_row(&sql, [key], |r| r.get(0))
            .optional()?;
        sealed
            .map(|s| self.open_value(binding(table, key, column), &s, || format!("{table} row")))
            .transpose()
    }

    fn put_sealed<T: Serialize>(
        &self,
        table: &str,
        column: &str,
        key: &[u8],
        value: &T,
    ) -> Result<()> {
        let sealed = self.seal_value(binding(table, key, column), value)?;
        let key_col = key_column(table);
        let sql = format!(
            "INSERT INTO {table} ({key_col}, {column}) VALUES (?1, ?2)
             ON CONFLICT ({key_col}) DO UPDATE SET {column} = excluded.{column}"
        );
        self.conn().execute(&sql, params![key, sealed])?;
        Ok(())
    }

    /// The sync team state of a case.
    pub fn team<T: DeserializeOwned>(&self, case_id: CaseId) -> Result<Option<T>> {
        self.get_sealed("teams", "state", case_id.as_bytes())
    }

    /// Stores the sync team state of a case.
    pub fn put_team<T: Serialize>(&self, case_id: CaseId, state: &T) -> Result<()> {
        self.put_sealed("teams", "state", case_id.as_bytes(), state)
    }

    /// A cached directory record of a device.
    pub fn device<T: DeserializeOwned>(&self, device_id: DeviceId) -> Result<Option<T>> {
        self.get_sealed("devices", "record", device_id.as_bytes())
    }

    /// Caches a directory record of a device.
    pub fn put_device<T: Serialize>(&self, device_id: DeviceId, record: &T) -> Result<()> {
        self.put_sealed("devices", "record", device_id.as_bytes(), record)
    }

    /// Queues an item of `kind` for the next push (team pages go with their
    /// teams: [`Self::queue_team_page`]; tests queue what older versions
    /// did).
    #[cfg(any(test, feature = "testing"))]
    pub fn push_outbox<T: Serialize>(&self, kind: OutboxKind, id: EventId, item: &T) -> Result<()> {
        let sealed = self.seal_value(binding("outbox", id.as_bytes(), "body"), item)?;
        self.conn().execute(
            "INSERT INTO outbox (id, created, body, kind) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
            params![
                id.as_bytes().as_slice(),
                chrono::Utc::now().timestamp_millis(),
                sealed,
                kind as i64
            ],
        )?;
        Ok(())
    }

    /// Everything of `kind` queued for push, oldest first.
    pub fn outbox<T: DeserializeOwned>(&self, kind: OutboxKind) -> Result<Vec<(EventId, T)>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT id, body FROM outbox WHERE kind = ?1 ORDER BY created, id")?;
        let rows: Vec<(Vec<u8>, Vec<u8>)> = stmt
            .query_map([kind as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        drop(conn);
        rows.into_iter()
            .map(|(id, body)| {
                let id = EventId::from_slice(&id).ok_or_else(|| tampered("outbox row"))?;
                let item =
                    self.open_value(binding("outbox", id.as_bytes(), "body"), &body, || {
                        "outbox row".into()
                    })?;
                Ok((id, item))
            })
            .collect()
    }

    /// Queues a team page for the next push and keeps the teams it
    /// changes, in one transaction: a phone stopped on the way keeps
    /// neither, and makes the change again, rather than a team no one else
    /// hears of (or a page its own teams do not reflect).
    pub fn queue_team_page<P: Serialize, T: Serialize>(
        &self,
        id: EventId,
        page: &P,
        teams: &[(CaseId, T)],
    ) -> Result<()> {
        let sealed_page = self.seal_value(binding("outbox", id.as_bytes(), "body"), page)?;
        let sealed_teams = teams
            .iter()
            .map(|(case_id, team)| {
                let row = case_id.as_bytes();
                Ok((row, self.seal_value(binding("teams", row, "state"), team)?))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO outbox (id, created, body, kind) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
            params![
                id.as_bytes().as_slice(),
                chrono::Utc::now().timestamp_millis(),
                sealed_page,
                OutboxKind::TeamPage as i64
            ],
        )?;
        for (row, sealed) in sealed_teams {
            tx.execute(
                "INSERT INTO teams (case_id, state) VALUES (?1, ?2)
                 ON CONFLICT (case_id) DO UPDATE SET state = excluded.state",
                params![row.as_slice(), sealed],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Removes acknowledged items from the outbox.
    pub fn remove_outbox(&self, ids: &[EventId]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for id in ids {
            tx.execute(
                "DELETE FROM outbox WHERE id = ?1",
                [id.as_bytes().as_slice()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

fn key_row(case_id: CaseId, epoch: u32) -> Vec<u8> {
    let mut row = case_id.as_bytes().to_vec();
    row.extend_from_slice(&epoch.to_le_bytes());
    row
}

fn key_column(table: &str) -> &'static str {
    match table {
        "teams" => "case_id",
        _ => "device_id",
    }
}

impl Store {
    /// Events of a case with sequence number above `seq`: how many, and how
    /// many of them `author` made.
    pub fn events_after(&self, case_id: CaseId, seq: u64, author: DeviceId) -> Result<(u64, u64)> {
        let (all, mine): (i64, Option<i64>) = self.conn().query_row(
            "SELECT count(*), sum(author = ?3) FROM events WHERE case_id = ?1 AND seq > ?2",
            params![
                case_id.as_bytes().as_slice(),
                seq as i64,
                author.as_bytes().as_slice()
            ],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((all as u64, mine.unwrap_or(0) as u64))
    }
}
