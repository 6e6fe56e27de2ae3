-- The school procedure in use (core/src/stats/school_use.rs): the months in
-- which a school counselor's phone saw a step of the procedure recorded on
-- its school's cases. No case, no student, no step, no day; the school and
-- commune are the counselor's certified record's (devices.school_grant).
CREATE TABLE school_use (
    device_id BLOB NOT NULL,
    year      INTEGER NOT NULL,
    month     INTEGER NOT NULL,
    PRIMARY KEY (device_id, year, month)
);
