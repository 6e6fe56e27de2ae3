-- The signed shelter directory and the placement mailbox.
--
-- Publications are stored as uploaded: the province's signature travels
-- with them and devices check it. The key of the first publication is the
-- province's key; later publications must carry it. Shelter locations are
-- served only to enrolled devices.
--
-- Mail to one device is sealed to that device's key: the server keeps the
-- sender, the recipient (NULL: every device, free places only, signed but
-- not sealed) and the signed ciphertext, until the recipient acknowledges.

CREATE TABLE shelter_publications (
    version      BIGINT PRIMARY KEY,
    from_version BIGINT,
    signer       BLOB NOT NULL,
    body         BLOB NOT NULL,
    published_at BIGINT NOT NULL
);

INSERT INTO counters (name, value) VALUES ('shelter_mail', 0);

CREATE TABLE shelter_mail (
    seq        BIGINT PRIMARY KEY,
    id         BLOB NOT NULL UNIQUE,
    sender     BLOB NOT NULL,
    recipient  BLOB,
    body       BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX shelter_mail_by_recipient ON shelter_mail (recipient, seq);
CREATE INDEX shelter_mail_by_sender ON shelter_mail (sender, recipient);
