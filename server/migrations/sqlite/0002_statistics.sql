-- De-identified statistical records sent by devices: one row per
-- statistics id (which the server cannot link to a case), the newest
-- revision kept; a withdrawal keeps only its id and revision, as a
-- tombstone, so that an older record arriving late is refused.

CREATE TABLE stat_records (
    statistics_id BLOB PRIMARY KEY,
    revision      BIGINT NOT NULL,
    year          INTEGER,
    body          BLOB
);
CREATE INDEX stat_records_by_year ON stat_records (year);
