-- Signed revocations (core/src/sync/revocation.rs). A device is revoked by
-- a revocation its revoker's phone signed (postcard), kept here to hand out
-- with the device's record and, to the revoked device, as the proof it
-- checks before erasing itself. Devices revoked before have none: they stay
-- refused, but no longer erase themselves on the server's word.
ALTER TABLE devices ADD COLUMN revocation BYTEA;
