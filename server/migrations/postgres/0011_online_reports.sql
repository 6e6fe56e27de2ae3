-- Online reports: sealed in a browser to a commune's case managers, kept
-- as ciphertext 30 days for their inbox. The server cannot open them.
CREATE TABLE online_reports (
    seq BIGSERIAL PRIMARY KEY,
    id BYTEA NOT NULL UNIQUE,
    commune TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    sealed BYTEA NOT NULL
);
CREATE INDEX online_reports_by_commune ON online_reports (commune, seq);
CREATE INDEX online_reports_by_age ON online_reports (received_at);
