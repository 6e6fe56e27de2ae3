-- Every pull asks which of the device's cases wait for a key rotation.
-- Those are few: index only them, so that the question does not read every
-- team.
CREATE INDEX teams_rotate_pending ON teams (case_id) WHERE rotate_pending = 1;
