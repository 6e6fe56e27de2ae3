-- Certified device keys (core/src/sync/certificate.rs). An invitation a
-- phone made carries the grant its inviter signed (postcard); the server's
-- bootstrap invitation has none, and its device becomes the province's
-- root, kept in province_root (one row). A device's certificate is kept to
-- hand out with its record: devices trust only what checks back to the
-- root, so nothing here lets the server certify anyone.
ALTER TABLE invitations ADD COLUMN grant_body BYTEA;
ALTER TABLE invitations ADD COLUMN replaces_root INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN certificate BYTEA;
CREATE TABLE province_root (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    device_id BYTEA NOT NULL,
    sign_key  BYTEA NOT NULL,
    set_at    BIGINT NOT NULL
);
-- Officers' endorsements of the provincial key (postcard), handed out with
-- the key: a device pins a key it was not given only with one.
CREATE TABLE province_key_endorsements (
    signing_key BYTEA PRIMARY KEY,
    endorsement BYTEA NOT NULL
);
