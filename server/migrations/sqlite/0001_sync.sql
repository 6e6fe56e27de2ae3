-- Sync relay: devices, invitations, case teams, encrypted events and
-- snapshots. The server stores no key that opens a case: bodies are
-- ciphertexts sealed on the devices.

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('seq', 0);

CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

CREATE TABLE invitations (
    code_hash  BLOB PRIMARY KEY,
    role       TEXT NOT NULL,
    commune    TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    issued_by  BLOB,
    used_at    BIGINT,
    used_by    BLOB
);

CREATE TABLE devices (
    device_id    BLOB PRIMARY KEY,
    sign_key     BLOB NOT NULL,
    exchange_key BLOB NOT NULL,
    role         TEXT NOT NULL,
    commune      TEXT NOT NULL,
    label        TEXT NOT NULL,
    active       INTEGER NOT NULL,
    enrolled_at  BIGINT NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX devices_by_commune ON devices (commune, role);

CREATE TABLE used_challenges (
    hash       BLOB PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

CREATE TABLE teams (
    case_id        BLOB PRIMARY KEY,
    state          BLOB NOT NULL,
    rotate_pending INTEGER NOT NULL
);

CREATE TABLE members (
    case_id    BLOB NOT NULL,
    device_id  BLOB NOT NULL,
    joined_seq BIGINT NOT NULL,
    PRIMARY KEY (case_id, device_id)
);
CREATE INDEX members_by_device ON members (device_id, joined_seq);

CREATE TABLE team_entries (
    seq     BIGINT PRIMARY KEY,
    id      BLOB NOT NULL UNIQUE,
    case_id BLOB NOT NULL,
    signer  BLOB NOT NULL,
    body    BLOB NOT NULL
);
CREATE INDEX team_entries_by_case ON team_entries (case_id, seq);

CREATE TABLE events (
    seq     BIGINT PRIMARY KEY,
    id      BLOB NOT NULL UNIQUE,
    case_id BLOB NOT NULL,
    author  BLOB NOT NULL,
    body    BLOB NOT NULL
);
CREATE INDEX events_by_case ON events (case_id, seq);

CREATE TABLE snapshots (
    case_id    BLOB PRIMARY KEY,
    epoch      BIGINT NOT NULL,
    covers_seq BIGINT NOT NULL,
    body       BLOB NOT NULL
);
