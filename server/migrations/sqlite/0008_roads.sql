-- The road network as the province publishes it (public map data).
--
-- Chunks are named by their SHA-256 and kept once, whatever versions share
-- them: a new version that changes a little of the map adds few rows.
-- Manifests are stored as uploaded, signed with the province's key (the
-- key of the shelter directory; the first publication of either kind
-- registers it); devices check the signature and every chunk's hash.

CREATE TABLE road_chunks (
    hash       BLOB PRIMARY KEY,
    body       BLOB NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE road_manifests (
    version      BIGINT PRIMARY KEY,
    signer       BLOB NOT NULL,
    body         BLOB NOT NULL,
    size         BIGINT NOT NULL,
    published_at BIGINT NOT NULL
);
