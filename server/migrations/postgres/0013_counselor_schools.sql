-- A school counselor's school (core/src/sync/school.rs), signed by the
-- phone that invited it (postcard): registered with the invitation, copied
-- to the device at enrolment and handed out with its record. Devices check
-- the signature; the server only keeps it.
ALTER TABLE invitations ADD COLUMN school_grant BYTEA;
ALTER TABLE devices ADD COLUMN school_grant BYTEA;
