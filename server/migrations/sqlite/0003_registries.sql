-- Programme registries the provincial officer keeps: training sessions with
-- attendance, training targets, schools and enterprises. They describe staff
-- and organisations, never survivors. Dates are ISO text (YYYY-MM-DD).

-- A session is identified by its day, place and title; session_key is the
-- SHA-256 of the three.
CREATE TABLE training_sessions (
    session_key BLOB PRIMARY KEY,
    held_on     TEXT NOT NULL,
    commune     TEXT NOT NULL,
    title       TEXT NOT NULL
);

CREATE TABLE training_attendance (
    session_key BLOB NOT NULL REFERENCES training_sessions (session_key) ON DELETE CASCADE,
    person      TEXT NOT NULL,
    role        TEXT NOT NULL,
    commune     TEXT NOT NULL,
    PRIMARY KEY (session_key, person, role)
);

CREATE TABLE training_targets (
    commune       TEXT PRIMARY KEY,
    collaborators BIGINT NOT NULL,
    officials     BIGINT NOT NULL
);

CREATE TABLE schools (
    commune         TEXT NOT NULL,
    name            TEXT NOT NULL,
    procedure_since TEXT,
    PRIMARY KEY (commune, name)
);

CREATE TABLE enterprises (
    commune     TEXT NOT NULL,
    name        TEXT NOT NULL,
    rules_since TEXT,
    PRIMARY KEY (commune, name)
);
