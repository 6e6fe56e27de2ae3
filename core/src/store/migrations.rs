//! Versioned schema migrations, tracked in `PRAGMA user_version`.
//!
//! Plaintext columns hold only random ids, clock readings, sizes and sync
//! flags; every other value is a sealed blob.

use rusqlite::Connection;

/// Migrations in order; the n-th brings the schema to version n + 1.
/// Append only; never edit one that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: events, the cached state of each case, its list row (in a narrow
    // table of its own, so listing never reads the states), device metadata.
    "CREATE TABLE events (
        id      BLOB NOT NULL UNIQUE,
        case_id BLOB NOT NULL,
        hlc     INTEGER NOT NULL,
        author  BLOB NOT NULL,
        size    INTEGER NOT NULL,
        body    BLOB NOT NULL,
        pushed  INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX events_by_case ON events (case_id, hlc);
    CREATE INDEX events_unpushed ON events (pushed, hlc);
    CREATE TABLE cases (
        id    BLOB NOT NULL UNIQUE,
        state BLOB NOT NULL
    );
    CREATE TABLE case_list (
        id            BLOB PRIMARY KEY,
        last_activity INTEGER NOT NULL,
        summary       BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX case_list_by_activity ON case_list (last_activity DESC);
    CREATE TABLE meta (
        name  TEXT PRIMARY KEY,
        value BLOB NOT NULL
    ) WITHOUT ROWID;",
    // 2: sync — server sequence numbers, case keys, teams, the device
    // directory cache and the outbox of team changes.
    "ALTER TABLE events ADD COLUMN seq INTEGER;
    CREATE TABLE case_keys (
        case_id BLOB NOT NULL,
        epoch   INTEGER NOT NULL,
        key     BLOB NOT NULL,
        PRIMARY KEY (case_id, epoch)
    ) WITHOUT ROWID;
    CREATE TABLE teams (
        case_id BLOB PRIMARY KEY,
        state   BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE devices (
        device_id BLOB PRIMARY KEY,
        record    BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE outbox (
        id      BLOB PRIMARY KEY,
        created INTEGER NOT NULL,
        body    BLOB NOT NULL
    ) WITHOUT ROWID;",
    // 3: when each list row last changed, in the order of writes, so that a
    // list kept by the app is brought up to date by reading only the rows
    // written since.
    "ALTER TABLE case_list ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX case_list_by_change ON case_list (changed);",
    // 4: what each outbox row holds (`OutboxKind`): rows queued before are
    // single team entries.
    "ALTER TABLE outbox ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;",
];

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// Brings the database to the latest version, one transaction per step.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
