-- Sequence numbers become rowids (SQLite only: there, only a column declared
-- exactly INTEGER PRIMARY KEY is the table's own key; BIGINT PRIMARY KEY
-- added a hidden rowid and one more index). Each stored event or team
-- change now writes one b-tree fewer, and a pull reads its range of
-- sequence numbers straight from the table.

CREATE TABLE events_by_seq (
    seq     INTEGER PRIMARY KEY,
    id      BLOB NOT NULL UNIQUE,
    case_id BLOB NOT NULL,
    author  BLOB NOT NULL,
    body    BLOB NOT NULL
);
INSERT INTO events_by_seq (seq, id, case_id, author, body)
    SELECT seq, id, case_id, author, body FROM events;
DROP TABLE events;
ALTER TABLE events_by_seq RENAME TO events;
CREATE INDEX events_by_case ON events (case_id, seq);

CREATE TABLE team_entries_by_seq (
    seq     INTEGER PRIMARY KEY,
    id      BLOB NOT NULL UNIQUE,
    case_id BLOB NOT NULL,
    signer  BLOB NOT NULL,
    body    BLOB NOT NULL
);
INSERT INTO team_entries_by_seq (seq, id, case_id, signer, body)
    SELECT seq, id, case_id, signer, body FROM team_entries;
DROP TABLE team_entries;
ALTER TABLE team_entries_by_seq RENAME TO team_entries;
CREATE INDEX team_entries_by_case ON team_entries (case_id, seq);
