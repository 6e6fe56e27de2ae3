//! The encrypted on-device store: rusqlite in WAL mode, one writer,
//! versioned migrations.
//!
//! Every sensitive value is sealed ([`crate::crypto`]) with associated data
//! that binds it to its table, row and field. Events are the record; each
//! case's merged state and list row are kept beside them, sealed, so opening
//! or listing a case never replays its history.

mod migrations;
mod sync_state;

use crate::cases::CaseSummary;
use crate::crypto::{open, seal, Binding, SecretKey};
use crate::events::{CaseState, Event, Hlc};
use crate::model::{CaseId, EventId};
use crate::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::de::DeserializeOwned;
use std::collections::hash_map::{Entry, HashMap};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

pub use migrations::latest_version;
pub use sync_state::OutboxKind;

/// The database file inside a vault directory.
pub const DATABASE_FILE: &str = "vault.db";

/// The case list as read: rows that opened, and ids of rows that did not.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// Rows, newest activity first.
    pub rows: Vec<CaseSummary>,
    /// Cases whose stored row failed authentication.
    pub unreadable: Vec<CaseId>,
    /// The newest write the rows include: rows written later have a higher
    /// mark (see [`Store::list_since`]).
    pub through: u64,
}

/// The encrypted store of one vault: one writer connection, and one
/// reader so that listing never holds up a write (WAL lets them overlap).
pub struct Store {
    conn: Mutex<Connection>,
    reader: Mutex<Connection>,
    key: SecretKey,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store(…)")
    }
}

fn binding<'a>(table: &'a str, row: &'a [u8], field: &'a str) -> Binding<'a> {
    Binding { table, row, field }
}

fn tampered(record: impl Into<String>) -> Error {
    Error::Tampered {
        record: record.into(),
    }
}

impl Store {
    /// Opens (creating if needed) the store at `path` with the vault's data
    /// key, and brings its schema up to date.
    pub fn open(path: &Path, key: SecretKey) -> Result<Self> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a committed event survives power loss, not only a killed app.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        migrations::migrate(&mut conn)?;
        let reader = Connection::open(path)?;
        reader.pragma_update(None, "query_only", "ON")?;
        reader.busy_timeout(std::time::Duration::from_secs(10))?;
        Ok(Self {
            conn: Mutex::new(conn),
            reader: Mutex::new(reader),
            key,
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn seal_value<T: serde::Serialize>(&self, at: Binding<'_>, value: &T) -> Result<Vec<u8>> {
        let bytes = zeroize::Zeroizing::new(
            postcard::to_allocvec(value).map_err(|e| Error::Encoding(e.to_string()))?,
        );
        Ok(seal(&self.key, at, &bytes))
    }

    fn open_value<T: DeserializeOwned>(
        &self,
        at: Binding<'_>,
        sealed: &[u8],
        record: impl Fn() -> String,
    ) -> Result<T> {
        let bytes = open(&self.key, at, sealed).map_err(|_| tampered(record()))?;
        postcard::from_bytes(&bytes).map_err(|_| tampered(record()))
    }

    fn read_state(&self, conn: &Connection, id: CaseId) -> Result<Option<CaseState>> {
        let sealed: Option<Vec<u8>> = conn
            .query_row(
                "SELECT state FROM cases WHERE id = ?1",
                [id.as_bytes().as_slice()],
                |r| r.get(0),
            )
            .optional()?;
        sealed
            .map(|s| {
                self.open_value(binding("cases", id.as_bytes(), "state"), &s, || {
                    format!("case {id}")
                })
            })
            .transpose()
    }

    /// Stores events this device made, in one transaction, and merges each
    /// into its case. Events already stored are skipped. Returns the ids
    /// newly stored; when this returns, they are durable.
    pub fn append(&self, events: &[Event]) -> Result<Vec<EventId>> {
        self.write_events(events.iter().map(|e| (e, None)), false)
    }

    /// Stores events made elsewhere that this device must not push (they
    /// are their authors' to push).
    pub fn append_foreign(&self, events: &[Event]) -> Result<Vec<EventId>> {
        self.write_events(events.iter().map(|e| (e, None)), true)
    }

    /// Stores events pulled from the server with their sequence numbers.
    pub fn append_pulled(&self, events: &[(Event, u64)]) -> Result<Vec<EventId>> {
        self.write_events(events.iter().map(|(e, seq)| (e, Some(*seq))), true)
    }

    fn write_events<'a>(
        &self,
        events: impl Iterator<Item = (&'a Event, Option<u64>)> + Clone,
        pushed: bool,
    ) -> Result<Vec<EventId>> {
        for (event, _) in events.clone() {
            event.check_shape()?;
        }
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut states: HashMap<CaseId, CaseState> = HashMap::new();
        let mut stored = Vec::new();
        for (event, seq) in events {
            let id = event.id.as_bytes();
            let encoded = zeroize::Zeroizing::new(event.encode());
            let body = seal(&self.key, binding("events", id, "body"), &encoded);
            let inserted = tx.prepare_cached(
                "INSERT OR IGNORE INTO events (id, case_id, hlc, author, size, body, pushed, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(
                params![
                    id.as_slice(),
                    event.case_id.as_bytes().as_slice(),
                    event.hlc.0 as i64,
                    event.author.as_bytes().as_slice(),
                    body.len() as i64,
                    body,
                    pushed,
                    seq.map(|s| s as i64)
                ],
            )? == 1;
            if !inserted {
                continue;
            }
            let state = match states.entry(event.case_id) {
                Entry::Occupied(entry) => entry.into_mut(),
                Entry::Vacant(entry) => entry.insert(
                    self.read_state(&tx, event.case_id)?
                        .unwrap_or_else(|| CaseState::new(event.case_id)),
                ),
            };
            state.apply(event);
            stored.push(event.id);
        }
        for state in states.values() {
            self.write_state(&tx, state)?;
        }
        tx.commit()?;
        Ok(stored)
    }

    fn write_state(&self, conn: &Connection, state: &CaseState) -> Result<()> {
        let row = state.id.as_bytes();
        let state_blob = self.seal_value(binding("cases", row, "state"), state)?;
        conn.prepare_cached(
            "INSERT INTO cases (id, state) VALUES (?1, ?2)
             ON CONFLICT (id) DO UPDATE SET state = excluded.state",
        )?
        .execute(params![row.as_slice(), state_blob])?;
        // A case is listed once its first event (the intake) is here.
        if state.recorded_on().is_some() {
            let summary = self.seal_value(
                binding("case_list", row, "summary"),
                &CaseSummary::of(state),
            )?;
            conn.prepare_cached(
                "INSERT INTO case_list (id, last_activity, summary, changed)
                 VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(changed), 0) + 1 FROM case_list))
                 ON CONFLICT (id) DO UPDATE SET last_activity = excluded.last_activity,
                     summary = excluded.summary, changed = excluded.changed",
            )?
            .execute(params![
                row.as_slice(),
                state.last_activity().0 as i64,
                summary
            ])?;
        }
        Ok(())
    }

    /// Merges a case state received whole (a snapshot) into the stored one;
    /// true if the case was not stored before.
    pub fn merge_state(&self, incoming: CaseState) -> Result<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (state, new) = match self.read_state(&tx, incoming.id)? {
            Some(mut existing) => {
                existing.merge(incoming);
                (existing, false)
            }
            None => (incoming, true),
        };
        self.write_state(&tx, &state)?;
        tx.commit()?;
        Ok(new)
    }

    /// The merged state of a case, or `None` if it has no events here.
    pub fn case_state(&self, id: CaseId) -> Result<Option<CaseState>> {
        self.read_state(&self.conn(), id)
    }

    /// Every case's list row, newest activity first. A row that fails
    /// authentication is reported in [`Listing::unreadable`]; the others
    /// still read.
    pub fn list(&self) -> Result<Listing> {
        self.list_since(0)
    }

    /// The list rows written after the mark `since` (0: every row, newest
    /// activity first; otherwise in no order), and the mark they bring the
    /// reader to.
    pub fn list_since(&self, since: u64) -> Result<Listing> {
        let conn = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        // Two statements, so that the one after a write reads the few rows
        // through the index on `changed`, in no order (an ORDER BY here
        // makes SQLite walk every row by activity); rows from before the
        // mark existed hold 0 and come with the whole list only.
        let mut stmt = conn.prepare_cached(if since == 0 {
            "SELECT id, summary, changed FROM case_list WHERE ?1 = 0
             ORDER BY last_activity DESC, id"
        } else {
            "SELECT id, summary, changed FROM case_list WHERE changed > ?1"
        })?;
        let mut rows = stmt.query([i64::try_from(since).unwrap_or(i64::MAX)])?;
        let mut listing = Listing {
            through: since,
            ..Listing::default()
        };
        while let Some(row) = rows.next()? {
            let changed: i64 = row.get(2)?;
            listing.through = listing.through.max(u64::try_from(changed).unwrap_or(0));
            let raw_id: Vec<u8> = row.get(0)?;
            let Some(id) = CaseId::from_slice(&raw_id) else {
                continue;
            };
            let sealed: Vec<u8> = row.get(1)?;
            match self.open_value(
                binding("case_list", id.as_bytes(), "summary"),
                &sealed,
                String::new,
            ) {
                Ok(summary) => listing.rows.push(summary),
                Err(_) => listing.unreadable.push(id),
            }
        }
        Ok(listing)
    }

    /// Every event of a case, oldest first.
    pub fn events_of(&self, id: CaseId) -> Result<Vec<Event>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare_cached("SELECT id, body FROM events WHERE case_id = ?1 ORDER BY hlc, id")?;
        let mut rows = stmt.query([id.as_bytes().as_slice()])?;
        let mut events = Vec::new();
        while let Some(row) = rows.next()? {
            let event_id: Vec<u8> = row.get(0)?;
            let body: Vec<u8> = row.get(1)?;
            let record = || format!("event {}", hex(&event_id));
            let bytes = open(&self.key, binding("events", &event_id, "body"), &body)
                .map_err(|_| tampered(record()))?;
            let event = Event::decode(&bytes).map_err(|_| tampered(record()))?;
            if event.id.as_bytes().as_slice() != event_id.as_slice() || event.case_id != id {
                return Err(tampered(record()));
            }
            events.push(event);
        }
        Ok(events)
    }

    /// Ids of every stored event.
    pub fn event_ids(&self) -> Result<Vec<EventId>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT id FROM events")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, Vec<u8>>(0))?
            .filter_map(|r| r.ok().and_then(|b| EventId::from_slice(&b)))
            .collect();
        Ok(ids)
    }

    /// The newest clock reading of any stored event.
    pub fn newest_hlc(&self) -> Result<Hlc> {
        let newest: Option<i64> =
            self.conn()
                .query_row("SELECT max(hlc) FROM events", [], |r| r.get(0))?;
        Ok(Hlc(newest.unwrap_or(0) as u64))
    }

    /// A number that changes whenever anything is committed to the store,
    /// by this store or any other connection: SQLite's `data_version`, read
    /// on the reader connection, which never writes itself. Screens keep a
    /// listing while it is unchanged.
    pub fn data_version(&self) -> Result<u64> {
        let reader = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        let version: i64 = reader.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok(version as u64)
    }

    /// A sealed metadata value.
    pub fn meta<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        let sealed: Option<Vec<u8>> = self
            .conn()
            .query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        sealed
            .map(|s| {
                self.open_value(binding("meta", name.as_bytes(), "value"), &s, || {
                    format!("setting {name}")
                })
            })
            .transpose()
    }

    /// Stores a sealed metadata value.
    pub fn set_meta<T: serde::Serialize>(&self, name: &str, value: &T) -> Result<()> {
        let sealed = self.seal_value(binding("meta", name.as_bytes(), "value"), value)?;
        self.conn().execute(
            "INSERT INTO meta (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            params![name, sealed],
        )?;
        Ok(())
    }

    /// Removes a metadata value (nothing if there is none).
    pub fn remove_meta(&self, name: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM meta WHERE name = ?1", [name])?;
        Ok(())
    }

    /// Reads, changes and writes back a sealed metadata value in one
    /// immediate transaction, so concurrent updates lose nothing. `f` gets
    /// the current value (if any) and returns the new value and a result;
    /// if it fails, nothing is written.
    pub fn update_meta<T, R>(
        &self,
        name: &str,
        f: impl FnOnce(Option<T>) -> Result<(T, R)>,
    ) -> Result<R>
    where
        T: serde::Serialize + DeserializeOwned,
    {
        let at = binding("meta", name.as_bytes(), "value");
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sealed: Option<Vec<u8>> = tx
            .query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        let current = sealed
            .map(|s| self.open_value(at, &s, || format!("setting {name}")))
            .transpose()?;
        let (value, result) = f(current)?;
        let sealed = self.seal_value(at, &value)?;
        tx.execute(
            "INSERT INTO meta (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            params![name, sealed],
        )?;
        tx.commit()?;
        Ok(result)
    }

    /// Runs SQLite's integrity check; `Ok(())` if it reports "ok".
    pub fn integrity_check(&self) -> Result<()> {
        let result: String = self
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if result == "ok" {
            Ok(())
        } else {
            Err(tampered("database file"))
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
