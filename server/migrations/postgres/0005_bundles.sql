-- Snapshot bundles: many cases' states compressed together and sealed for
-- the cases' other members (device-to-device key wraps; the server holds
-- no key that opens them).
--
-- bundle_index keeps, for each recipient and case, the newest bundle that
-- holds the case; a device is indexed only while it is a member of every
-- case of the bundle (rows go when it leaves one), so a bundle is served
-- only to devices allowed to read all of it. A bundle no row points to is
-- deleted. Each bundle takes the next server sequence number when stored,
-- so a pull session serves only bundles stored before it began (one stored
-- later may replace an index row mid-session; the case is then sent
-- without it).

CREATE TABLE bundles (
    id     BYTEA PRIMARY KEY,
    number BIGINT NOT NULL UNIQUE,
    body   BYTEA NOT NULL
);

CREATE TABLE bundle_cases (
    bundle_id BYTEA NOT NULL,
    case_id   BYTEA NOT NULL,
    PRIMARY KEY (bundle_id, case_id)
);
CREATE INDEX bundle_cases_by_case ON bundle_cases (case_id);

CREATE TABLE bundle_index (
    device_id  BYTEA NOT NULL,
    case_id    BYTEA NOT NULL,
    bundle_id  BYTEA NOT NULL,
    number     BIGINT NOT NULL,
    covers_seq BIGINT NOT NULL,
    PRIMARY KEY (device_id, case_id)
);
CREATE INDEX bundle_index_by_bundle ON bundle_index (bundle_id);
