-- Snapshots now carry their author and the author's signature, and
-- devices refuse one without them. Those stored before could not be read
-- (their body is the older message) nor would any device accept them:
-- they go. A joining device then starts from the bundles and events, and
-- the next upload of each case stores a signed snapshot.
DELETE FROM snapshots;
