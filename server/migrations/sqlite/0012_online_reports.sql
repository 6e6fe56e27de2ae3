-- Online reports from the public intake page: sealed in the browser to the
-- commune's certified case managers (core/src/online_report/), stored as
-- the ciphertext it is. seq orders a commune's inbox (allocated under the
-- 'online_reports' counter's row lock); reports are kept 30 days.
INSERT INTO counters (name, value) VALUES ('online_reports', 0);
CREATE TABLE online_reports (
    seq         BIGINT PRIMARY KEY,
    id          BLOB NOT NULL UNIQUE,
    commune     TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    sealed      BLOB NOT NULL
);
CREATE INDEX online_reports_by_commune ON online_reports (commune, seq);
CREATE INDEX online_reports_by_age ON online_reports (received_at);
