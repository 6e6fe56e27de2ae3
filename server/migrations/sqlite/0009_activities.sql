-- Communication activities the communes record (programme registries): no
-- survivor appears in them, only people reached. The activity is kept as
-- its JSON; id is the random id its device gave it, and a later recording
-- replaces it only within the same commune.
CREATE TABLE communication_activities (
    id      BLOB PRIMARY KEY,
    held_on TEXT NOT NULL,
    commune TEXT NOT NULL,
    body    TEXT NOT NULL
);
CREATE INDEX communication_activities_by_day ON communication_activities (held_on);
