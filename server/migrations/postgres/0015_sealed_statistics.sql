-- Statistics sealed to the provincial office's key (core/src/stats/sealed.rs).
-- The clear records go: devices send every case again, sealed. A row is one
-- device's newest update of one case, in a slot derived from the case's
-- secret seed and the device id; the statistics id and revision are inside
-- the seal, so nothing here points at a case, a device or a clock.
DROP TABLE stat_records;
CREATE TABLE stat_sealed (
    slot BYTEA PRIMARY KEY,
    body BYTEA NOT NULL
);
-- The office's statistics key, signed by a provincial key (one row per
-- provincial key; devices take the one of the key they pinned).
CREATE TABLE office_keys (
    signing_key BYTEA PRIMARY KEY,
    publication BYTEA NOT NULL
);
