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
    value BYTEA NOT NULL
);

CREATE TABLE invitations (
    code_hash  BYTEA PRIMARY KEY,
    role       TEXT NOT NULL,
    commune    TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    issued_by  BYTEA,
    used_at    BIGINT,
    used_by    BYTEA
);

CREATE TABLE devices (
    device_id    BYTEA PRIMARY KEY,
    sign_key     BYTEA NOT NULL,
    exchange_key BYTEA NOT NULL,
    role         TEXT NOT NULL,
    commune      TEXT NOT NULL,
    label        TEXT NOT NULL,
    active       INTEGER NOT NULL,
    enrolled_at  BIGINT NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX devices_by_commune ON devices (commune, role);

CREATE TABLE used_challenges (
    hash       BYTEA PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

CREATE TABLE teams (
    case_id        BYTEA PRIMARY KEY,
    state          BYTEA NOT NULL,
    rotate_pending INTEGER NOT NULL
);

CREATE TABLE members (
    case_id    BYTEA NOT NULL,
    device_id  BYTEA NOT NULL,
    joined_seq BIGINT NOT NULL,
    PRIMARY KEY (case_id, device_id)
);
CREATE INDEX members_by_device ON members (device_id, joined_seq);

CREATE TABLE team_entries (
    seq     BIGINT PRIMARY KEY,
    id      BYTEA NOT NULL UNIQUE,
    case_id BYTEA NOT NULL,
    signer  BYTEA NOT NULL,
    body    BYTEA NOT NULL
);
CREATE INDEX team_entries_by_case ON team_entries (case_id, seq);

CREATE TABLE events (
    seq     BIGINT PRIMARY KEY,
    id      BYTEA NOT NULL UNIQUE,
    case_id BYTEA NOT NULL,
    author  BYTEA NOT NULL,
    body    BYTEA NOT NULL
);
CREATE INDEX events_by_case ON events (case_id, seq);

CREATE TABLE snapshots (
    case_id    BYTEA PRIMARY KEY,
    epoch      BIGINT NOT NULL,
    covers_seq BIGINT NOT NULL,
    body       BYTEA NOT NULL
);
